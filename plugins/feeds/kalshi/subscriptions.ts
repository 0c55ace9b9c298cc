/**
 * Kalshi commands: one `subscribe` per market (so each market has its own `sid` and `seq` stream, and a
 * gap resyncs only that market), `unsubscribe` by `sids`.
 */
import type { KalshiCommand } from "./messages.ts";

/** Channels the feed subscribes: books (`orderbook_delta`), or only the top (`ticker`), and public trades. */
export type KalshiChannel = "orderbook_delta" | "ticker" | "trade";

/** `{"id":n,"cmd":"subscribe","params":{"channels":[…],"market_ticker":"…"}}` (docs example shape). */
export function kalshiSubscribe(id: number, channels: readonly KalshiChannel[], ticker: string): string {
  const cmd: KalshiCommand = { id, cmd: "subscribe", params: { channels, market_ticker: ticker } };
  return JSON.stringify(cmd);
}

/** `{"id":n,"cmd":"unsubscribe","params":{"sids":[…]}}`. */
export function kalshiUnsubscribe(id: number, sids: readonly number[]): string {
  const cmd: KalshiCommand = { id, cmd: "unsubscribe", params: { sids } };
  return JSON.stringify(cmd);
}
