/**
 * A sliding-window request limiter on the injected clock: at most `limit` starts per `windowMs`. The
 * venue's REST limits are sliding windows (Cloudflare, per IP); staying under them avoids being queued
 * or refused.
 */
import type { Clock } from "../../../core/clock.ts";

export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  #clock: Clock;
  #starts: number[] = [];
  #waiters: (() => void)[] = [];
  #timer: unknown;

  constructor(clock: Clock, limit: number, windowMs: number) {
    if (!(limit >= 1)) throw new Error(`a rate limit must allow at least 1 request, got ${limit}`);
    this.#clock = clock;
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Requests started in the current window. */
  get used(): number {
    this.#trim();
    return this.#starts.length;
  }

  /** Resolves when one more request may start (immediately when under the limit). */
  take(): Promise<void> {
    this.#trim();
    if (this.#waiters.length === 0 && this.#starts.length < this.limit) {
      this.#starts.push(this.#clock.now());
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.#waiters.push(resolve);
      this.#arm();
    });
  }

  /** Drops waiting requests' wake-up timer (the feed stopped); they never resolve. */
  stop(): void {
    this.#clock.clearTimeout(this.#timer as never);
    this.#timer = undefined;
    this.#waiters.length = 0;
  }

  #trim(): void {
    const from = this.#clock.now() - this.windowMs;
    let i = 0;
    while (i < this.#starts.length && this.#starts[i]! <= from) i++;
    if (i > 0) this.#starts.splice(0, i);
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const oldest = this.#starts[0] ?? this.#clock.now();
    const wait = Math.max(1, oldest + this.windowMs - this.#clock.now() + 1);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#trim();
      while (this.#waiters.length > 0 && this.#starts.length < this.limit) {
        this.#starts.push(this.#clock.now());
        this.#waiters.shift()!();
      }
      if (this.#waiters.length > 0) this.#arm();
    }, wait);
  }
}
