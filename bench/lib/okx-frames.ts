/**
 * Venue-faithful OKX frames for the end-to-end benchmarks, built once before a run: a 400-level `books`
 * stream per instrument (snapshot + updates with seqId/prevSeqId and the real CRC32 of the top 25 levels,
 * okx.md) and a `bbo-tbt` stream. Prices sit on a fixed grid (bids below the origin, asks at or above it),
 * so a book is never crossed; every update changes 1–3 levels, mostly near the top, as tick-by-tick
 * pushes do. Sizes are contracts as OKX sends them.
 */
import { okxChecksum } from "../../plugins/feeds/okx/checksum.ts";
import { prng } from "../../test/fakes/okx/venue-book.ts";

/** One instrument of the stream server. */
export interface StreamInstrument {
  readonly instId: string;
  readonly mid: number;
  readonly tick: number;
  readonly ctVal: number;
}

/** What the client must end with: the last seqId and the venue's final top of book and checksum. */
export interface StreamPlan {
  readonly instId: string;
  readonly updates: number;
  readonly lastSeqId: number;
  /** The venue time (`ts`) of the last frame. */
  readonly lastTs: number;
  readonly bestBid: number;
  readonly bestAsk: number;
  readonly checksum: number;
}

/** A precomputed stream: the snapshot frame, then the update frames in order. */
export interface BookStream {
  readonly snapshot: string;
  readonly updates: readonly string[];
  readonly plan: StreamPlan;
}

type Row = [string, string, string, string];

const DEPTH = 400;

/** A 400-slot-per-side grid book that can emit OKX frames. */
class GridBook {
  readonly #bid: string[] = [];
  readonly #ask: string[] = [];
  readonly #px: (side: 0 | 1, k: number) => string;
  readonly #rand: () => number;
  seqId: number;
  ts = 1_700_000_000_000;

  constructor(inst: StreamInstrument, seed: number) {
    const decimals = (String(inst.tick).split(".")[1] ?? "").length;
    // slot k of the bids is origin − (k+1)·tick, of the asks origin + k·tick: best first
    this.#px = (side, k) => (side === 0 ? inst.mid - (k + 1) * inst.tick : inst.mid + k * inst.tick).toFixed(decimals);
    this.#rand = prng(seed);
    this.seqId = 10_000 + Math.floor(this.#rand() * 1000);
    for (let k = 0; k < DEPTH; k++) {
      this.#bid.push(this.#size());
      this.#ask.push(this.#size());
    }
  }

  #size(): string {
    return String(1 + Math.floor(this.#rand() * 500));
  }

  levels(side: 0 | 1, limit: number): Row[] {
    const slots = side === 0 ? this.#bid : this.#ask;
    const out: Row[] = [];
    for (let k = 0; k < slots.length && out.length < limit; k++) {
      const sz = slots[k]!;
      if (sz !== "") out.push([this.#px(side, k), sz, "0", "1"]);
    }
    return out;
  }

  checksum(): number {
    return okxChecksum(this.levels(0, 25), this.levels(1, 25));
  }

  best(side: 0 | 1): number {
    const top = this.levels(side, 1)[0];
    return top === undefined ? Number.NaN : Number(top[0]);
  }

  /** 1–3 changes (size, removal, or a refill of an empty slot); 80 % of them in the top 20 slots. */
  step(): { bids: Row[]; asks: Row[] } {
    const bids: Row[] = [];
    const asks: Row[] = [];
    const n = 1 + Math.floor(this.#rand() * 3);
    for (let i = 0; i < n; i++) {
      const side: 0 | 1 = this.#rand() < 0.5 ? 0 : 1;
      const k = this.#rand() < 0.8 ? Math.floor(this.#rand() * 20) : Math.floor(this.#rand() * DEPTH);
      const slots = side === 0 ? this.#bid : this.#ask;
      const out = side === 0 ? bids : asks;
      const px = this.#px(side, k);
      if (out.some((r) => r[0] === px)) continue;
      const remove = slots[k] !== "" && this.#rand() < 0.2;
      const sz = remove ? "0" : this.#size();
      slots[k] = remove ? "" : sz;
      out.push([px, sz, "0", remove ? "0" : "1"]);
    }
    this.ts += 1;
    return { bids, asks };
  }
}

/** Snapshot + `n` updates of a 400-level `books` stream, checksummed (or with checksum 0). */
export function booksStream(inst: StreamInstrument, n: number, seed: number, checksummed = true): BookStream {
  const book = new GridBook(inst, seed);
  const arg = `{"channel":"books","instId":"${inst.instId}"}`;
  const cs = (): number => (checksummed ? book.checksum() : 0);
  const snapshot = `{"arg":${arg},"action":"snapshot","data":[${JSON.stringify({ asks: book.levels(1, DEPTH), bids: book.levels(0, DEPTH), ts: String(book.ts), checksum: cs(), prevSeqId: -1, seqId: book.seqId })}]}`;
  const updates: string[] = [];
  for (let i = 0; i < n; i++) {
    const { bids, asks } = book.step();
    const prevSeqId = book.seqId;
    book.seqId += 1;
    updates.push(`{"arg":${arg},"action":"update","data":[${JSON.stringify({ asks, bids, ts: String(book.ts), checksum: cs(), prevSeqId, seqId: book.seqId })}]}`);
  }
  return { snapshot, updates, plan: { instId: inst.instId, updates: n, lastSeqId: book.seqId, lastTs: book.ts, bestBid: book.best(0), bestAsk: book.best(1), checksum: book.checksum() } };
}

/** `n` bbo-tbt pushes (one level a side, a seqId each) of one instrument; the first doubles as "snapshot". */
export function bboStream(inst: StreamInstrument, n: number, seed: number): BookStream {
  const book = new GridBook(inst, seed);
  const arg = `{"channel":"bbo-tbt","instId":"${inst.instId}"}`;
  const frame = (): string => `{"arg":${arg},"data":[${JSON.stringify({ asks: book.levels(1, 1), bids: book.levels(0, 1), ts: String(book.ts), seqId: book.seqId })}]}`;
  const snapshot = frame();
  const updates: string[] = [];
  for (let i = 0; i < n; i++) {
    book.step();
    book.seqId += 1;
    updates.push(frame());
  }
  return { snapshot, updates, plan: { instId: inst.instId, updates: n, lastSeqId: book.seqId, lastTs: book.ts, bestBid: book.best(0), bestAsk: book.best(1), checksum: 0 } };
}

/** Instruments of the stream server: linear USDT swaps at distinct prices. */
export function streamInstruments(count: number): StreamInstrument[] {
  const bases = ["BTC", "ETH", "SOL", "XRP", "DOGE", "LTC", "ADA", "AVAX"];
  const mids = [80_000, 2_300, 150, 2.5, 0.25, 90, 0.7, 30];
  const ticks = [0.1, 0.01, 0.01, 0.0001, 0.00001, 0.01, 0.0001, 0.001];
  const ctVals = [0.01, 0.1, 1, 100, 1000, 1, 100, 1];
  return Array.from({ length: count }, (_, i) => ({ instId: `${bases[i % 8]}-USDT-SWAP`, mid: mids[i % 8]!, tick: ticks[i % 8]!, ctVal: ctVals[i % 8]! }));
}
