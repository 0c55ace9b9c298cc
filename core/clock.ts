/**
 * Time, injectable. Everything that waits or measures age goes through a `Clock`, so tests and replay
 * drive time by hand and get the same result on every run.
 *
 * @example
 * const clock = new ManualClock(0);
 * clock.setTimeout(() => console.log("fired"), 1000);
 * clock.advance(1000); // prints "fired"
 */
export interface Clock {
  /** Milliseconds since the epoch (wall time, or virtual time in tests and replay). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** Opaque timer handle. */
export type TimerHandle = { readonly __timer: true } | number | object;

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (h) => {
    if (h !== undefined) clearTimeout(h as ReturnType<typeof setTimeout>);
  },
  setInterval: (fn, ms) => setInterval(fn, ms) as unknown as TimerHandle,
  clearInterval: (h) => {
    if (h !== undefined) clearInterval(h as ReturnType<typeof setInterval>);
  },
};

interface ManualTimer {
  readonly id: number;
  at: number;
  readonly every: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. Timers fire in time order (ties in creation order) during
 * `advance`/`advanceTo`, each seeing `now()` equal to its due time.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const t = handle as unknown as ManualTimer;
    t.cancelled = true;
    const i = this.#timers.indexOf(t);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Moves time to `t` (never backwards), firing due timers in order. */
  advanceTo(t: number): void {
    for (;;) {
      const next = this.#next();
      if (next === undefined || next.at > t) break;
      this.#now = Math.max(this.#now, next.at);
      if (next.every > 0) next.at += next.every;
      else this.#timers.splice(this.#timers.indexOf(next), 1);
      next.fn();
    }
    this.#now = Math.max(this.#now, t);
  }

  /** Timers waiting (tests assert nothing leaks). */
  pending(): number {
    return this.#timers.length;
  }

  #next(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) {
      if (best === undefined || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    }
    return best;
  }

  #add(fn: () => void, ms: number, every: number): TimerHandle {
    const t: ManualTimer = { id: this.#seq++, at: this.#now + Math.max(0, ms), every, fn, cancelled: false };
    this.#timers.push(t);
    return t as unknown as TimerHandle;
  }
}
