/**
 * REST book snapshots: the fallback when the socket is slow to send a token's first book
 * (`snapshot_timeout_ms`), the source of truth for a resync (hash or top mismatch, crossed book), and a
 * poll of the books of connections that are down (`rest_poll_ms`). Requests are batched (`POST /books`),
 * de-duplicated and paced by the REST client's sliding-window limits.
 */
import type { Clock, TimerHandle } from "../../../core/clock.ts";
import { describeError } from "../../../core/errors.ts";
import type { Logger } from "../../../core/log.ts";
import type { MarketBooks } from "./books.ts";
import { parseRestBook } from "./parse-rest.ts";
import type { ClobRest } from "./rest.ts";

/** Least time between two REST requests for one token, ms. */
const MIN_INTERVAL_MS = 1_000;

export interface RestSnapshotsOptions {
  readonly feed: string;
  readonly rest: ClobRest;
  readonly books: MarketBooks;
  readonly clock: Clock;
  readonly log: Logger;
  readonly batchSize: number;
  /** No WS book this long after subscribing → REST (0 = never). */
  readonly snapshotTimeoutMs: number;
  /** Poll the books of down connections this often (0 = never). */
  readonly pollMs: number;
  /** Tokens whose connection is down now. */
  readonly downTokens: () => Iterable<string>;
  /** Still subscribed? (an answer for a dropped token is thrown away). */
  readonly wanted: (token: string) => boolean;
  /** Concurrent batch requests (default 4). */
  readonly concurrency?: number;
}

export class RestSnapshots {
  #o: RestSnapshotsOptions;
  #queue = new Set<string>();
  #asked = new Map<string, number>();
  #inFlight = new Set<string>();
  #running = 0;
  #sweep: TimerHandle | undefined;
  #poll: TimerHandle | undefined;
  #stopped = false;
  #scheduled = false;
  /** Failed requests (logged once per error text). */
  failures = 0;

  constructor(options: RestSnapshotsOptions) {
    this.#o = options;
    const o = options;
    if (o.snapshotTimeoutMs > 0) {
      this.#sweep = o.clock.setInterval(() => this.#onSweep(), Math.max(50, Math.floor(o.snapshotTimeoutMs / 2)));
    }
    if (o.pollMs > 0) this.#poll = o.clock.setInterval(() => this.request([...o.downTokens()]), o.pollMs);
  }

  /** Tokens queued or in flight. */
  get pending(): number {
    return this.#queue.size + this.#inFlight.size;
  }

  /**
   * Asks for fresh books of these tokens (queued, batched). Tokens in flight are skipped, and so is a
   * token asked for less than a second ago: a book that keeps failing (crossed at the venue) is retried
   * by the sweep at `snapshot_timeout_ms`, not in a tight loop that burns the REST budget.
   */
  request(tokens: readonly string[]): void {
    if (this.#stopped) return;
    const now = this.#o.clock.now();
    for (const t of tokens) {
      if (this.#inFlight.has(t)) continue;
      const last = this.#asked.get(t);
      if (last !== undefined && now - last < MIN_INTERVAL_MS) continue;
      this.#asked.set(t, now);
      this.#queue.add(t);
    }
    // batch what this turn of the event loop asks for (both tokens of a market, a shard's books)
    if (!this.#scheduled && this.#queue.size > 0) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        this.#pump();
      });
    }
  }

  /** Forgets tokens no longer subscribed. */
  forget(tokens: readonly string[]): void {
    for (const t of tokens) {
      this.#asked.delete(t);
      this.#queue.delete(t);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#o.clock.clearInterval(this.#sweep);
    this.#o.clock.clearInterval(this.#poll);
    this.#queue.clear();
  }

  #onSweep(): void {
    const o = this.#o;
    const late = o.books.waitingSince(o.clock.now() - o.snapshotTimeoutMs).filter((t) => !this.#inFlight.has(t) && !this.#queue.has(t));
    if (late.length > 0) this.request(late);
  }

  #pump(): void {
    const max = this.#o.concurrency ?? 4;
    while (!this.#stopped && this.#running < max && this.#queue.size > 0) {
      const batch: string[] = [];
      for (const t of this.#queue) {
        batch.push(t);
        if (batch.length >= this.#o.batchSize) break;
      }
      for (const t of batch) {
        this.#queue.delete(t);
        this.#inFlight.add(t);
      }
      this.#running++;
      void this.#fetch(batch).finally(() => {
        this.#running--;
        for (const t of batch) this.#inFlight.delete(t);
        this.#pump();
      });
    }
  }

  async #fetch(batch: readonly string[]): Promise<void> {
    const o = this.#o;
    const epochs = new Map(batch.map((t) => [t, o.books.epoch(t)] as const));
    try {
      const answers = await o.rest.requestBooks(batch);
      if (this.#stopped) return;
      const tsRecv = o.clock.now();
      for (const wire of answers) {
        const epoch = epochs.get(wire.asset_id);
        if (epoch === undefined || !o.wanted(wire.asset_id)) continue;
        try {
          o.books.applyRest(parseRestBook(wire, o.feed, tsRecv), epoch);
        } catch (error) {
          this.failures++;
          o.log.once(`rest-book-shape:${describeError(error)}`, "warn", "malformed REST book (logged once per shape)", { error: describeError(error) });
        }
      }
      o.books.endRest(tsRecv);
    } catch (error) {
      if (this.#stopped) return;
      this.failures++;
      o.log.once(`rest-books:${describeError(error)}`, "warn", "REST book request failed; the sweep asks again", { tokens: batch.length, error: describeError(error) });
    }
  }
}
