// Order book: deltas/s on 400-level books (book alone, best-first layout for comparison, and end to end
// through the feed writer to a strategy on frame.end), VWAP walk cost, and memory of 10,000 books of
// 25 levels. Issue 4: the book must be far faster than the proof target of 330k updates/s end to end.
import { heapStats } from "bun:jsc";
import { Bus, scopeBus } from "../core/bus.ts";
import { ManualClock } from "../core/clock.ts";
import type { BookDelta, BookSnapshot, Level } from "../core/events.ts";
import { silentLogger } from "../core/log.ts";
import { L2Book } from "../core/book/book.ts";
import { Fill, walkBook } from "../core/book/walk.ts";
import { createMarketStore, defaultHealthSettings } from "../core/store.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";

const RUNS = 7;
const DEPTH = 400;
const TICK = 0.1;
const MID = 50_000;
const N = 1_000_000;

let seed = 12345;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

function fullSnapshot(depth: number): BookSnapshot {
  const bids: Level[] = [];
  const asks: Level[] = [];
  for (let i = 0; i < depth; i++) {
    bids.push([round(MID - TICK * (i + 1)), 1 + (i % 7)]);
    asks.push([round(MID + TICK * i), 1 + (i % 5)]);
  }
  return { feed: "f", instrument: "BTC", key: "BTC-USDT-PERP", tsEvent: 1, tsRecv: 1, bids, asks };
}

function round(p: number): number {
  return Math.round(p * 10) / 10;
}

/**
 * Realistic stream: offsets from the top drawn from an exponential (mean 6 ticks, so most updates hit the
 * first levels), 15 % removes (size 0), the rest size changes, which insert where a level was removed.
 * Built before timing so generation is not measured.
 */
function makeDeltas(n: number, levelsPerDelta: number): { deltas: BookDelta[] } {
  const deltas: BookDelta[] = [];
  for (let k = 0; k < n; k++) {
    const bids: Level[] = [];
    const asks: Level[] = [];
    for (let j = 0; j < levelsPerDelta; j++) {
      const off = Math.min(DEPTH + 50, Math.floor(-Math.log(1 - rnd()) * 6));
      const size = rnd() < 0.15 ? 0 : Math.round(rnd() * 1000) / 100 + 0.01;
      if (rnd() < 0.5) bids.push([round(MID - TICK * (off + 1)), size]);
      else asks.push([round(MID + TICK * off), size]);
    }
    deltas.push({ feed: "f", instrument: "BTC", key: "BTC-USDT-PERP", tsEvent: 1, tsRecv: 1, bids, asks });
  }
  return { deltas };
}

/** The alternative layout: best level at index 0 (every insert/remove shifts the whole side behind it). */
class BestFirstSide {
  prices = new Float64Array(1024);
  sizes = new Float64Array(1024);
  n = 0;
  /** What the stream did, counted on the first pass (reported as the mix). */
  inserts = 0;
  removes = 0;
  updates = 0;
  constructor(readonly desc: boolean) {}
  set(p: number, s: number): void {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const q = this.prices[mid]!;
      if (this.desc ? q > p : q < p) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.n && this.prices[lo] === p) {
      if (s === 0) {
        this.prices.copyWithin(lo, lo + 1, this.n);
        this.sizes.copyWithin(lo, lo + 1, this.n);
        this.n--;
        this.removes++;
      } else {
        this.sizes[lo] = s;
        this.updates++;
      }
      return;
    }
    if (s === 0) return;
    this.inserts++;
    this.prices.copyWithin(lo + 1, lo, this.n);
    this.sizes.copyWithin(lo + 1, lo, this.n);
    this.prices[lo] = p;
    this.sizes[lo] = s;
    this.n++;
  }
}

const rows: string[][] = [];
const snapshot = fullSnapshot(DEPTH);

