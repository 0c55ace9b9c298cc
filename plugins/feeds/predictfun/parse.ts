/**
 * Predict.fun frame → domain events. PURE: no I/O, no clock. A market has one book priced in YES; the NO
 * book is the same orders seen from the other side (a YES bid at p is a NO ask at 1 − p), with each price
 * complemented at the market's `decimalPrecision`. Every push is the whole book: a snapshot.
 */
import type { BookSnapshot, Level } from "../../../core/events.ts";
import type { PredictLevel, PredictOrderbook, PredictPush, PredictResponse } from "./messages.ts";
import { malformed, readJsonObject, type Malformed } from "../shared/frame.ts";

/** Topic of a market's order book. */
export const predictTopic = (marketId: string): string => `predictOrderbook/${marketId}`;

/** The two book instruments of a market: `<id>:yes` and `<id>:no`. */
export function predictInstruments(marketId: string): { yes: string; no: string } {
  return { yes: `${marketId}:yes`, no: `${marketId}:no` };
}

export type PredictEvent =
  | { readonly kind: "book"; readonly market: string; readonly book: PredictOrderbook }
  | { readonly kind: "heartbeat"; readonly data: unknown }
  | { readonly kind: "response"; readonly requestId: number; readonly success: boolean; readonly error: string }
  | { readonly kind: "ignored"; readonly what: string }
  | Malformed;

/** How much of a refused frame a `malformed` descriptor keeps. */
const DETAIL_CHARS = 160;

function validLevels(raw: unknown): raw is PredictLevel[] {
  if (!Array.isArray(raw)) return false;
  for (const l of raw) {
    if (!Array.isArray(l) || typeof l[0] !== "number" || typeof l[1] !== "number" || !Number.isFinite(l[0]) || !Number.isFinite(l[1]) || l[0] < 0 || l[0] > 1 || l[1] < 0) return false;
  }
  return true;
}

/** Checks a book object (WS push `data` or REST `data`). */
export function predictBookOf(raw: unknown): PredictOrderbook | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const b = raw as Record<string, unknown>;
  if (!validLevels(b.asks) || !validLevels(b.bids)) return undefined;
  if (typeof b.updateTimestampMs !== "number" || (typeof b.marketId !== "number" && typeof b.marketId !== "string")) return undefined;
  return raw as PredictOrderbook;
}

/**
 * Parses one text frame.
 *
 * @example
 * for (const ev of parsePredictFrame(text)) if (ev.kind === "book") writeBooks(ev.market, ev.book);
 */
export function parsePredictFrame(text: string): PredictEvent[] {
  const read = readJsonObject(text, DETAIL_CHARS);
  if ("malformed" in read) return [read.malformed];
  const m = read.object;
  if (m.type === "R") {
    const r = m as unknown as PredictResponse;
    if (typeof r.requestId !== "number" || typeof r.success !== "boolean") return [malformed("R: no requestId/success", text, DETAIL_CHARS)];
    return [{ kind: "response", requestId: r.requestId, success: r.success, error: r.error === undefined ? "" : `${r.error.code}: ${r.error.message}` }];
  }
  if (m.type !== "M" || typeof m.topic !== "string") return [malformed(`type ${String(m.type)}`, text, DETAIL_CHARS)];
  const p = m as unknown as PredictPush;
  if (p.topic === "heartbeat") return [{ kind: "heartbeat", data: p.data }];
  const slash = p.topic.indexOf("/");
  const name = slash < 0 ? p.topic : p.topic.slice(0, slash);
  if (name !== "predictOrderbook") return [{ kind: "ignored", what: name }];
  const book = predictBookOf(p.data);
  if (book === undefined) return [malformed("predictOrderbook: bad data", text, DETAIL_CHARS)];
  return [{ kind: "book", market: p.topic.slice(slash + 1), book }];
}

/** `1 − p`, rounded to `decimals` places (the market's `decimalPrecision`), so 1 − 0.61 is 0.39. */
export function complement(price: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round((1 - price) * f) / f;
}

function levels(raw: readonly PredictLevel[]): Level[] {
  return raw.map((l): Level => [l[0], l[1]]);
}

function flipped(raw: readonly PredictLevel[], decimals: number): Level[] {
  return raw.map((l): Level => [complement(l[0], decimals), l[1]]);
}

/**
 * The YES and NO books of one push: the NO book's bids are the YES asks complemented, its asks the YES
 * bids complemented (sizes in shares, unchanged).
 */
export function predictBooks(feed: string, market: string, book: PredictOrderbook, decimals: number, tsRecv: number, source: "ws" | "rest"): [BookSnapshot, BookSnapshot] {
  const ids = predictInstruments(market);
  const base = { feed, tsEvent: book.updateTimestampMs, tsRecv, source, tickSize: 10 ** -decimals };
  return [
    { ...base, instrument: ids.yes, key: ids.yes, bids: levels(book.bids), asks: levels(book.asks) },
    { ...base, instrument: ids.no, key: ids.no, bids: flipped(book.asks, decimals), asks: flipped(book.bids, decimals) },
  ];
}
