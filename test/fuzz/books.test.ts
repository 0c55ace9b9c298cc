import { describe, expect, it } from "bun:test";
import { Bus, scopeBus } from "../../core/bus.ts";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/log.ts";
import type { MarketStore } from "../../core/market.ts";
import { createMarketStore, defaultHealthSettings } from "../../core/store.ts";
import { OkxBookSync } from "../../plugins/feeds/okx/book-sync.ts";
import { okxKey, type OkxInstrument } from "../../plugins/feeds/okx/instruments.ts";
import { parseOkxFrame } from "../../plugins/feeds/okx/parse.ts";
import { MarketBooks } from "../../plugins/feeds/polymarket/books.ts";
import { PolymarketCatalog } from "../../plugins/feeds/polymarket/catalog.ts";
import { OkxVenueBook } from "../fakes/okx/venue-book.ts";
import { FakeMarket, fakeIds } from "../fakes/polymarket/model.ts";
import { baseSeed, budgetMs, fuzzLoop, mutateFrame, type Rng } from "./mutate.ts";

/** The store invariants: sorted sides, finite prices, finite positive sizes, no crossed live book. */
function bookProblems(store: MarketStore): string[] {
  const out: string[] = [];
  for (const b of store.books()) {
    for (const side of ["bid", "ask"] as const) {
      let prev = side === "bid" ? Infinity : -Infinity;
      for (let i = 0; i < b.levels(side); i++) {
        const p = b.price(side, i);
        const s = b.size(side, i);
        if (!Number.isFinite(p) || !Number.isFinite(s) || !(s > 0)) out.push(`${b.feed}/${b.instrument} ${side}[${i}] = ${p} × ${s}`);
        if (side === "bid" ? !(p < prev) : !(p > prev)) out.push(`${b.feed}/${b.instrument} ${side}s not sorted at ${i}: ${prev} then ${p}`);
        prev = p;
      }
    }
    if (b.state === "live" && b.levels("bid") > 0 && b.levels("ask") > 0 && b.price("bid", 0) >= b.price("ask", 0)) {
      out.push(`${b.feed}/${b.instrument} live and crossed: ${b.price("bid", 0)} >= ${b.price("ask", 0)}`);
    }
  }
  return out;
}

function newStore() {
  const bus = new Bus();
  const clock = new ManualClock(1_700_000_000_000);
  return { bus, clock, store: createMarketStore({ bus: scopeBus(bus, "store"), clock, health: defaultHealthSettings, log: silentLogger }) };
}

/** OKX `books` stream through the feed's own path (parse → seq → checksum → writer), mutated frames mixed in. */
function okxRun(rng: Rng, checksummed: boolean): { frames: number; mutated: number; resyncs: number } {
  const id = "BTC-USDT-SWAP";
  const inst: OkxInstrument = { instrument: id, key: okxKey(id), instType: "SWAP", ctVal: 0.01, inverse: false, tickSize: 0.1 };
  const { store } = newStore();
  let resyncs = 0;
  const writer = store.writer("okx", {
    checksum: (b, expected) => sync.strings(b.instrument)?.verify(b, Number(expected)) ?? false,
    onResync: () => resyncs++,
  });
  const venue = new OkxVenueBook(id, 80_000, 0.1, rng.int(1e9), 30);
  const snapshot = (): string =>
    JSON.stringify({ arg: { channel: "books", instId: id }, action: "snapshot", data: [{ asks: venue.levels("ask"), bids: venue.levels("bid"), ts: "1", checksum: checksummed ? venue.checksum() : 0, prevSeqId: -1, seqId: venue.seqId }] });
  const sync: OkxBookSync = new OkxBookSync({
    writer,
    mode: "auto",
    verifyChecksum: true,
    requestSnapshot: () => {},
    // the venue answers a resubscribe with a fresh snapshot
    resubscribe: () => pending.push(snapshot()),
  });
  const pending: string[] = [];
  const feed = (text: string): void => {
    for (const ev of parseOkxFrame(text, "okx", 1, (x) => (x === id ? inst : undefined))) if (ev.kind === "book") sync.onBook(ev);
    writer.endFrame(1);
    const bad = bookProblems(store);
    if (bad.length > 0) throw new Error(`book corrupted after ${text.slice(0, 300)}: ${bad.slice(0, 3).join("; ")}`);
  };
  sync.subscribing([id]);
  sync.onAck(id);
  feed(snapshot());
  let mutated = 0;
  const n = 200;
  for (let i = 0; i < n; i++) {
    const { change, prevSeqId, seqId } = venue.step();
    const frame = JSON.stringify({ arg: { channel: "books", instId: id }, action: "update", data: [{ asks: change.asks, bids: change.bids, ts: "1", checksum: checksummed ? venue.checksum() : 0, prevSeqId, seqId }] });
    if (rng.chance(0.1)) {
      mutated++;
      let bad = frame;
      for (let k = 1 + rng.int(2); k > 0; k--) bad = mutateFrame(rng, bad) as string;
      feed(bad);
      if (rng.chance(0.5)) continue; // the mutated frame replaced the real one: a gap or a wrong book follows
    }
    feed(frame);
    while (pending.length > 0) feed(pending.shift()!);
  }
  store.stop();
  return { frames: n, mutated, resyncs };
}

