// Perp venues II: frames/s through each feed's parse + book path (no sockets), and the Paradex SBE decoder
// alone. Paradex: BookEvent DELTA frames (SBE, 1–3 levels each) and BboEvent frames; Binance: combined-
// stream depthUpdate frames through the diff-depth sync and the store; Bybit: orderbook.50 delta frames.
// Every stream is checked to end with the venue's book (no resync), so a fast wrong path cannot win.
import { Bus, scopeBus } from "../core/bus.ts";
import { ManualClock } from "../core/clock.ts";
import type { Level } from "../core/events.ts";
import { silentLogger } from "../core/log.ts";
import { createMarketStore, defaultHealthSettings } from "../core/store.ts";
import { BinanceDepthSync } from "../plugins/feeds/binance/depth-sync.ts";
import { parseBinanceFrame } from "../plugins/feeds/binance/parse.ts";
import { parseBybitFrame } from "../plugins/feeds/bybit/parse.ts";
import { parseParadexFrame } from "../plugins/feeds/paradex/parse.ts";
import { paradexCodec } from "../plugins/feeds/paradex/sbe/paradex-schema.ts";
import { BookTruth } from "../test/fakes/binance/book-truth.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";

const RUNS = 9;
const N = 50_000;
const codec = paradexCodec();

function newStore() {
  return createMarketStore({ bus: scopeBus(new Bus(), "store"), clock: new ManualClock(1), health: defaultHealthSettings, log: silentLogger });
}

function truth(): BookTruth {
  return new BookTruth({ mid: 60_000, tick: 0.1, levels: 20, span: 25, seed: 3 });
}

const s = (n: number): string => String(n);

/** Paradex: one SNAPSHOT and N DELTA BookEvents, SBE-encoded from the schema. */
function paradexFrames(): { snapshot: Uint8Array; deltas: Uint8Array[]; bbos: Uint8Array[] } {
  const t = truth();
  let seq = 1;
  const lv = (l: readonly (readonly [number, number])[]) => l.map(([price, size]) => ({ price, size }));
  const snapshot = codec.encode("BookEvent", { ts: 1e15, seq, pkgType: "SNAPSHOT", bids: lv(t.levels("bid")), asks: lv(t.levels("ask")), market: "BTC-USD-PERP" }, { version: 1 });
  const deltas: Uint8Array[] = [];
  const bbos: Uint8Array[] = [];
  for (let i = 0; i < N; i++) {
    const c = t.change();
    deltas.push(codec.encode("BookEvent", { ts: 1e15, seq: ++seq, pkgType: "DELTA", bids: lv(c.bids), asks: lv(c.asks), market: "BTC-USD-PERP" }, { version: 1 }));
    const [b] = t.levels("bid", 1);
    const [a] = t.levels("ask", 1);
    bbos.push(codec.encode("BboEvent", { ts: 1e15, seq, bidPrice: b![0], bidSize: b![1], askPrice: a![0], askSize: a![1], market: "BTC-USD-PERP" }, { version: 1 }));
  }
  return { snapshot, deltas, bbos };
}

function paradexRate(frames: Uint8Array[], snapshot: Uint8Array | undefined): number {
  const store = newStore();
  let resyncs = 0;
  const w = store.writer("paradex", { onResync: () => resyncs++ });
  const market = { instrument: "BTC-USD-PERP", key: "BTC-USDC-PERP" };
  const lookup = (m: string) => (m === "BTC-USD-PERP" ? market : undefined);
  const feed = (f: Uint8Array): void => {
    for (const ev of parseParadexFrame(f, "paradex", 1, lookup, codec)) {
      if (ev.kind === "snapshot") w.snapshot(ev.book);
      else if (ev.kind === "delta") w.delta(ev.book);
      else if (ev.kind === "top") w.quote(ev.top);
    }
    w.endFrame(1);
  };
  const runs = opsPerSecond(RUNS, frames.length, () => {
    if (snapshot !== undefined) feed(snapshot);
    for (const f of frames) feed(f);
  });
  if (resyncs !== 0) throw new Error(`paradex bench stream resynced ${resyncs} times`);
  store.stop();
  return median(runs);
}

/** Binance: N depthUpdate frames (combined-stream wrapper) with U/u/pu, and the REST snapshot they bridge. */
function binanceFrames(): { L: number; snapshotLevels: { bids: readonly Level[]; asks: readonly Level[] }; frames: string[] } {
  const t = truth();
  const snapshotLevels = { bids: t.levels("bid"), asks: t.levels("ask") };
  let u = 1_000_000;
  const L = u;
  const frames: string[] = [];
  for (let i = 0; i < N; i++) {
    const c = t.change();
    const pu = u;
    const U = pu + 1 + (i % 3);
    u = U + (i % 7);
    frames.push(JSON.stringify({ stream: "btcusdt@depth@100ms", data: { e: "depthUpdate", E: 1, T: 1, s: "BTCUSDT", U: i === 0 ? L : U, u: i === 0 ? Math.max(u, L) : u, pu: i === 0 ? L - 5 : pu, b: c.bids.map(([p, q]) => [s(p), s(q)]), a: c.asks.map(([p, q]) => [s(p), s(q)]) } }));
  }
  return { L, snapshotLevels, frames };
}

