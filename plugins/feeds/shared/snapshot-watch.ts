/**
 * The lost-snapshot watchdog of feeds whose book subscription answers with a snapshot: after
 * (re)subscribing, a book that is still not live when `timeoutMs` runs out, on a connection that is live,
 * is reported lost so the feed can subscribe again. Timers run on the injected clock.
 */
import type { Clock, TimerHandle } from "../../../core/clock.ts";

export interface SnapshotWatchOptions {
  readonly clock: Clock;
  /** How long a snapshot may take after subscribing; ≤ 0 = never watch. */
  readonly timeoutMs: number;
  /** Whether the instrument's book is live (its snapshot arrived). */
  readonly bookLive: (instrument: string) => boolean;
  /** Whether the connection carrying `subscription` is live (a socket down is the reconnect's business). */
  readonly connectionLive: (subscription: string) => boolean;
  /** The snapshot did not come: log, count and subscribe again. */
  readonly onLost: (instrument: string, subscription: string) => void;
}

/** One timer per instrument; watching again restarts it. */
export interface SnapshotWatch {
  /** Starts (or restarts) the wait for `instrument`'s snapshot on `subscription`. */
  watch(instrument: string, subscription: string): void;
  /** Cancels every pending wait. */
  stop(): void;
}

/**
 * @example
 * const snapshots = snapshotWatch({ clock: ctx.clock, timeoutMs: c.resync_timeout_ms, bookLive, connectionLive, onLost });
 * snapshots.watch("BTCUSDT", "orderbook.50.BTCUSDT");
 */
export function snapshotWatch(o: SnapshotWatchOptions): SnapshotWatch {
  const timers = new Map<string, TimerHandle>();
  return {
    watch(instrument, subscription) {
      if (o.timeoutMs <= 0) return;
      const old = timers.get(instrument);
      if (old !== undefined) o.clock.clearTimeout(old);
      timers.set(
        instrument,
        o.clock.setTimeout(function checkSnapshotArrived() {
          timers.delete(instrument);
          if (o.bookLive(instrument) || !o.connectionLive(subscription)) return;
          o.onLost(instrument, subscription);
        }, o.timeoutMs),
      );
    },
    stop() {
      for (const t of timers.values()) o.clock.clearTimeout(t);
    },
  };
}
