/**
 * Hyperliquid subscriptions: one per (channel, coin), one per frame (the venue takes no arrays). A
 * subscription id of the connection layer is `channel:coin` (`l2Book:BTC`, `allMids:` for the first dex,
 * `allMids:xyz` for a builder dex).
 */
import type { HlChannel } from "./config.ts";
import type { HlSubscription } from "./messages.ts";

/** l2Book options from the config. */
export interface HlBookOptions {
  readonly nSigFigs: number | null;
  readonly mantissa: number | null;
  readonly fast: boolean;
}

/** The subscription id of one channel for one coin (`allMids` takes the coin's dex). */
export function hlSubscriptionId(channel: HlChannel, coin: string, dex: string): string {
  return channel === "allMids" ? `allMids:${dex}` : `${channel}:${coin}`;
}

/** Splits an id back into channel and coin (or dex for allMids). */
export function hlParseId(id: string): { channel: HlChannel; arg: string } {
  const i = id.indexOf(":");
  return { channel: id.slice(0, i) as HlChannel, arg: id.slice(i + 1) };
}

/** The subscription object of an id. */
export function hlSubscription(id: string, book: HlBookOptions): HlSubscription {
  const { channel, arg } = hlParseId(id);
  switch (channel) {
    case "allMids":
      return arg === "" ? { type: "allMids" } : { type: "allMids", dex: arg };
    case "l2Book": {
      const s: { type: "l2Book"; coin: string; nSigFigs?: number; mantissa?: number; fast?: boolean } = { type: "l2Book", coin: arg };
      if (book.nSigFigs !== null) s.nSigFigs = book.nSigFigs;
      if (book.mantissa !== null) s.mantissa = book.mantissa;
      if (book.fast) s.fast = true;
      return s;
    }
    case "bbo":
    case "trades":
    case "activeAssetCtx":
      return { type: channel, coin: arg };
  }
}

/** `{"method":"subscribe"|"unsubscribe","subscription":…}` frames, one per id. */
export function encodeHlOp(method: "subscribe" | "unsubscribe", ids: readonly string[], book: HlBookOptions): string[] {
  return ids.map((id) => JSON.stringify({ method, subscription: hlSubscription(id, book) }));
}

/** The id an ack or a push belongs to. */
export function hlIdOf(type: string, coin: string | undefined, dex = ""): string {
  return type === "allMids" ? `allMids:${dex}` : `${type}:${coin ?? ""}`;
}