/** Polymarket market channel through MarketBooks (top cross-check and hash verification on), mutated frames mixed in. */
function polymarketRun(rng: Rng): { frames: number; mutated: number } {
  const { bus, clock, store } = newStore();
  const catalog = new PolymarketCatalog();
  const writer = store.writer("pm");
  const markets = Array.from({ length: 3 }, (_, i) => {
    const m = new FakeMarket({ index: i, ...fakeIds(i) });
    m.seed(0.5, 10);
    catalog.upsert({ id: String(i), conditionId: m.conditionId, question: "", outcomes: ["Yes", "No"], clobTokenIds: [m.yes, m.no], negRisk: false, negRiskAugmented: false, negRiskOther: false, orderMinSize: 5, source: "static" });
    return m;
  });
  const books = new MarketBooks({ feed: "pm", writer, catalog, bus: scopeBus(bus, "pm"), clock, verifyHash: true, checkTop: true, requestSnapshot: () => {}, onProblem: () => {} });
  const feed = (text: string): void => {
    books.onFrame(text, clock.now());
    const bad = bookProblems(store);
    if (bad.length > 0) throw new Error(`book corrupted after ${text.slice(0, 300)}: ${bad.slice(0, 3).join("; ")}`);
  };
  books.subscribed(markets.flatMap((m) => [m.yes, m.no]), "subscribe");
  for (const m of markets) {
    feed(JSON.stringify(m.book(m.yes, clock.now())));
    feed(JSON.stringify(m.book(m.no, clock.now())));
  }
  let mutated = 0;
  const n = 200;
  for (let i = 0; i < n; i++) {
    clock.advance(10);
    const m = rng.pick(markets);
    const side = rng.chance(0.5) ? "bid" : "ask";
    const price = side === "bid" ? 0.3 + rng.int(19) / 100 : 0.51 + rng.int(19) / 100;
    const kind = rng.int(10);
    const frame = kind === 0 ? JSON.stringify(m.book(rng.chance(0.5) ? m.yes : m.no, clock.now())) : m.priceChange(m.set(side, Math.round(price * 100) / 100, rng.chance(0.2) ? 0 : 1 + rng.int(900)), clock.now());
    if (rng.chance(0.1)) {
      mutated++;
      let bad = frame;
      for (let k = 1 + rng.int(2); k > 0; k--) bad = mutateFrame(rng, bad) as string;
      feed(bad);
      if (rng.chance(0.5)) continue;
    }
    feed(frame);
  }
  store.stop();
  return { frames: n, mutated };
}

describe("books under mutated venue frames", () => {
  for (const checksummed of [true, false]) {
    it(`does keep every OKX book sorted, finite and uncrossed while live (${checksummed ? "CRC32 checksums" : "checksum 0, seqId only"})`, () => {
      let mutated = 0;
      let resyncs = 0;
      const runs = fuzzLoop(`okx books (checksum ${checksummed})`, baseSeed(0xb00c), 400, budgetMs(1_500), (rng) => {
        const r = okxRun(rng, checksummed);
        mutated += r.mutated;
        resyncs += r.resyncs;
      });
      expect(runs).toBeGreaterThanOrEqual(20);
      expect(mutated).toBeGreaterThan(0);
      // mutated frames must have been caught somewhere: the sync rebuilt books
      expect(resyncs).toBeGreaterThan(0);
    });
  }

  it("does keep every Polymarket book sorted, finite and uncrossed while live (hash and top checks on)", () => {
    let mutated = 0;
    const runs = fuzzLoop("polymarket books", baseSeed(0xb00d), 400, budgetMs(1_500), (rng) => {
      mutated += polymarketRun(rng).mutated;
    });
    expect(runs).toBeGreaterThanOrEqual(20);
    expect(mutated).toBeGreaterThan(0);
  });
});
