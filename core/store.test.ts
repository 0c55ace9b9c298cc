import { describe, expect, it } from "bun:test";
import { Bus } from "./bus.ts";
import { ManualClock } from "./clock.ts";
import type { BookDelta, BookSnapshot, FeedStatus, FrameEnd, Level, Quote } from "./events.ts";
import { silentLogger } from "./log.ts";
import { createMarketStore, defaultHealthSettings } from "./store.ts";

function setup(start = 1_000_000) {
  const bus = new Bus();
  const clock = new ManualClock(start);
  const store = createMarketStore({ bus, clock, health: defaultHealthSettings, log: silentLogger });
  const frames: FrameEnd[] = [];
  const quotes: Quote[] = [];
  const statuses: FeedStatus[] = [];
  bus.on("frame.end", (f) => frames.push(f));
  bus.on("quote", (q) => quotes.push(q));
  bus.on("feed.status", (s) => statuses.push(s));
  const live = (feed: string) => bus.emit("feed.status", { feed, state: "live", reasons: [], ts: clock.now() });
  return { bus, clock, store, frames, quotes, statuses, live };
}

function snap(instrument: string, bids: Level[], asks: Level[], t: number, extra: Partial<BookSnapshot> = {}): BookSnapshot {
  return { feed: "a", instrument, key: `${instrument}-USDT-PERP`, tsEvent: t, tsRecv: t, bids, asks, ...extra };
}

function delta(instrument: string, bids: Level[], asks: Level[], t: number, extra: Partial<BookDelta> = {}): BookDelta {
  return { feed: "a", instrument, key: `${instrument}-USDT-PERP`, tsEvent: t, tsRecv: t, bids, asks, ...extra };
}

