/**
 * Reconnect delays: exponential growth from `minMs` to `maxMs` with jitter, so many shards (or many bots)
 * that lost the venue at the same moment do not come back at the same moment.
 */

/** `full`: uniform in [minMs, cap]. `equal`: uniform in [cap/2, cap] (the default; see `Backoff`). */
export type JitterMode = "full" | "equal";

/** Reconnect delay settings (`reconnect_min_ms`, `reconnect_max_ms`). */
export interface BackoffOptions {
  /** First delay's ceiling, ms (`reconnect_min_ms`, default 250); `full` jitter never goes below it. */
  readonly minMs?: number;
  /** Largest delay, ms (`reconnect_max_ms`, default 30000). */
  readonly maxMs?: number;
  readonly jitter?: JitterMode;
  /** Uniform [0, 1) source; injectable so tests pick the worst case. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with jitter. Attempt n's ceiling is `min(maxMs, minMs × 2ⁿ)`.
 *
 * The default `equal` jitter draws from the upper half of the ceiling, so even the unluckiest draws
 * still back off exponentially: a venue that refuses for ten minutes sees at most 46 attempts per shard
 * with the defaults (about 33 on average). `full` jitter (uniform from `minMs` up to the ceiling) spreads better but its worst
 * case is one attempt every `minMs`.
 *
 * @example
 * const b = new Backoff({ minMs: 250, maxMs: 30_000 });
 * b.next(); // 125..250
 * b.next(); // 250..500
 * b.reset();
 */
export class Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  readonly jitter: JitterMode;
  #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.minMs = Math.max(1, options.minMs ?? 250);
    this.maxMs = Math.max(this.minMs, options.maxMs ?? 30_000);
    this.jitter = options.jitter ?? "equal";
    this.#random = options.random ?? Math.random;
  }

  /** Attempts since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The ceiling of attempt `n` (no jitter). */
  ceiling(n: number): number {
    // 2^n overflows nothing we care about: cap the exponent before it leaves the double range
    return Math.min(this.maxMs, this.minMs * 2 ** Math.min(n, 40));
  }

  /** The next delay, ms; advances the attempt counter. */
  next(): number {
    const cap = this.ceiling(this.#attempt++);
    const r = Math.min(Math.max(this.#random(), 0), 1);
    const floor = this.jitter === "equal" ? cap / 2 : Math.min(this.minMs, cap);
    return Math.round(floor + r * (cap - floor));
  }

  /** Back to the first attempt (after a healthy period). */
  reset(): void {
    this.#attempt = 0;
  }
}
