/**
 * Deterministic synthetic markets for the offline demo: a fair price per instrument that every demo
 * feed computes identically (same `market_seed`), plus per-feed noise and occasional dislocations, so
 * two demo feeds on the same instruments sometimes disagree by more than their fees.
 */

/** mulberry32: a tiny seeded PRNG (deterministic across runs and machines). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, for per-instrument seeds. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface WalkOptions {
  readonly start: number;
  /** Standard deviation of one step, bps. */
  readonly volBps: number;
}

/** The shared fair-price path of one instrument: step k is the same for every feed. */
export class FairPath {
  #rand: () => number;
  #price: number;
  #step = 0;
  readonly #volBps: number;

  constructor(seed: number, options: WalkOptions) {
    this.#rand = prng(seed);
    this.#price = options.start;
    this.#volBps = options.volBps;
  }

  /** Fair price at step `k` (steps only move forward). */
  at(k: number): number {
    while (this.#step < k) {
      const u = this.#rand() + this.#rand() + this.#rand() - 1.5; // ~N(0, 0.5)
      this.#price *= 1 + (u * 2 * this.#volBps) / 1e4;
      this.#step++;
    }
    return this.#price;
  }
}

/** Builds `levels` price levels each side around `mid`, best first, `spreadBps` apart at the top. */
export function ladder(mid: number, spreadBps: number, levels: number, tick: number, rand: () => number): { bids: [number, number][]; asks: [number, number][] } {
  const half = Math.max(tick, (mid * spreadBps) / 2e4);
  const round = (p: number) => Math.round(p / tick) * tick;
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  let bid = round(mid - half);
  let ask = round(mid + half);
  if (ask <= bid) ask = bid + tick;
  for (let i = 0; i < levels; i++) {
    bids.push([bid, +(0.2 + rand() * 2).toFixed(4)]);
    asks.push([ask, +(0.2 + rand() * 2).toFixed(4)]);
    bid = round(bid - tick * (1 + Math.floor(rand() * 3)));
    ask = round(ask + tick * (1 + Math.floor(rand() * 3)));
  }
  return { bids, asks };
}
