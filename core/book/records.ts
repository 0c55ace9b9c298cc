/**
 * The store's internal records: one `FeedRecord` per feed instance, one `MarketEntry` per
 * (feed, instrument). Shared by the writer (core/book/writer.ts) and the store (core/store.ts);
 * plugins never see them.
 */
import type { TimerHandle } from "../clock.ts";
import type { FeedState } from "../events.ts";
import { FeedMetrics, QuoteSlot, TradeRing } from "../quotes.ts";
import { L2Book } from "./book.ts";

/** One (feed, instrument): its book and its last published top of book. */
export class MarketEntry {
  readonly book: L2Book;
  readonly slot = new QuoteSlot();
  /** Frame stamp of the writer's frame that last touched it (dedupes the changed list). */
  frame = 0;
  /** The key under which the store indexes it (for cross-venue lookups). */
  indexedKey: string | undefined = undefined;

  constructor(feed: string, instrument: string, key: string, capacity: number) {
    this.book = new L2Book(feed, instrument, key, capacity);
  }
}

/** One feed instance: its markets, connection state, health and counters. */
export class FeedRecord {
  readonly id: string;
  readonly entries = new Map<string, MarketEntry>();
  readonly trades = new Map<string, TradeRing>();
  readonly metrics = new FeedMetrics();
  /** Resyncs counted per reason. */
  readonly resyncs = new Map<string, number>();
  /** Last state the connection layer published (`feed.status` from others). */
  connState: FeedState | undefined = undefined;
  /** The state as published, the store's `degraded` included. */
  state: FeedState | undefined = undefined;
  reasons: readonly string[] = [];
  /** The health checks currently crossed (comma-joined), as last published. */
  healthChecks = "";
  /** A pending re-evaluation after the connection layer said `live`. */
  healthTimer: TimerHandle | undefined = undefined;
  /** When the connection last became live (clock ms), NaN when not live. */
  liveSince = Number.NaN;
  /** When the writer last ended a frame (clock ms), NaN before the first. */
  lastFrameAt = Number.NaN;

  constructor(id: string) {
    this.id = id;
  }

  /** Counts one resync for `reason`. */
  countResync(reason: string): void {
    this.resyncs.set(reason, (this.resyncs.get(reason) ?? 0) + 1);
  }

  /** Whether strategies may use this feed's data: `live` or `degraded` (SIGNALS.md). */
  usable(): boolean {
    return this.state === "live" || this.state === "degraded";
  }
}
