/**
 * Paradex channel names and JSON-RPC request frames. One channel per `subscribe` call (docs); SBE is
 * negotiated on the connection URL (`?sbeSchemaId=1&sbeSchemaVersion=N`).
 */
import type { ParadexChannel, ParadexConfig } from "./config.ts";
import type { ParadexRequest } from "./messages.ts";
import { PARADEX_SBE_SCHEMA_ID } from "./sbe/paradex-schema.ts";

/** Book depth Paradex serves on `order_book` (others are refused with "Expecting depth=15"). */
export const PARADEX_BOOK_DEPTH = 15;

/**
 * The channel string of one market: `bbo.BTC-USD-PERP`, `order_book.BTC-USD-PERP.snapshot@15@50ms`,
 * `order_book.PAXG-USD-PERP.deltas@15@100ms@0_01`.
 */
export function paradexChannelId(channel: ParadexChannel, market: string, c: Pick<ParadexConfig, "book_feed" | "refresh_rate_ms" | "price_tick">): string {
  if (channel !== "order_book") return `${channel}.${market}`;
  const tick = c.price_tick === undefined ? "" : `@${c.price_tick.replace(".", "_")}`;
  return `order_book.${market}.${c.book_feed}@${PARADEX_BOOK_DEPTH}@${c.refresh_rate_ms}ms${tick}`;
}

/** The market a channel string names (`order_book.BTC-USD-PERP.snapshot@15@50ms` → `BTC-USD-PERP`). */
export function paradexMarketOf(channelId: string): string {
  const start = channelId.indexOf(".") + 1;
  const end = channelId.indexOf(".", start);
  return end < 0 ? channelId.slice(start) : channelId.slice(start, end);
}

/** The kind of a channel string (`order_book`, `bbo`, …). */
export function paradexKindOf(channelId: string): string {
  return channelId.slice(0, channelId.indexOf("."));
}

/** JSON-RPC `subscribe`/`unsubscribe` frames, one per channel; `nextId` numbers them, `sent` hears each id. */
export function paradexRequests(
  method: "subscribe" | "unsubscribe",
  ids: readonly string[],
  nextId: () => number,
  sent?: (id: number, channel: string) => void,
): string[] {
  return ids.map((channel) => {
    const req: ParadexRequest = { jsonrpc: "2.0", method, params: { channel }, id: nextId() };
    sent?.(req.id, channel);
    return JSON.stringify(req);
  });
}

/** The JSON-RPC `auth` frame (private channels): the bearer comes from the environment via config. */
export function paradexAuthFrame(jwt: string, id: number): string {
  const req: ParadexRequest = { jsonrpc: "2.0", method: "auth", params: { bearer: jwt }, id };
  return JSON.stringify(req);
}

/** The endpoint with the SBE negotiation parameters appended (when `sbe`). */
export function paradexUrl(url: string, sbe: boolean, version: number): string {
  if (!sbe) return url;
  return `${url}${url.includes("?") ? "&" : "?"}sbeSchemaId=${PARADEX_SBE_SCHEMA_ID}&sbeSchemaVersion=${version}`;
}
