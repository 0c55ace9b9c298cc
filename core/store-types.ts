/**
 * The market store's public types: the service the runtime holds, and the rows the HTTP API and
 * metrics read (SURFACE.md). The implementation is core/store.ts.
 */
import type { FeedState, Level, Quote, Trade } from "./events.ts";
import type { BookState, MarketStore } from "./market.ts";
import type { HealthSettings } from "./plugin.ts";
import type { Logger } from "./log.ts";
import type { ScopedBus } from "./bus.ts";
import type { Clock } from "./clock.ts";
import type { BestBidAsk, FeedQuoteStats } from "./quotes.ts";
import type { FeedWriter, WriterOptions } from "./book/writer.ts";

/** One row of `GET /api/quotes` (SURFACE.md): the normalized quote, its age and whether it is stale. */
export interface QuoteRow extends Quote {
  readonly ageMs: number;
  /** True unless the book is `live` and its feed is `live` or `degraded`. */
  readonly stale: boolean;
}

/** `GET /api/books/:feed/:instrument?depth=N` (SURFACE.md). */
export interface BookRow {
  readonly feed: string;
  readonly instrument: string;
  readonly state: BookState;
  readonly bids: Level[];
  readonly asks: Level[];
  readonly seq: number | null;
  readonly tsEvent: number;
  readonly tsRecv: number;
  readonly ageMs: number;
  /** True unless `state` is `live`. */
  readonly stale: boolean;
}

/** Per-feed market-data figures for `/api/feeds`, `/health` and metrics. */
export interface FeedMarketStats extends FeedQuoteStats {
  readonly feed: string;
  readonly state: FeedState | undefined;
  readonly reasons: readonly string[];
  readonly books: number;
  /** Resyncs per reason (`edgewatch_feed_resyncs_total{feed,reason}`). */
  readonly resyncs: Readonly<Record<string, number>>;
  /** ms since the feed last ended a frame, null before the first. */
  readonly lastFrameAgeMs: number | null;
}

/** The store the runtime creates: `MarketStore` for plugins, plus the feeds' writers and the API rows. */
export interface MarketStoreService extends MarketStore {
  /**
   * The writer of one feed: the same object for the same id; each call sets its options (hooks), so a
   * restarted feed instance never leaves the old instance's callbacks behind. See `FeedWriter`.
   * `owner` identifies the feed instance asking (the runtime passes one per start): when it differs from
   * the previous owner, the instance was restarted and every book it inherits goes to `resyncing`
   * (counted `restart` for books that held data) until its own snapshots arrive. Calls without an owner
   * (tests, tools) or from the same owner only set the options.
   */
  writer(feed: string, options?: WriterOptions, owner?: object): FeedWriter;
  /** Recent trades of one instrument, oldest first (bounded). */
  trades(feed: string, instrument: string): Trade[];
  /** Best bid and best ask across feeds for one normalized key, from usable (fresh) books only. */
  bestBidAsk(key: string): BestBidAsk | undefined;
  /** True when the feed is `live` with no health threshold crossed. */
  isHealthy(feed: string): boolean;
  /** Reasons the feed is degraded (empty when healthy). */
  feedReasons(feed: string): readonly string[];
  feedStats(feed: string): FeedMarketStats | undefined;
  /** Feed ids the store knows (written to, or reported by `feed.status`). */
  feedIds(): string[];
  quoteRows(): QuoteRow[];
  quoteRow(feed: string, instrument: string): QuoteRow | undefined;
  bookRow(feed: string, instrument: string, depth?: number): BookRow | undefined;
  /** Replaces the `[health]` thresholds (config reload); applied from the next evaluation. */
  setHealth(settings: HealthSettings): void;
  /** Runs the health evaluation now (the store also runs it every `healthIntervalMs`). */
  evaluateHealth(): void;
  /** Stops the health timer and the `feed.status` listener. */
  stop(): void;
}

/** Options of `createMarketStore`. */
export interface MarketStoreOptions {
  readonly bus: ScopedBus;
  readonly clock: Clock;
  readonly health: HealthSettings;
  readonly log: Logger;
  /** How often health thresholds are evaluated, ms (default 1000). */
  readonly healthIntervalMs?: number;
}
