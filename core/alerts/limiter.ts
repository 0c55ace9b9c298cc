/**
 * Sliding-window rate limiting on the injected clock, shared by the alert router (per notifier) and
 * notifiers that pace their own requests (per chat, per token).
 */
import type { Clock } from "../clock.ts";

/** One window: at most `count` events per `perMs`. */
export interface RateWindow {
  readonly count: number;
  readonly perMs: number;
}

/**
 * Tells how long to wait before the next event so that every window holds, and records events.
 * `marginMs` is added to each wait, so a server whose clock runs a little behind ours still agrees.
 *
 * @example
 * const lim = new WindowLimiter(clock, [{ count: 1, perMs: 1000 }]);
 * if (lim.waitMs() === 0) { lim.record(); send(); }
 */
export class WindowLimiter {
  readonly #clock: Clock;
  readonly #windows: readonly RateWindow[];
  readonly #marginMs: number;
  readonly #keepMs: number;
  #stamps: number[] = [];
  #holdUntil = 0;

  constructor(clock: Clock, windows: readonly RateWindow[], marginMs = 0) {
    this.#clock = clock;
    this.#windows = windows.filter((w) => w.count > 0 && w.perMs > 0);
    this.#marginMs = marginMs;
    this.#keepMs = Math.max(0, ...this.#windows.map((w) => w.perMs)) + marginMs;
  }

  /** ms until one more event fits every window (0 = now). */
  waitMs(): number {
    const now = this.#clock.now();
    this.#prune(now);
    let wait = 0;
    const n = this.#stamps.length;
    for (const w of this.#windows) {
      let inWindow = 0;
      for (let i = n - 1; i >= 0 && this.#stamps[i]! > now - w.perMs - this.#marginMs; i--) inWindow++;
      if (inWindow >= w.count) {
        const oldest = this.#stamps[n - w.count]!;
        wait = Math.max(wait, oldest + w.perMs + this.#marginMs - now);
      }
    }
    return Math.max(0, wait, this.#holdUntil - now);
  }

  /** Records one event now. */
  record(): void {
    this.#stamps.push(this.#clock.now());
  }

  /** Allows nothing for the next `ms` into the future (the service said "retry after"). */
  holdFor(ms: number): void {
    this.#holdUntil = Math.max(this.#holdUntil, this.#clock.now() + ms);
  }

  #prune(now: number): void {
    let drop = 0;
    while (drop < this.#stamps.length && this.#stamps[drop]! <= now - this.#keepMs) drop++;
    if (drop > 0) this.#stamps.splice(0, drop);
  }
}

/** Resolves after `ms` on `clock`, or at once when `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true || ms <= 0) {
      resolve();
      return;
    }
    const timer = clock.setTimeout(function onSleepDone() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clock.clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
