/**
 * Bybit v5 frame → domain events. PURE: no I/O, no clock. Prices and sizes become numbers here only;
 * ticker deltas are passed on raw for the merge in tickers.ts. Unknown shapes come back as `malformed`.
 */
import type { BookDelta, BookSnapshot, Trade } from "../../../core/events.ts";
import { isStringLevels, stringLevels } from "../shared/levels.ts";
import type { BybitOpResponse, BybitOrderbookMsg, BybitTickerData, BybitTickerMsg, BybitTradeMsg } from "./messages.ts";
import { malformed, readJsonObject, takerSide, type Malformed } from "../shared/frame.ts";

export interface BybitMarket {
  readonly instrument: string;
  readonly key: string;
}
export type BybitLookup = (symbol: string) => BybitMarket | undefined;

export type BybitEvent =
  /** A snapshot, or any message with `u = 1` (a service restart: overwrite the local book). */
  | { readonly kind: "snapshot"; readonly topic: string; readonly book: BookSnapshot }
  | { readonly kind: "delta"; readonly topic: string; readonly book: BookDelta }
  | { readonly kind: "ticker"; readonly type: "snapshot" | "delta"; readonly market: BybitMarket; readonly data: BybitTickerData; readonly ts: number }
  | { readonly kind: "trade"; readonly trade: Trade }
  | { readonly kind: "ack"; readonly op: string; readonly success: boolean; readonly message: string }
  | { readonly kind: "pong" }
  | { readonly kind: "ignored"; readonly what: string }
  | Malformed;

/** `BTCUSDT` → `BTC-USDT-PERP`, `ETHUSDC`/`ETHPERP` (USDC perps) → `ETH-USDC-PERP`; dated futures keep their symbol. */
export function bybitKey(symbol: string): string {
  if (symbol.endsWith("USDT") && symbol.length > 4) return `${symbol.slice(0, -4)}-USDT-PERP`;
  if (symbol.endsWith("USDC") && symbol.length > 4) return `${symbol.slice(0, -4)}-USDC-PERP`;
  if (symbol.endsWith("PERP") && symbol.length > 4) return `${symbol.slice(0, -4)}-USDC-PERP`;
  return symbol;
}

/**
 * Parses one text frame.
 *
 * @example
 * const events = parseBybitFrame(text, "bybit", Date.now(), (s) => markets.get(s));
 */
export function parseBybitFrame(text: string, feed: string, tsRecv: number, lookup: BybitLookup): BybitEvent[] {
  const read = readJsonObject(text);
  if ("malformed" in read) return [read.malformed];
  const m = read.object;
  if (typeof m.op === "string") {
    const r = m as unknown as BybitOpResponse;
    if (r.ret_msg === "pong" || r.op === "pong") return [{ kind: "pong" }];
    return [{ kind: "ack", op: r.op, success: r.success === true, message: r.ret_msg ?? "" }];
  }
  const topic = m.topic;
  if (typeof topic !== "string") return [malformed("no topic", text)];
  const dot = topic.indexOf(".");
  const channel = dot < 0 ? topic : topic.slice(0, dot);
  switch (channel) {
    case "orderbook":
      return parseOrderbook(m as unknown as BybitOrderbookMsg, feed, tsRecv, lookup, text);
    case "tickers": {
      const t = m as unknown as BybitTickerMsg;
      if (typeof t.data !== "object" || t.data === null || typeof t.data.symbol !== "string" || (t.type !== "snapshot" && t.type !== "delta")) {
        return [malformed("tickers: no data/symbol/type", text)];
      }
      const market = lookup(t.data.symbol);
      if (market === undefined) return [{ kind: "ignored", what: `tickers for unsubscribed ${t.data.symbol}` }];
      return [{ kind: "ticker", type: t.type, market, data: t.data, ts: typeof t.ts === "number" ? t.ts : tsRecv }];
    }
    case "publicTrade": {
      const t = m as unknown as BybitTradeMsg;
      if (!Array.isArray(t.data)) return [malformed("publicTrade: no data", text)];
      const out: BybitEvent[] = [];
      for (const d of t.data) {
        const market = typeof d?.s === "string" ? lookup(d.s) : undefined;
        if (market === undefined) {
          out.push({ kind: "ignored", what: `publicTrade for unsubscribed ${String(d?.s)}` });
          continue;
        }
        if (typeof d.p !== "string" || typeof d.v !== "string" || typeof d.T !== "number") {
          out.push(malformed("publicTrade: missing p/v/T", JSON.stringify(d)));
          continue;
        }
        const side = takerSide(d.S, "Buy", "Sell");
        out.push({ kind: "trade", trade: { feed, instrument: market.instrument, key: market.key, tsEvent: d.T, tsRecv, price: +d.p, size: +d.v, side, tradeId: d.i } });
      }
      return out;
    }
    default:
      return [malformed(`topic ${channel}`, text)];
  }
}

function parseOrderbook(m: BybitOrderbookMsg, feed: string, tsRecv: number, lookup: BybitLookup, text: string): BybitEvent[] {
  const d = m.data;
  if (typeof d !== "object" || d === null || typeof d.s !== "string" || !isStringLevels(d.b) || !isStringLevels(d.a) || typeof d.u !== "number") {
    return [malformed("orderbook: bad data", text)];
  }
  const market = lookup(d.s);
  if (market === undefined) return [{ kind: "ignored", what: `orderbook for unsubscribed ${d.s}` }];
  // cts = matching-engine time of the change; ts = when the system produced the message
  const tsEvent = typeof m.cts === "number" ? m.cts : m.ts;
  const ref = { feed, instrument: market.instrument, key: market.key, tsEvent, tsRecv };
  const bids = stringLevels(d.b);
  const asks = stringLevels(d.a);
  if (bids === undefined || asks === undefined) return [malformed("orderbook: a level is not a number", text)];
  if (m.type === "snapshot" || d.u === 1) return [{ kind: "snapshot", topic: m.topic, book: { ...ref, bids, asks, seq: d.u, source: "ws" } }];
  if (m.type === "delta") return [{ kind: "delta", topic: m.topic, book: { ...ref, bids, asks, seq: d.u } }];
  return [malformed(`orderbook: type ${String(m.type)}`, text)];
}
