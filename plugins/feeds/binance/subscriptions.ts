/**
 * Binance stream names and request frames. Streams are lower case (`btcusdt@depth@100ms`); many go in
 * one `SUBSCRIBE` (the connection is the combined-stream endpoint, so every push arrives wrapped as
 * `{"stream":…,"data":…}`).
 */
import type { BinanceChannel, BinanceConfig } from "./config.ts";
import type { BinanceRequest } from "./messages.ts";

/** Streams per SUBSCRIBE frame (keeps frames small; the 10 messages/s limit is paced separately). */
export const BINANCE_STREAMS_PER_FRAME = 50;

/** The stream name of a symbol's channel. */
export function binanceStream(channel: BinanceChannel, symbol: string, c: Pick<BinanceConfig, "depth_update_ms" | "mark_price_every_ms">): string {
  const s = symbol.toLowerCase();
  switch (channel) {
    case "depth":
      return c.depth_update_ms === 250 ? `${s}@depth` : `${s}@depth@${c.depth_update_ms}ms`;
    case "bookTicker":
      return `${s}@bookTicker`;
    case "aggTrade":
      return `${s}@aggTrade`;
    case "markPrice":
      return c.mark_price_every_ms === 3000 ? `${s}@markPrice` : `${s}@markPrice@1s`;
  }
}

/** The upper-case symbol a stream name belongs to (`btcusdt@depth@100ms` → `BTCUSDT`). */
export function binanceSymbolOf(stream: string): string {
  return stream.slice(0, stream.indexOf("@")).toUpperCase();
}

/** True for diff-depth streams (they need the REST snapshot procedure). */
export function isDepthStream(stream: string): boolean {
  return stream.includes("@depth") && !/@depth\d/.test(stream);
}

/** One SUBSCRIBE / UNSUBSCRIBE frame for these streams. */
export function binanceRequest(method: "SUBSCRIBE" | "UNSUBSCRIBE", streams: readonly string[], id: number): string {
  const req: BinanceRequest = { method, params: streams, id };
  return JSON.stringify(req);
}
