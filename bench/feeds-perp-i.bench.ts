// Perp venues I: frames/s through each feed's parse + book path (no sockets): OKX `books` updates (parse,
// seq check, level strings, CRC32 checksum when non-zero, store writer, frame end) with real checksums and
// with the 2026 checksum 0; Hyperliquid whole l2Book pushes (20 levels a side) and bbo pushes.
import { Bus, scopeBus } from "../core/bus.ts";
import { ManualClock } from "../core/clock.ts";
import { silentLogger } from "../core/log.ts";
import { createMarketStore, defaultHealthSettings } from "../core/store.ts";
import { hlCoin } from "../plugins/feeds/hyperliquid/coins.ts";
import { parseHlFrame } from "../plugins/feeds/hyperliquid/parse.ts";
import { OkxBookSync } from "../plugins/feeds/okx/book-sync.ts";
import { okxKey, type OkxInstrument } from "../plugins/feeds/okx/instruments.ts";
import { parseOkxFrame, type OkxBookEvent } from "../plugins/feeds/okx/parse.ts";
import { OkxVenueBook, prng } from "../test/fakes/okx/venue-book.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";

const RUNS = 5;
const OKX_N = 100_000;
const HL_N = 50_000;
const ID = "BTC-USDT-SWAP";
const inst: OkxInstrument = { instrument: ID, key: okxKey(ID), instType: "SWAP", ctVal: 0.01, inverse: false, tickSize: 0.1 };

/** A snapshot frame and N update frames of one venue book, as OKX sends them. */
function okxFrames(n: number, withChecksum: boolean): { snapshot: string; updates: string[]; checksummed: boolean } {
  const book = new OkxVenueBook(ID, 80_000, 0.1, 3, 200);
  const cs = (): number => (withChecksum ? book.checksum() : 0);
  const snapshot = JSON.stringify({ arg: { channel: "books", instId: ID }, action: "snapshot", data: [{ asks: book.levels("ask"), bids: book.levels("bid"), ts: "1", checksum: cs(), prevSeqId: -1, seqId: book.seqId }] });
  const updates: string[] = [];
  for (let i = 0; i < n; i++) {
    const { change, prevSeqId, seqId } = book.step();
    updates.push(JSON.stringify({ arg: { channel: "books", instId: ID }, action: "update", data: [{ asks: change.asks, bids: change.bids, ts: "1", checksum: cs(), prevSeqId, seqId }] }));
  }
  return { snapshot, updates, checksummed: withChecksum };
}

function okxRate(frames: { snapshot: string; updates: string[]; checksummed: boolean }): number {
  const clock = new ManualClock(1);
  const store = createMarketStore({ bus: scopeBus(new Bus(), "store"), clock, health: defaultHealthSettings, log: silentLogger });
  let resyncs = 0;
  const lookup = (id: string) => (id === ID ? inst : undefined);
  let verified = 0;
  const writer = store.writer("okx", {
    checksum: (b, expected) => {
      verified++;
      return sync.strings(b.instrument)!.verify(b, Number(expected));
    },
    onResync: () => resyncs++,
  });
  const sync: OkxBookSync = new OkxBookSync({
    writer,
    mode: "auto",
    verifyChecksum: true,
    requestSnapshot: () => {},
    resubscribe: () => {},
  });
  const feed = (text: string): void => {
    for (const ev of parseOkxFrame(text, "okx", 1, lookup)) if (ev.kind === "book") sync.onBook(ev as OkxBookEvent);
    writer.endFrame(1);
  };
  const runs = opsPerSecond(RUNS, frames.updates.length, () => {
    sync.subscribing([ID]);
    sync.onAck(ID);
    feed(frames.snapshot);
    for (const u of frames.updates) feed(u);
  });
  if (resyncs !== 0) throw new Error(`bench stream resynced ${resyncs} times: the book went wrong`);
  const expected = frames.checksummed ? (RUNS + 1) * (frames.updates.length + 1) : 0;
  if (verified !== expected) throw new Error(`verified ${verified} checksums, expected ${expected}`);
  store.stop();
  return median(runs);
}

