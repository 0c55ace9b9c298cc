/**
 * The venue's truth for the perp fakes (Binance, Bybit, Paradex): one L2 book per instrument that moves
 * by seeded random changes, so a test can compare the client's book with what the venue holds.
 */
import type { Level } from "../../../core/events.ts";

/** A small seeded PRNG (mulberry32): the same seed gives the same changes on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return function next(): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Changed levels of one update; size 0 = removed. */
export interface TruthChange {
  readonly bids: Level[];
  readonly asks: Level[];
}

/**
 * A book around a fixed mid: bids on `mid - tick·k`, asks on `mid + tick·k` (k = 1…span), so random
 * changes never cross it.
 */
export class BookTruth {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  readonly #rand: () => number;
  readonly #mid: number;
  readonly #tick: number;
  readonly #span: number;

  constructor(options: { mid: number; tick: number; levels: number; seed: number; span?: number }) {
    this.#rand = seeded(options.seed);
    this.#mid = options.mid;
    this.#tick = options.tick;
    this.#span = options.span ?? options.levels * 2;
    for (let k = 1; k <= options.levels; k++) {
      this.bids.set(this.#price("bid", k), this.#size());
      this.asks.set(this.#price("ask", k), this.#size());
    }
  }

  /** One random change of 1–3 levels (set a size, add a level, or remove one), applied to the truth. */
  change(): TruthChange {
    const out: TruthChange = { bids: [], asks: [] };
    const n = 1 + Math.floor(this.#rand() * 3);
    for (let i = 0; i < n; i++) {
      const side = this.#rand() < 0.5 ? "bid" : "ask";
      const k = 1 + Math.floor(this.#rand() * this.#span);
      const price = this.#price(side, k);
      const map = side === "bid" ? this.bids : this.asks;
      // keep at least one level per side so the book always has a top
      const remove = this.#rand() < 0.3 && map.has(price) && map.size > 1;
      const size = remove ? 0 : this.#size();
      if (size === 0) map.delete(price);
      else map.set(price, size);
      (side === "bid" ? out.bids : out.asks).push([price, size]);
    }
    return out;
  }

  /** Levels best first (all, or the best `n`). */
  levels(side: "bid" | "ask", n = Number.POSITIVE_INFINITY): Level[] {
    const map = side === "bid" ? this.bids : this.asks;
    const sorted = [...map.entries()].sort((a, b) => (side === "bid" ? b[0] - a[0] : a[0] - b[0]));
    return sorted.slice(0, n);
  }

  #price(side: "bid" | "ask", k: number): number {
    const p = side === "bid" ? this.#mid - this.#tick * k : this.#mid + this.#tick * k;
    return Math.round(p * 1e8) / 1e8;
  }

  #size(): number {
    return Math.round((0.001 + this.#rand() * 5) * 1000) / 1000;
  }
}

/** Levels as comparable text (prices and sizes rounded to 1e-8). */
export function levelsText(levels: readonly Level[] | undefined): string {
  return JSON.stringify((levels ?? []).map(([p, s]) => [Math.round(p * 1e8) / 1e8, Math.round(s * 1e8) / 1e8]));
}

/** Both sides (best `depth` levels) as one comparable text. */
export function bookText(bids: readonly Level[] | undefined, asks: readonly Level[] | undefined): string {
  return `${levelsText(bids)}|${levelsText(asks)}`;
}

/**
 * What the venue's book was at each sequence number, to judge a client's book at any `frame.end`: a
 * book the store calls fresh must equal the venue's book at the book's own seq.
 */
export class TruthHistory {
  readonly #at = new Map<string, Map<number, string>>();
  record(instrument: string, seq: number, truth: BookTruth, depth = Number.POSITIVE_INFINITY): void {
    let m = this.#at.get(instrument);
    if (m === undefined) this.#at.set(instrument, (m = new Map()));
    m.set(seq, bookText(truth.levels("bid", depth), truth.levels("ask", depth)));
  }
  at(instrument: string, seq: number): string | undefined {
    return this.#at.get(instrument)?.get(seq);
  }
}

/** Formats a number the way venues write decimals in JSON (a plain string). */
export function dec(n: number): string {
  return String(n);
}