for (const perDelta of [1, 5]) {
  const { deltas } = makeDeltas(N, perDelta);
  const levels = N * perDelta;
  const book = new L2Book("f", "BTC", "BTC-USDT-PERP", DEPTH);
  const ours = opsPerSecond(RUNS, levels, () => {
    book.applySnapshot(snapshot);
    for (let i = 0; i < N; i++) book.applyDelta(deltas[i]!);
  });
  const bids = new BestFirstSide(true);
  const asks = new BestFirstSide(false);
  const alt = opsPerSecond(RUNS, levels, () => {
    bids.n = 0;
    asks.n = 0;
    for (const [p, s] of snapshot.bids) bids.set(p, s);
    for (const [p, s] of snapshot.asks) asks.set(p, s);
    bids.inserts -= snapshot.bids.length; // the snapshot is not part of the stream's mix
    asks.inserts -= snapshot.asks.length;
    for (let i = 0; i < N; i++) {
      const d = deltas[i]!;
      for (let j = 0; j < d.bids.length; j++) bids.set(d.bids[j]![0], d.bids[j]![1]);
      for (let j = 0; j < d.asks.length; j++) asks.set(d.asks[j]![0], d.asks[j]![1]);
    }
  });
  // The mix of one pass (the warm-up plus RUNS passes all replay the same stream).
  const passes = RUNS + 1;
  const pct = (x: number) => ((x / passes / levels) * 100).toFixed(0);
  const ins = bids.inserts + asks.inserts;
  const rem = bids.removes + asks.removes;
  const upd = bids.updates + asks.updates;
  const mix = `${pct(upd)} % updates, ${pct(ins)} % inserts, ${pct(rem)} % removes, rest no-op removes; ${book.levels("bid")}/${book.levels("ask")} levels at end`;
  rows.push([`L2Book (best last), ${perDelta} level/delta`, fmtRate(median(ours)), fmtRate(median(ours) / perDelta), mix]);
  rows.push([`best-first arrays (rejected), ${perDelta} level/delta`, fmtRate(median(alt)), fmtRate(median(alt) / perDelta), mix]);
}

// End to end: writer.delta + endFrame per frame, one strategy reading the top on each frame.end.
{
  const { deltas } = makeDeltas(N, 1);
  const bus = new Bus();
  const clock = new ManualClock(0);
  const store = createMarketStore({ bus: scopeBus(bus, "store"), clock, health: defaultHealthSettings, log: silentLogger });
  bus.emit("feed.status", { feed: "f", state: "live", reasons: [], ts: 0 });
  const w = store.writer("f");
  let sink = 0;
  bus.on("frame.end", (f) => {
    const b = store.book(f.feed, f.instruments[0]!)!;
    if (store.fresh(f.feed, b.instrument).ok) sink += b.price("ask", 0) - b.price("bid", 0);
  });
  const e2e = opsPerSecond(RUNS, N, () => {
    w.snapshot(snapshot);
    w.endFrame(0);
    for (let i = 0; i < N; i++) {
      w.delta(deltas[i]!);
      w.endFrame(0);
    }
  });
  if (sink === 0) throw new Error("strategy did not run");
  rows.push(["writer → book → frame.end → strategy, 1 level/frame", fmtRate(median(e2e)), fmtRate(median(e2e)), "fresh() + top read per frame"]);
  store.stop();
}

// Allocation on the hot path: live heap objects before and after 1M deltas and 10k walks (no GC forced
// in between; a per-level or per-update allocation would show up as ~1M objects).
let allocRow: string[];
{
  const { deltas } = makeDeltas(100_000, 1);
  const book = new L2Book("f", "BTC", "BTC-USDT-PERP", DEPTH * 2);
  book.applySnapshot(snapshot);
  const out = new Fill();
  for (const d of deltas) book.applyDelta(d);
  Bun.gc(true);
  const before = heapStats().objectCount;
  for (let r = 0; r < 10; r++) {
    for (let i = 0; i < deltas.length; i++) book.applyDelta(deltas[i]!);
    for (let i = 0; i < 1000; i++) walkBook(book, "buy", 1e6, "quote", out);
  }
  const grown = heapStats().objectCount - before;
  allocRow = ["heap objects allocated by 1M applyDelta + 10k walks", `${grown}`, "", "no GC forced during the loop"];
}
rows.push(allocRow);

