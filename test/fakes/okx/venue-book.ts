/**
 * The fake OKX venue's truth for one instrument: levels as the venue's own strings (contracts), a seqId,
 * and a deterministic random walk of changes on a fixed price grid (never crossed).
 */
import { okxChecksum } from "../../../plugins/feeds/okx/checksum.ts";
import type { OkxLevel } from "../../../plugins/feeds/okx/messages.ts";

/** A deterministic PRNG (mulberry32). */
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

/** One changed level set: what an `update` push carries. */
export interface OkxChange {
  readonly bids: OkxLevel[];
  readonly asks: OkxLevel[];
}

export class OkxVenueBook {
  readonly instId: string;
  readonly tick: number;
  readonly decimals: number;
  /** Grid origin: bids at origin − k·tick (k ≥ 1), asks at origin + k·tick (k ≥ 0). */
  readonly origin: number;
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  seqId: number;
  ts = 1_700_000_000_000;
  #rand: () => number;

  constructor(instId: string, origin: number, tick: number, seed: number, levels = 30) {
    this.instId = instId;
    this.origin = origin;
    this.tick = tick;
    this.decimals = (String(tick).split(".")[1] ?? "").length;
    this.#rand = prng(seed);
    this.seqId = 1000 + Math.floor(this.#rand() * 1000);
    for (let k = 0; k < levels; k++) {
      this.bids.set(this.#px("bid", k + 1), this.#size());
      this.asks.set(this.#px("ask", k), this.#size());
    }
  }

  #px(side: "bid" | "ask", k: number): string {
    return (side === "bid" ? this.origin - k * this.tick : this.origin + k * this.tick).toFixed(this.decimals);
  }

  #size(): string {
    return String(1 + Math.floor(this.#rand() * 500));
  }

  /** Levels best first, as the venue sends them. */
  levels(side: "bid" | "ask", limit = Number.POSITIVE_INFINITY): OkxLevel[] {
    const m = side === "bid" ? this.bids : this.asks;
    const rows = [...m.entries()].sort((a, b) => (side === "bid" ? +b[0] - +a[0] : +a[0] - +b[0]));
    return rows.slice(0, limit).map(([px, sz]) => [px, sz, "0", "1"] as const);
  }

  /** The venue's checksum of its book now. */
  checksum(): number {
    return okxChecksum(this.levels("bid", 25), this.levels("ask", 25));
  }

  /** Applies 1–3 random changes (a size, a new level or a removal) and moves the seqId on. */
  step(): { change: OkxChange; prevSeqId: number; seqId: number } {
    const bids: OkxLevel[] = [];
    const asks: OkxLevel[] = [];
    const n = 1 + Math.floor(this.#rand() * 3);
    for (let i = 0; i < n; i++) {
      const side = this.#rand() < 0.5 ? "bid" : "ask";
      const k = side === "bid" ? 1 + Math.floor(this.#rand() * 40) : Math.floor(this.#rand() * 40);
      const px = this.#px(side, k);
      const book = side === "bid" ? this.bids : this.asks;
      const out = side === "bid" ? bids : asks;
      if (out.some((l) => l[0] === px)) continue;
      const sz = this.#rand() < 0.25 && book.has(px) ? "0" : this.#size();
      if (sz === "0") book.delete(px);
      else book.set(px, sz);
      out.push([px, sz, "0", sz === "0" ? "0" : "1"]);
    }
    const prevSeqId = this.seqId;
    this.seqId += 1 + Math.floor(this.#rand() * 3);
    this.ts += 10;
    return { change: { bids, asks }, prevSeqId, seqId: this.seqId };
  }

  /** A random trade at the top of the book. */
  trade(): { px: string; sz: string; side: "buy" | "sell" } {
    const buy = this.#rand() < 0.5;
    const top = buy ? this.levels("ask", 1)[0] : this.levels("bid", 1)[0];
    return { px: top?.[0] ?? this.origin.toFixed(this.decimals), sz: String(1 + Math.floor(this.#rand() * 5)), side: buy ? "buy" : "sell" };
  }
}