/** N whole-book pushes (20 levels a side) and N bbo pushes of one coin, as Hyperliquid sends them. */
function hlFrames(n: number): { books: string[]; bbos: string[] } {
  const rand = prng(5);
  const bids = new Map<number, string>();
  const asks = new Map<number, string>();
  for (let k = 0; k < 40; k++) {
    bids.set(80_000 - k - 1, (rand() * 10).toFixed(5));
    asks.set(80_000 + k, (rand() * 10).toFixed(5));
  }
  const top = (m: Map<number, string>, desc: boolean) =>
    [...m.entries()]
      .sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0]))
      .slice(0, 20)
      .map(([px, sz]) => ({ px: px.toFixed(1), sz, n: 1 + Math.floor(rand() * 9) }));
  const books: string[] = [];
  const bbos: string[] = [];
  for (let i = 0; i < n; i++) {
    const side = rand() < 0.5 ? bids : asks;
    const k = Math.floor(rand() * 40);
    side.set(side === bids ? 80_000 - k - 1 : 80_000 + k, (rand() * 10).toFixed(5));
    const b = top(bids, true);
    const a = top(asks, false);
    books.push(JSON.stringify({ channel: "l2Book", data: { coin: "BTC", time: 1 + i, levels: [b, a] } }));
    bbos.push(JSON.stringify({ channel: "bbo", data: { coin: "BTC", time: 1 + i, bbo: [b[0], a[0]] } }));
  }
  return { books, bbos };
}

function hlRate(frames: readonly string[]): number {
  const clock = new ManualClock(1);
  const store = createMarketStore({ bus: scopeBus(new Bus(), "store"), clock, health: defaultHealthSettings, log: silentLogger });
  const writer = store.writer("hyperliquid");
  const btc = hlCoin("BTC");
  const lookup = (c: string) => (c === "BTC" ? btc : undefined);
  const runs = opsPerSecond(RUNS, frames.length, () => {
    for (const text of frames) {
      for (const ev of parseHlFrame(text, "hyperliquid", 1, lookup)) {
        if (ev.kind === "book") writer.snapshot(ev.book);
        else if (ev.kind === "top") writer.quote(ev.top);
      }
      writer.endFrame(1);
    }
  });
  store.stop();
  return median(runs);
}

function parseOnly(frames: readonly string[], parse: (t: string) => unknown): number {
  return median(
    opsPerSecond(RUNS, frames.length, () => {
      for (const f of frames) parse(f);
    }),
  );
}

const legacy = okxFrames(OKX_N, true);
const zero = okxFrames(OKX_N, false);
const hl = hlFrames(HL_N);
const lookupOkx = (id: string) => (id === ID ? inst : undefined);
const btc = hlCoin("BTC");
const rows = [
  ["OKX books update, CRC32 verified", fmtRate(parseOnly(legacy.updates, (t) => parseOkxFrame(t, "okx", 1, lookupOkx))), fmtRate(okxRate(legacy))],
  ["OKX books update, checksum 0 (2026)", fmtRate(parseOnly(zero.updates, (t) => parseOkxFrame(t, "okx", 1, lookupOkx))), fmtRate(okxRate(zero))],
  ["Hyperliquid l2Book push (20+20 levels)", fmtRate(parseOnly(hl.books, (t) => parseHlFrame(t, "hyperliquid", 1, (c) => (c === "BTC" ? btc : undefined)))), fmtRate(hlRate(hl.books))],
  ["Hyperliquid bbo push", fmtRate(parseOnly(hl.bbos, (t) => parseHlFrame(t, "hyperliquid", 1, (c) => (c === "BTC" ? btc : undefined)))), fmtRate(hlRate(hl.bbos))],
];
console.log(`### Perp venues I: OKX and Hyperliquid (bench/feeds-perp-i.bench.ts)

Frames per second on one core, median of ${RUNS} runs; "parse + book" = parse, sequence and checksum checks, store writer and frame end.

${table(["stream", "parse only", "parse + book"], rows)}`);