console.log("### Order book\n");
console.log(`400 levels a side, ${N / 1e6}M deltas per run, median of ${RUNS} runs (after one warm-up).\n`);
console.log(table(["path", "levels/s", "deltas/s", "mix"], rows));

// VWAP walk cost.
{
  const book = new L2Book("f", "BTC", "BTC-USDT-PERP", DEPTH);
  book.applySnapshot(snapshot);
  const out = new Fill();
  const walkRows: string[][] = [];
  for (const usd of [10_000, 1_000_000, 20_000_000]) {
    const W = 200_000;
    walkBook(book, "buy", usd, "quote", out);
    const touched = out.levels;
    const r = opsPerSecond(RUNS, W, () => {
      for (let i = 0; i < W; i++) walkBook(book, i & 1 ? "buy" : "sell", usd, "quote", out);
    });
    const m = median(r);
    walkRows.push([`$${usd.toLocaleString("en-US")}`, `${touched}`, fmtRate(m), `${((1e9 / m / Math.max(1, touched))).toFixed(1)} ns`]);
  }
  console.log("\n### VWAP walk (USD size, 400-level book)\n");
  console.log(table(["size", "levels touched", "walks/s", "per level"], walkRows));
}

// Memory: 10,000 books of 25 levels a side, bare and inside the store.
{
  const memRows: string[][] = [];
  const small: BookSnapshot[] = [];
  for (let k = 0; k < 10_000; k++) {
    const bids: Level[] = [];
    const asks: Level[] = [];
    for (let i = 0; i < 25; i++) {
      bids.push([0.5 - i * 0.01, 10 + i]);
      asks.push([0.51 + i * 0.01, 10 + i]);
    }
    small.push({ feed: "pm", instrument: `token-${k}`, key: `token-${k}`, tsEvent: 1, tsRecv: 1, bids, asks });
  }
  const measure = (label: string, build: () => unknown): void => {
    const heaps: number[] = [];
    const rsses: number[] = [];
    const keep: unknown[] = [];
    for (let r = 0; r < 3; r++) {
      Bun.gc(true);
      const h0 = process.memoryUsage().heapUsed;
      const r0 = process.memoryUsage().rss;
      keep.push(build());
      Bun.gc(true);
      heaps.push(process.memoryUsage().heapUsed - h0);
      rsses.push(process.memoryUsage().rss - r0);
    }
    const h = median(heaps);
    memRows.push([label, `${(h / 2 ** 20).toFixed(1)} MiB`, `${(h / 10_000).toFixed(0)} B`, `${(median(rsses) / 2 ** 20).toFixed(1)} MiB`]);
    if (keep.length === 0) throw new Error("nothing built");
  };
  measure("10,000 × L2Book", () => small.map((s) => {
    const b = new L2Book(s.feed, s.instrument, s.key, 25);
    b.applySnapshot(s);
    return b;
  }));
  measure("10,000 books in the store (book + quote slot + quote)", () => {
    const bus = new Bus();
    const store = createMarketStore({ bus: scopeBus(bus, "store"), clock: new ManualClock(0), health: defaultHealthSettings, log: silentLogger });
    const w = store.writer("pm");
    for (const s of small) w.snapshot(s);
    w.endFrame(1);
    for (const q of store.quotes()) if (q.bid === null) throw new Error("no bid");
    store.stop();
    return store;
  });
  console.log("\n### Memory (25 levels a side)\n");
  console.log(table(["what", "heap", "per book", "RSS growth"], memRows));
}