function binanceRate(data: ReturnType<typeof binanceFrames>): number {
  const store = newStore();
  let resyncs = 0;
  const w = store.writer("binance", { onResync: () => resyncs++ });
  const market = { instrument: "BTCUSDT", key: "BTC-USDT-PERP" };
  const lookup = (sym: string) => (sym === "BTCUSDT" ? market : undefined);
  let gen = 0;
  const sync = new BinanceDepthSync({ requestSnapshot: (_s, g) => void (gen = g), applySnapshot: (b) => w.snapshot(b), applyDelta: (ev) => w.delta(ev.delta) });
  const runs = opsPerSecond(RUNS, data.frames.length, () => {
    sync.start("BTCUSDT");
    let first = true;
    for (const f of data.frames) {
      for (const ev of parseBinanceFrame(f, "binance", 1, lookup)) if (ev.kind === "depth") sync.onEvent(ev);
      if (first) {
        first = false;
        sync.onSnapshot("BTCUSDT", gen, { ...market, feed: "binance", tsEvent: 1, tsRecv: 1, ...data.snapshotLevels, seq: data.L, source: "rest" }, data.L);
      }
      w.endFrame(1);
    }
  });
  if (resyncs !== 0) throw new Error(`binance bench stream resynced ${resyncs} times`);
  store.stop();
  return median(runs);
}

/** Bybit: one orderbook.50 snapshot and N deltas with u + 1. */
function bybitFrames(): { snapshot: string; deltas: string[] } {
  const t = truth();
  let u = 100;
  const msg = (type: string, b: readonly (readonly [number, number])[], a: readonly (readonly [number, number])[]) =>
    JSON.stringify({ topic: "orderbook.50.BTCUSDT", type, ts: 1, data: { s: "BTCUSDT", b: b.map(([p, q]) => [s(p), s(q)]), a: a.map(([p, q]) => [s(p), s(q)]), u, seq: u * 3 }, cts: 1 });
  const snapshot = msg("snapshot", t.levels("bid"), t.levels("ask"));
  const deltas: string[] = [];
  for (let i = 0; i < N; i++) {
    const c = t.change();
    u++;
    deltas.push(msg("delta", c.bids, c.asks));
  }
  return { snapshot, deltas };
}

function bybitRate(data: ReturnType<typeof bybitFrames>): number {
  const store = newStore();
  let resyncs = 0;
  const w = store.writer("bybit", { onResync: () => resyncs++ });
  const market = { instrument: "BTCUSDT", key: "BTC-USDT-PERP" };
  const lookup = (sym: string) => (sym === "BTCUSDT" ? market : undefined);
  const feed = (f: string): void => {
    for (const ev of parseBybitFrame(f, "bybit", 1, lookup)) {
      if (ev.kind === "snapshot") w.snapshot(ev.book);
      else if (ev.kind === "delta") w.delta(ev.book);
    }
    w.endFrame(1);
  };
  const runs = opsPerSecond(RUNS, data.deltas.length, () => {
    feed(data.snapshot);
    for (const f of data.deltas) feed(f);
  });
  if (resyncs !== 0) throw new Error(`bybit bench stream resynced ${resyncs} times`);
  store.stop();
  return median(runs);
}

function decodeRate(frames: Uint8Array[]): number {
  let n = 0;
  const runs = opsPerSecond(RUNS, frames.length, () => {
    for (const f of frames) n += codec.decode(f).size;
  });
  if (n === 0) throw new Error("decoded nothing");
  return median(runs);
}

const pdx = paradexFrames();
const trades: Uint8Array[] = [];
for (let i = 0; i < N; i++) trades.push(codec.encode("TradeEvent", { ts: 1e15 + i, seq: i, tradeId: i, side: i % 2 === 0 ? "BUY" : "SELL", price: 60_000 + (i % 100) / 10, size: 0.001 * (1 + (i % 9)), createdAt: 1e15, tradeType: "FILL", market: "BTC-USD-PERP" }, { version: 1 }));
const snapshots = Array.from({ length: N / 10 }, () => pdx.snapshot);

const rows: string[][] = [
  ["Paradex BookEvent DELTA (SBE) → parse → book", fmtRate(paradexRate(pdx.deltas, pdx.snapshot))],
  ["Paradex BboEvent (SBE) → parse → quote", fmtRate(paradexRate(pdx.bbos, undefined))],
  ["Binance depthUpdate (JSON) → parse → sync → book", fmtRate(binanceRate(binanceFrames()))],
  ["Bybit orderbook.50 delta (JSON) → parse → book", fmtRate(bybitRate(bybitFrames()))],
  ["SBE decode only: BookEvent DELTA (1–3 levels)", fmtRate(decodeRate(pdx.deltas))],
  ["SBE decode only: BookEvent SNAPSHOT (20+20 levels)", fmtRate(decodeRate(snapshots))],
  ["SBE decode only: TradeEvent", fmtRate(decodeRate(trades))],
  ["SBE decode only: BboEvent", fmtRate(decodeRate(pdx.bbos))],
];
console.log(`perp venues II — frames/s, median of ${RUNS} runs of ${N.toLocaleString("en")} frames (one core, no sockets)\n`);
console.log(table(["path", "frames/s"], rows));
