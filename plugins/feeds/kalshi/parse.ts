/**
 * Kalshi frame → venue events. PURE: no I/O, no clock. Prices become integer units of 1/10 000 of a
 * dollar and counts integer micro-contracts here, so a complement (1 − p) and a running sum of signed
 * deltas stay exact; book-state.ts turns them into domain books. Unknown shapes come back as `malformed`.
 */
import type { KalshiDeltaMsg, KalshiLevel, KalshiResponseMsg, KalshiSnapshotMsg, KalshiTickerMsg, KalshiTradeMsg } from "./messages.ts";
import { malformed, readJsonObject, type Malformed } from "../shared/frame.ts";

/** Price units per dollar: Kalshi's fixed-point prices carry at most 4 decimals. */
export const KALSHI_PRICE_UNITS = 10_000;
/** Count units per contract (counts carry 2 decimals today; 6 leaves room). */
export const KALSHI_COUNT_UNITS = 1_000_000;

/** One bid level: price in units of 1/10 000 $, count in micro-contracts. */
export interface KalshiBid {
  readonly price: number;
  readonly count: number;
}

export type KalshiEvent =
  | { readonly kind: "snapshot"; readonly sid: number; readonly seq: number; readonly ticker: string; readonly yes: readonly KalshiBid[]; readonly no: readonly KalshiBid[] }
  | { readonly kind: "delta"; readonly sid: number; readonly seq: number; readonly ticker: string; readonly side: "yes" | "no"; readonly price: number; readonly delta: number; readonly tsMs: number | undefined }
  | { readonly kind: "trade"; readonly sid: number; readonly ticker: string; readonly yesPrice: number; readonly noPrice: number; readonly count: number; readonly takerSide: "yes" | "no"; readonly tsMs: number; readonly tradeId: string }
  /** YES top of book in units (undefined side = none); sizes in micro-contracts. */
  | { readonly kind: "ticker"; readonly sid: number; readonly ticker: string; readonly bid: number | undefined; readonly ask: number | undefined; readonly bidSize: number; readonly askSize: number; readonly tsMs: number | undefined }
  | { readonly kind: "subscribed"; readonly id: number; readonly channel: string; readonly sid: number }
  | { readonly kind: "unsubscribed"; readonly id: number | undefined; readonly sid: number | undefined }
  | { readonly kind: "ok"; readonly id: number | undefined }
  | { readonly kind: "error"; readonly id: number | undefined; readonly code: number; readonly message: string }
  | { readonly kind: "ignored"; readonly what: string }
  | Malformed;

/** `"0.0800"` → 800; undefined when it is not a decimal with at most 4 places in [0, 1]. */
export function kalshiPriceUnits(text: unknown): number | undefined {
  if (typeof text !== "string" || !/^\d+(\.\d{1,4})?$/.test(text)) return undefined;
  const units = Math.round(Number(text) * KALSHI_PRICE_UNITS);
  return units >= 0 && units <= KALSHI_PRICE_UNITS ? units : undefined;
}

