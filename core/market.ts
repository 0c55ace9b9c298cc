/**
 * The market-data store interface that plugins see through `ctx.store`: books and quotes with their
 * freshness. The implementation is core/store.ts (`createMarketStore`), with the books in core/book/
 * and the quote engine in core/quotes.ts; feeds write through `ctx.writer()` (core/book/writer.ts).
 *
 * @example
 * ctx.bus.on("frame.end", (f) => {
 *   const book = ctx.store.book(f.feed, f.instruments[0]!);
 *   if (book === undefined || !ctx.store.fresh(f.feed, book.instrument).ok) return;
 *   const fill = walkBook(book, "buy", 10_000, "quote"); // $10k of asks: fill.vwap, fill.worstPrice
 * });
 */
import type { FeedState, Level, Quote } from "./events.ts";

/** A book's own state: `live` (in sync), `resyncing` (waiting for a fresh snapshot), `stale` (watchdog). */
export type BookState = "live" | "resyncing" | "stale";

export type BookSide = "bid" | "ask";

/** Read-only view of one L2 book. Level access by index allocates nothing (walkers use it). */
export interface BookView {
  readonly feed: string;
  readonly instrument: string;
  readonly key: string;
  readonly state: BookState;
  readonly seq: number | undefined;
  readonly tsEvent: number;
  readonly tsRecv: number;
  readonly tickSize: number | undefined;
  /** Number of levels on a side. */
  levels(side: BookSide): number;
  /** Price of level `i` (0 = best) on a side. */
  price(side: BookSide, i: number): number;
  /** Size of level `i` (0 = best) on a side. */
  size(side: BookSide, i: number): number;
  /** Best `n` levels of each side, best first (allocates: for display, not hot paths). */
  depth(n: number): { bids: Level[]; asks: Level[] };
  /** Its own best bid ≥ best ask. */
  crossed(): boolean;
}

/** Why a leg may not be used (SIGNALS.md), counted per reason. */
export type SuppressionReason =
  | "stale"
  | "resyncing"
  | "crossed"
  | "feed_down"
  | "late"
  | "no_book"
  | "incomplete_event"
  | "fee_unknown"
  | "below_min_order";

/** Whether a leg may be used now, and if not why. */
export interface Freshness {
  readonly ok: boolean;
  readonly reasons: readonly SuppressionReason[];
  /** ms since the book or quote last changed. */
  readonly ageMs: number;
}

/** What plugins read: books, quotes, freshness. */
export interface MarketStore {
  book(feed: string, instrument: string): BookView | undefined;
  quote(feed: string, instrument: string): Quote | undefined;
  books(): Iterable<BookView>;
  quotes(): Iterable<Quote>;
  /** SIGNALS.md leg rules: resyncing, crossed, feed not live/degraded, late by the venue's clock. */
  fresh(feed: string, instrument: string): Freshness;
  feedState(feed: string): FeedState | undefined;
}
