/**
 * Binance USD-M frame → domain events. PURE: no I/O, no clock. Prices and quantities become numbers
 * here only. Unknown shapes come back as `malformed` with a shape name.
 */
import type { TopOfBook } from "../../../core/book/book.ts";
import type { BookDelta, BookSnapshot, Funding, Trade } from "../../../core/events.ts";
import { isStringLevels, stringLevels } from "../shared/levels.ts";
import type { BinanceAggTrade, BinanceBookTicker, BinanceDepthUpdate, BinanceMarkPrice, BinanceResponse, BinanceRestDepth } from "./messages.ts";
import { malformed, readJsonObject, type Malformed } from "../shared/frame.ts";

export interface BinanceMarket {
  readonly instrument: string;
  readonly key: string;
}
export type BinanceLookup = (symbol: string) => BinanceMarket | undefined;

/** One diff-depth event with the ids the sync procedure needs. */
export interface BinanceDepthEvent {
  readonly kind: "depth";
  readonly symbol: string;
  readonly U: number;
  readonly u: number;
  readonly pu: number;
  /** The levels, `seq = u`, `prevSeq = pu`. */
  readonly delta: BookDelta;
}

export type BinanceEvent =
  | BinanceDepthEvent
  | { readonly kind: "top"; readonly top: TopOfBook }
  | { readonly kind: "trade"; readonly trade: Trade }
  | { readonly kind: "funding"; readonly funding: Funding }
  | { readonly kind: "ack"; readonly id: number | null }
  | { readonly kind: "error"; readonly id: number | null; readonly code: number; readonly msg: string }
  | { readonly kind: "ignored"; readonly what: string }
  | Malformed;

/** `BTCUSDT` → `BTC-USDT-PERP`, `ETHUSDC` → `ETH-USDC-PERP`; delivery contracts (`BTCUSDT_250328`) keep their symbol. */
export function binanceKey(symbol: string): string {
  for (const quote of ["USDT", "USDC"]) {
    if (symbol.endsWith(quote) && symbol.length > quote.length) return `${symbol.slice(0, -quote.length)}-${quote}-PERP`;
  }
  return symbol;
}

/**
 * Parses one text frame (combined-stream wrapper, raw stream payload, or a request's answer).
 *
 * @example
 * const events = parseBinanceFrame(text, "binance", Date.now(), (s) => markets.get(s));
 */
export function parseBinanceFrame(text: string, feed: string, tsRecv: number, lookup: BinanceLookup): BinanceEvent[] {
  const read = readJsonObject(text);
  if ("malformed" in read) return [read.malformed];
  let m = read.object;
  if (typeof m.stream === "string") {
    if (typeof m.data !== "object" || m.data === null) return [malformed("stream without data", text)];
    m = m.data as Record<string, unknown>;
  } else if ("id" in m && ("result" in m || "error" in m)) {
    const r = m as unknown as BinanceResponse;
    const id = typeof r.id === "number" ? r.id : null;
    if (r.error !== undefined) return [{ kind: "error", id, code: Number(r.error.code), msg: String(r.error.msg ?? "") }];
    return [{ kind: "ack", id }];
  }
  const sym = typeof m.s === "string" ? m.s : undefined;
  const inst = sym === undefined ? undefined : lookup(sym);
  const e = m.e;
  if (typeof e !== "string") return [malformed("no event type", text)];
  if (inst === undefined) return [{ kind: "ignored", what: `${e} for unsubscribed ${String(sym)}` }];
  const ref = { feed, instrument: inst.instrument, key: inst.key, tsRecv };
  switch (e) {
    case "depthUpdate": {
      const d = m as unknown as BinanceDepthUpdate;
      if (!isStringLevels(d.b) || !isStringLevels(d.a) || typeof d.U !== "number" || typeof d.u !== "number" || typeof d.pu !== "number" || typeof d.E !== "number") {
        return [malformed("depthUpdate: missing U/u/pu/E or bad levels", text)];
      }
      const bids = stringLevels(d.b);
      const asks = stringLevels(d.a);
      if (bids === undefined || asks === undefined) return [malformed("depthUpdate: a level is not a number", text)];
      return [{ kind: "depth", symbol: d.s, U: d.U, u: d.u, pu: d.pu, delta: { ...ref, tsEvent: d.E, bids, asks, seq: d.u, prevSeq: d.pu } }];
    }
    case "bookTicker": {
      const t = m as unknown as BinanceBookTicker;
      if (typeof t.b !== "string" || typeof t.a !== "string" || typeof t.E !== "number") return [malformed("bookTicker: missing b/a/E", text)];
      const [bid, ask, bidSize, askSize] = [+t.b, +t.a, +t.B, +t.A];
      if (!(bid > 0) || !(ask > 0) || !(bidSize >= 0) || !(askSize >= 0)) return [malformed("bookTicker: not a number", text)];
      return [{ kind: "top", top: { ...ref, tsEvent: t.E, bid, ask, bidSize, askSize } }];
    }
    case "aggTrade": {
      const t = m as unknown as BinanceAggTrade;
      if (typeof t.p !== "string" || typeof t.q !== "string" || typeof t.T !== "number") return [malformed("aggTrade: missing p/q/T", text)];
      return [{ kind: "trade", trade: { ...ref, tsEvent: t.T, price: +t.p, size: +t.q, side: t.m === true ? "sell" : t.m === false ? "buy" : "unknown", tradeId: String(t.a) } }];
    }
    case "markPriceUpdate": {
      const p = m as unknown as BinanceMarkPrice;
      const rate = Number(p.r);
      if (typeof p.r !== "string" || !Number.isFinite(rate) || typeof p.E !== "number") return [malformed("markPriceUpdate: bad r/E", text)];
      return [{
        kind: "funding",
        funding: { ...ref, tsEvent: p.E, rate, nextFundingTime: typeof p.T === "number" && p.T > 0 ? p.T : undefined, markPrice: Number(p.p), indexPrice: p.i === undefined ? undefined : Number(p.i) },
      }];
    }
    default:
      return [malformed(`event ${e}`, text)];
  }
}

/** REST `GET /fapi/v1/depth` as a book at `seq = lastUpdateId`. */
export function parseBinanceRestDepth(
  body: unknown,
  inst: BinanceMarket,
  feed: string,
  tsRecv: number,
): { ok: true; book: BookSnapshot; lastUpdateId: number } | { ok: false; error: string; code?: number } {
  const r = body as BinanceRestDepth;
  if (typeof r !== "object" || r === null || typeof r.lastUpdateId !== "number" || !isStringLevels(r.bids) || !isStringLevels(r.asks)) {
    const err = body as { code?: unknown; msg?: unknown } | null;
    if (err !== null && typeof err === "object" && "code" in err) return { ok: false, error: `the venue answered ${String(err.code)} ${String(err.msg ?? "")}`, code: Number(err.code) };
    return { ok: false, error: "the answer has no lastUpdateId/bids/asks" };
  }
  const bids = stringLevels(r.bids);
  const asks = stringLevels(r.asks);
  if (bids === undefined || asks === undefined) return { ok: false, error: "a level of the answer is not a number" };
  return {
    ok: true,
    lastUpdateId: r.lastUpdateId,
    book: { feed, instrument: inst.instrument, key: inst.key, tsEvent: typeof r.E === "number" ? r.E : tsRecv, tsRecv, bids, asks, seq: r.lastUpdateId, source: "rest" },
  };
}