/** `"-54.00"` → −54 000 000 micro-contracts; undefined when not a decimal number. */
export function kalshiCountUnits(text: unknown): number | undefined {
  if (typeof text !== "string" || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Math.round(Number(text) * KALSHI_COUNT_UNITS);
}

function bids(raw: unknown): KalshiBid[] | undefined {
  if (raw === undefined) return []; // an empty side is omitted
  if (!Array.isArray(raw)) return undefined;
  const out: KalshiBid[] = [];
  for (const l of raw as KalshiLevel[]) {
    if (!Array.isArray(l)) return undefined;
    const price = kalshiPriceUnits(l[0]);
    const count = kalshiCountUnits(l[1]);
    if (price === undefined || count === undefined || count < 0) return undefined;
    out.push({ price, count });
  }
  return out;
}

/** How much of a refused frame a `malformed` descriptor keeps. */
const DETAIL_CHARS = 160;

/**
 * Parses one text frame.
 *
 * @example
 * for (const ev of parseKalshiFrame(text)) if (ev.kind === "delta") state.apply(ev.side, ev.price, ev.delta);
 */
export function parseKalshiFrame(text: string): KalshiEvent[] {
  const read = readJsonObject(text, DETAIL_CHARS);
  if ("malformed" in read) return [read.malformed];
  const m = read.object;
  switch (m.type) {
    case "orderbook_snapshot": {
      const s = m as unknown as KalshiSnapshotMsg;
      const body = s.msg;
      if (typeof s.sid !== "number" || typeof s.seq !== "number" || typeof body?.market_ticker !== "string") return [malformed("orderbook_snapshot: no sid/seq/ticker", text, DETAIL_CHARS)];
      const yes = bids(body.yes_dollars_fp);
      const no = bids(body.no_dollars_fp);
      if (yes === undefined || no === undefined) return [malformed("orderbook_snapshot: bad levels", text, DETAIL_CHARS)];
      return [{ kind: "snapshot", sid: s.sid, seq: s.seq, ticker: body.market_ticker, yes, no }];
    }
    case "orderbook_delta": {
      const d = m as unknown as KalshiDeltaMsg;
      const body = d.msg;
      const price = kalshiPriceUnits(body?.price_dollars);
      const delta = kalshiCountUnits(body?.delta_fp);
      if (typeof d.sid !== "number" || typeof d.seq !== "number" || typeof body?.market_ticker !== "string" || price === undefined || delta === undefined || (body.side !== "yes" && body.side !== "no")) {
        return [malformed("orderbook_delta: bad fields", text, DETAIL_CHARS)];
      }
      const tsMs = typeof body.ts_ms === "number" ? body.ts_ms : typeof body.ts === "string" ? Date.parse(body.ts) : undefined;
      return [{ kind: "delta", sid: d.sid, seq: d.seq, ticker: body.market_ticker, side: body.side, price, delta, tsMs: Number.isFinite(tsMs) ? tsMs : undefined }];
    }
    case "trade": {
      const t = m as unknown as KalshiTradeMsg;
      const b = t.msg;
      const yesPrice = kalshiPriceUnits(b?.yes_price_dollars);
      const noPrice = kalshiPriceUnits(b?.no_price_dollars);
      const count = kalshiCountUnits(b?.count_fp);
      if (typeof b?.market_ticker !== "string" || yesPrice === undefined || noPrice === undefined || count === undefined || (b.taker_side !== "yes" && b.taker_side !== "no")) {
        return [malformed("trade: bad fields", text, DETAIL_CHARS)];
      }
      const tsMs = typeof b.ts_ms === "number" ? b.ts_ms : typeof b.ts === "number" ? b.ts * 1000 : Number.NaN;
      return [{ kind: "trade", sid: typeof t.sid === "number" ? t.sid : -1, ticker: b.market_ticker, yesPrice, noPrice, count, takerSide: b.taker_side, tsMs, tradeId: String(b.trade_id ?? "") }];
    }
    case "subscribed": {
      const r = m as unknown as KalshiResponseMsg;
      const body = r.msg as { channel?: string; sid?: number } | undefined;
      if (typeof r.id !== "number" || typeof body?.sid !== "number") return [malformed("subscribed: no id/sid", text, DETAIL_CHARS)];
      return [{ kind: "subscribed", id: r.id, channel: String(body.channel ?? ""), sid: body.sid }];
    }
    case "unsubscribed": {
      const r = m as unknown as KalshiResponseMsg;
      return [{ kind: "unsubscribed", id: typeof r.id === "number" ? r.id : undefined, sid: typeof r.sid === "number" ? r.sid : undefined }];
    }
    case "ok":
      return [{ kind: "ok", id: typeof m.id === "number" ? m.id : undefined }];
    case "error": {
      const body = (m.msg ?? {}) as { code?: unknown; msg?: unknown };
      return [{ kind: "error", id: typeof m.id === "number" ? m.id : undefined, code: typeof body.code === "number" ? body.code : -1, message: String(body.msg ?? "") }];
    }
    case "ticker": {
      const t = m as unknown as KalshiTickerMsg;
      const b = t.msg;
      if (typeof b?.market_ticker !== "string") return [malformed("ticker: no market_ticker", text, DETAIL_CHARS)];
      const bid = b.yes_bid_dollars === undefined ? undefined : kalshiPriceUnits(b.yes_bid_dollars);
      const ask = b.yes_ask_dollars === undefined ? undefined : kalshiPriceUnits(b.yes_ask_dollars);
      const bidSize = b.yes_bid_size_fp === undefined ? 0 : kalshiCountUnits(b.yes_bid_size_fp);
      const askSize = b.yes_ask_size_fp === undefined ? 0 : kalshiCountUnits(b.yes_ask_size_fp);
      if ((b.yes_bid_dollars !== undefined && bid === undefined) || (b.yes_ask_dollars !== undefined && ask === undefined) || bidSize === undefined || askSize === undefined) {
        return [malformed("ticker: bad fields", text, DETAIL_CHARS)];
      }
      const tsMs = typeof b.ts_ms === "number" ? b.ts_ms : typeof b.ts === "number" ? b.ts * 1000 : undefined;
      return [{ kind: "ticker", sid: typeof t.sid === "number" ? t.sid : -1, ticker: b.market_ticker, bid, ask, bidSize, askSize, tsMs }];
    }
    case "ticker_v2":
    case "market_lifecycle_v2":
      return [{ kind: "ignored", what: String(m.type) }];
    default:
      return [malformed(`type ${String(m.type)}`, text, DETAIL_CHARS)];
  }
}
