/**
 * Per-subscription cadence watchdog: for venues that promise a message per subscription at a known
 * rhythm (a full snapshot every block, a ticker every second). A subscription that misses its rhythm
 * is reported once; a quiet book without a promised rhythm is never tracked here, so never stale.
 */
import type { Clock, TimerHandle } from "../clock.ts";

/** Settings of a `CadenceWatchdog`. */
export interface CadenceOptions {
  readonly clock: Clock;
  /** The promised interval between messages of one subscription, ms. */
  readonly everyMs: number;
  /** Extra slack before a subscription counts as missed, ms (default `everyMs`). */
  readonly graceMs?: number;
  /** Called with the ids that just missed their cadence (once per miss, until `seen` again). */
  readonly onMissed: (ids: readonly string[]) => void;
}

/**
 * Tracks when each subscription last delivered. One timer for all subscriptions, scanning every
 * `everyMs / 2`; a miss is reported between `everyMs + graceMs` and `1.5 × everyMs + graceMs` after the
 * last message.
 *
 * @example
 * const cadence = new CadenceWatchdog({ clock, everyMs: 6_000, onMissed: (ids) => markStale(ids) });
 * cadence.track(["BTC", "ETH"]);
 * cadence.seen("BTC"); // on every snapshot of BTC
 */
export class CadenceWatchdog {
  #o: CadenceOptions;
  #last = new Map<string, number>();
  #missed = new Set<string>();
  #timer: TimerHandle | undefined;

  constructor(options: CadenceOptions) {
    if (!(options.everyMs > 0)) throw new Error("cadence everyMs must be positive");
    this.#o = options;
  }

  /** Starts (or restarts) watching these ids as if each had just delivered. */
  track(ids: Iterable<string>): void {
    const now = this.#o.clock.now();
    for (const id of ids) {
      this.#last.set(id, now);
      this.#missed.delete(id);
    }
    this.#arm();
  }

  /** Stops watching these ids (unsubscribed, or their connection is down and reported as such). */
  untrack(ids: Iterable<string>): void {
    for (const id of ids) {
      this.#last.delete(id);
      this.#missed.delete(id);
    }
    if (this.#last.size === 0) this.#disarm();
  }

  /** A message for `id` arrived. Cheap: one map write. Unknown ids are ignored. */
  seen(id: string): void {
    if (!this.#last.has(id)) return;
    this.#last.set(id, this.#o.clock.now());
    this.#missed.delete(id);
  }

  /** Ids currently past their cadence. */
  missed(): ReadonlySet<string> {
    return this.#missed;
  }

  /** Number of tracked ids. */
  get size(): number {
    return this.#last.size;
  }

  /** Clears the timer and forgets everything. */
  stop(): void {
    this.#disarm();
    this.#last.clear();
    this.#missed.clear();
  }

  #arm(): void {
    if (this.#timer !== undefined || this.#last.size === 0) return;
    this.#timer = this.#o.clock.setInterval(this.#scan, Math.max(1, Math.floor(this.#o.everyMs / 2)));
  }

  #disarm(): void {
    this.#o.clock.clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #scan = (): void => {
    const limit = this.#o.everyMs + (this.#o.graceMs ?? this.#o.everyMs);
    const now = this.#o.clock.now();
    let fresh: string[] | undefined;
    for (const [id, last] of this.#last) {
      if (now - last > limit && !this.#missed.has(id)) {
        this.#missed.add(id);
        (fresh ??= []).push(id);
      }
    }
    if (fresh !== undefined) this.#o.onMissed(fresh);
  };
}