describe("market store writer", () => {
  it("emits one frame.end per frame listing each changed instrument once, after every change is applied", () => {
    const { store, clock, frames, bus } = setup();
    const w = store.writer("a");
    const t = clock.now();
    const seen: string[] = [];
    bus.on("frame.end", () => {
      // A strategy reading at frame end sees both books already updated.
      seen.push(`${store.quote("a", "BTC")?.bid} ${store.quote("a", "ETH")?.bid}`);
    });
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    w.snapshot(snap("ETH", [[10, 1]], [[11, 1]], t));
    w.delta(delta("BTC", [[100.5, 2]], [], t));
    expect(frames).toHaveLength(0);
    expect(store.quote("a", "BTC")).toBeUndefined();
    w.endFrame(t);
    expect(frames).toEqual([{ feed: "a", instruments: ["BTC", "ETH"], tsRecv: t }]);
    expect(seen).toEqual(["100.5 10"]);
    w.endFrame(t);
    expect(frames).toHaveLength(1);
  });

  it("publishes a quote only when the top of book changed", () => {
    const { store, clock, quotes } = setup();
    const w = store.writer("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1], [99, 1]], [[101, 2]], t));
    w.endFrame(t);
    expect(quotes).toHaveLength(1);
    expect(quotes[0]).toMatchObject({ feed: "a", instrument: "BTC", key: "BTC-USDT-PERP", bid: 100, ask: 101, bidSize: 1, askSize: 2, mid: 100.5 });
    expect(quotes[0]!.spreadBps).toBeCloseTo((1 / 100.5) * 1e4, 9);
    w.delta(delta("BTC", [[99, 5]], [], t + 1));
    w.endFrame(t + 1);
    expect(quotes).toHaveLength(1);
    w.delta(delta("BTC", [[100, 0]], [], t + 2));
    w.endFrame(t + 2);
    expect(quotes).toHaveLength(2);
    expect(quotes[1]).toMatchObject({ bid: 99, bidSize: 5, tsEvent: t + 2 });
    expect(store.quote("a", "BTC")).toBe(quotes[1]!);
  });

  it("passes book and trade events through at the frame end, in order, only to listeners", () => {
    const { store, clock, bus } = setup();
    const w = store.writer("a");
    const t = clock.now();
    const order: string[] = [];
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t)); // nobody listens yet: not queued
    w.endFrame(t);
    bus.on("book.snapshot", () => order.push("snapshot"));
    bus.on("book.delta", () => order.push("delta"));
    bus.on("trade", () => order.push("trade"));
    bus.on("frame.end", () => order.push("end"));
    w.delta(delta("BTC", [[100, 2]], [], t));
    w.trade({ feed: "a", instrument: "BTC", key: "BTC-USDT-PERP", tsEvent: t, tsRecv: t, price: 100, size: 1, side: "buy" });
    w.snapshot(snap("ETH", [[1, 1]], [[2, 1]], t));
    expect(order).toEqual([]);
    w.endFrame(t);
    expect(order).toEqual(["delta", "trade", "snapshot", "end"]);
  });

  it("sends a book to resyncing on a gap, counts it, calls onResync and refuses deltas until a snapshot", () => {
    const { store, clock, frames, live } = setup();
    const resyncs: string[] = [];
    const w = store.writer("a", { onResync: (i, r) => resyncs.push(`${i}:${r}`) });
    live("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t, { seq: 1 }));
    w.endFrame(t);
    expect(w.delta(delta("BTC", [[100, 2]], [], t, { seq: 3, prevSeq: 2 }))).toBe("gap");
    w.endFrame(t);
    expect(resyncs).toEqual(["BTC:gap"]);
    expect(frames.at(-1)!.instruments).toEqual(["BTC"]);
    expect(store.fresh("a", "BTC")).toMatchObject({ ok: false, reasons: ["resyncing"] });
    expect(w.delta(delta("BTC", [[100, 3]], [], t, { seq: 4, prevSeq: 3 }))).toBe("resyncing");
    expect(store.book("a", "BTC")!.size("bid", 0)).toBe(1);
    w.snapshot(snap("BTC", [[100, 7]], [[101, 1]], t, { seq: 10 }));
    w.endFrame(t);
    expect(store.fresh("a", "BTC").ok).toBe(true);
    expect(store.feedStats("a")!.resyncs).toEqual({ gap: 1 });
  });

  it("verifies the venue checksum with the writer's hook", () => {
    const { store, clock, live } = setup();
    const resyncs: string[] = [];
    const w = store.writer("a", {
      checksum: (book, expected) => book.levels("bid") + book.levels("ask") === expected,
      onResync: (i, r) => resyncs.push(`${i}:${r}`),
    });
    live("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    expect(w.delta(delta("BTC", [[99, 1]], [], t), 3)).toBe("ok");
    expect(w.delta(delta("BTC", [[98, 1]], [], t), 3)).toBe("checksum");
    expect(resyncs).toEqual(["BTC:checksum"]);
    expect(store.feedStats("a")!.resyncs).toEqual({ checksum: 1 });
    expect(w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t), 5)).toBe("checksum");
    expect(store.fresh("a", "BTC").reasons).toEqual(["resyncing"]);
    expect(w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t), 2)).toBe("ok");
    expect(store.fresh("a", "BTC").ok).toBe(true);
    // A restarted feed instance sets its own hooks; the old ones are gone.
    expect(store.writer("a")).toBe(w);
    expect(w.delta(delta("BTC", [[97, 1]], [], t), 99)).toBe("ok");
    expect(resyncs).toHaveLength(2);
  });

  it("checks crossing at the frame end, not mid-frame", () => {
    const { store, clock, live } = setup();
    const resyncs: string[] = [];
    const w = store.writer("a", { onResync: (i, r) => resyncs.push(`${i}:${r}`) });
    live("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    w.endFrame(t);
    // A bid at the old ask and the ask's removal in the same frame: consistent at its end.
    w.delta(delta("BTC", [[101, 1]], [], t));
    w.delta(delta("BTC", [], [[101, 0], [102, 1]], t));
    w.endFrame(t);
    expect(resyncs).toEqual([]);
    const before = store.quote("a", "BTC");
    w.delta(delta("BTC", [[102.5, 1]], [], t));
    w.endFrame(t);
    expect(resyncs).toEqual(["BTC:crossed"]);
    // The crossed top is not published; the last good quote stays, flagged stale.
    expect(store.quote("a", "BTC")).toBe(before!);
    expect(store.quoteRow("a", "BTC")).toMatchObject({ bid: 101, ask: 102, stale: true });
    expect(store.fresh("a", "BTC").reasons).toEqual(["resyncing", "crossed"]);
  });

  it("marks every book resyncing on reconnect and counts each book that held data once", () => {
    const { store, clock, live } = setup();
    const w = store.writer("a");
    live("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    w.snapshot(snap("ETH", [[10, 1]], [[11, 1]], t));
    w.resyncAll("reconnect");
    w.resyncAll("reconnect");
    w.resync("SOL", "reconnect");
    w.resync(["SOL", "ADA"], "subscribe");
    w.endFrame(t);
    // SOL and ADA never had data: waiting for a first snapshot is not a resync
    expect(store.feedStats("a")!.resyncs).toEqual({ reconnect: 2 });
    expect(store.fresh("a", "ADA").reasons).toEqual(["resyncing"]);
    expect(store.fresh("a", "SOL")).toMatchObject({ ok: false, reasons: ["resyncing"] });
    expect(store.fresh("a", "BTC").reasons).toEqual(["resyncing"]);
  });

  it("sends the books a restarted feed instance inherits to resyncing, and only on a new owner", () => {
    const { store, clock, live, frames } = setup();
    const first = {};
    const w = store.writer("a", undefined, first);
    live("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    w.resync("ETH", "subscribe"); // subscribed, no data yet
    w.endFrame(t);
    // the same instance asking again (or a caller without an owner) changes nothing
    expect(store.writer("a", undefined, first)).toBe(w);
    expect(store.writer("a")).toBe(w);
    expect(store.fresh("a", "BTC").ok).toBe(true);
    const before = frames.length;
    expect(store.writer("a", undefined, {})).toBe(w);
    expect(store.fresh("a", "BTC")).toMatchObject({ ok: false, reasons: ["resyncing"] });
    expect(store.fresh("a", "ETH").reasons).toEqual(["resyncing"]);
    expect(store.feedStats("a")!.resyncs).toEqual({ restart: 1 });
    // published at once: strategies re-evaluate the inherited books
    expect(frames.slice(before).map((f) => f.instruments)).toEqual([["BTC", "ETH"]]);
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    w.endFrame(t);
    expect(store.fresh("a", "BTC").ok).toBe(true);
  });

  it("marks books stale and reports it", () => {
    const { store, clock, live } = setup();
    const w = store.writer("a");
    live("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    w.snapshot(snap("ETH", [[10, 1]], [[11, 1]], t));
    w.markStale("BTC");
    expect(store.fresh("a", "BTC").reasons).toEqual(["stale"]);
    expect(store.fresh("a", "ETH").ok).toBe(true);
    w.markStale();
    expect(store.fresh("a", "ETH").reasons).toEqual(["stale"]);
    w.snapshot(snap("BTC", [[100, 1]], [[101, 1]], t));
    w.snapshot(snap("ETH", [[10, 1]], [[11, 1]], t));
    w.markStale(["BTC", "ETH", "SOL"]);
    expect(store.fresh("a", "BTC").reasons).toEqual(["stale"]);
    expect(store.fresh("a", "ETH").reasons).toEqual(["stale"]);
    expect(store.fresh("a", "SOL").reasons).toEqual(["no_book"]);
    expect(store.bookRow("a", "ETH")).toMatchObject({ state: "stale", stale: true });
  });

  it("keeps quote-only instruments as one-level books", () => {
    const { store, clock, quotes } = setup();
    const w = store.writer("a");
    const t = clock.now();
    w.quote({ feed: "a", instrument: "BTC", key: "BTC-USDC-PERP", tsEvent: t - 3, tsRecv: t, bid: 100, ask: 100.2, bidSize: 2, askSize: 3 });
    w.endFrame(t);
    expect(quotes[0]).toMatchObject({ bid: 100, ask: 100.2, latencyMs: 3, key: "BTC-USDC-PERP" });
    expect(store.book("a", "BTC")!.depth(5)).toEqual({ bids: [[100, 2]], asks: [[100.2, 3]] });
    w.quote({ feed: "a", instrument: "BTC", key: "BTC-USDC-PERP", tsEvent: t, tsRecv: t, bid: null, ask: 100.1, bidSize: 0, askSize: 1 });
    w.endFrame(t);
    expect(quotes[1]).toMatchObject({ bid: null, bidSize: 0, ask: 100.1, mid: null, spreadBps: null });
  });

  it("keeps a bounded buffer of recent trades", () => {
    const { store, clock } = setup();
    const w = store.writer("a", { tradeBuffer: 3 });
    const t = clock.now();
    for (let i = 1; i <= 5; i++) {
      w.trade({ feed: "a", instrument: "BTC", key: "K", tsEvent: t, tsRecv: t, price: i, size: 1, side: "sell" });
    }
    expect(store.trades("a", "BTC").map((x) => x.price)).toEqual([3, 4, 5]);
    expect(store.trades("a", "ETH")).toEqual([]);
  });

  it("keeps the tick size change and the levels", () => {
    const { store, clock } = setup();
    const w = store.writer("a");
    const t = clock.now();
    w.snapshot(snap("M", [[0.5, 1]], [[0.6, 1]], t, { tickSize: 0.01 }));
    w.tickSize("M", 0.001);
    expect(store.book("a", "M")!.tickSize).toBe(0.001);
    expect(store.book("a", "M")!.depth(1)).toEqual({ bids: [[0.5, 1]], asks: [[0.6, 1]] });
  });

  it("resyncs a snapshot that is itself crossed", () => {
    const { store, clock, live } = setup();
    const resyncs: string[] = [];
    const w = store.writer("a", { onResync: (i, r) => resyncs.push(`${i}:${r}`) });
    live("a");
    w.snapshot(snap("BTC", [[101, 1]], [[100, 1]], clock.now()));
    w.endFrame(clock.now());
    expect(resyncs).toEqual(["BTC:crossed"]);
    expect(store.fresh("a", "BTC").ok).toBe(false);
  });

  it("serves the /api/quotes and /api/books rows", () => {
    const { store, clock, live } = setup();
    const w = store.writer("a");
    live("a");
    const t = clock.now();
    w.snapshot(snap("BTC", [[100, 1], [99, 2], [98, 3]], [[101, 4]], t - 10, { seq: 42, tsRecv: t }));
    w.endFrame(t);
    clock.advance(250);
    expect(store.quoteRows()).toEqual([
      {
        feed: "a",
        instrument: "BTC",
        key: "BTC-USDT-PERP",
        bid: 100,
        ask: 101,
        bidSize: 1,
        askSize: 4,
        mid: 100.5,
        spreadBps: (1 / 100.5) * 1e4,
        tsEvent: t - 10,
        tsRecv: t,
        ageMs: 250,
        latencyMs: 10,
        stale: false,
      },
    ]);
    expect(store.bookRow("a", "BTC", 2)).toEqual({
      feed: "a",
      instrument: "BTC",
      state: "live",
      bids: [[100, 1], [99, 2]],
      asks: [[101, 4]],
      seq: 42,
      tsEvent: t - 10,
      tsRecv: t,
      ageMs: 250,
      stale: false,
    });
    expect(store.bookRow("a", "ETH")).toBeUndefined();
    expect(store.quoteRow("b", "BTC")).toBeUndefined();
    expect(store.feedStats("a")).toMatchObject({ feed: "a", state: "live", books: 1, updates: 1, latencyMaxMs: 10, lastFrameAgeMs: 250 });
  });
});
