import { describe, expect, it } from "bun:test";
import { Bus } from "./bus.ts";
import { ManualClock } from "./clock.ts";
import type { FeedStatus, FrameEnd, Level } from "./events.ts";
import { silentLogger } from "./log.ts";
import { FeedMetrics } from "./quotes.ts";
import { createMarketStore, defaultHealthSettings } from "./store.ts";

function setup() {
  const bus = new Bus();
  const clock = new ManualClock(1_000_000);
  const store = createMarketStore({ bus, clock, health: defaultHealthSettings, log: silentLogger });
  const statuses: FeedStatus[] = [];
  const frames: FrameEnd[] = [];
  bus.on("feed.status", (s) => statuses.push(s));
  bus.on("frame.end", (f) => frames.push(f));
  const status = (feed: string, state: FeedStatus["state"]) => bus.emit("feed.status", { feed, state, reasons: [], ts: clock.now() });
  const book = (feed: string, instrument: string, bids: Level[], asks: Level[], latency = 0) => {
    const t = clock.now();
    const w = store.writer(feed);
    w.snapshot({ feed, instrument, key: "BTC-USDT-PERP", tsEvent: t - latency, tsRecv: t, bids, asks });
    w.endFrame(t);
  };
  return { bus, clock, store, statuses, frames, status, book };
}

/** The store's own transitions (the test's `status()` calls are in the list too). */
function published(statuses: FeedStatus[]): string[] {
  return statuses.filter((s) => s.state === "degraded" || s.prev !== undefined).map((s) => s.state);
}

describe("market store freshness", () => {
  it("reports no_book and feed_down for an unknown leg", () => {
    const { store } = setup();
    expect(store.fresh("x", "BTC")).toMatchObject({ ok: false, reasons: ["no_book", "feed_down"] });
  });

  it("refuses a book whose feed never said it is live, and accepts it once live or degraded", () => {
    const { store, book, status } = setup();
    book("a", "BTC", [[100, 1]], [[101, 1]]);
    expect(store.fresh("a", "BTC").reasons).toEqual(["feed_down"]);
    status("a", "live");
    expect(store.fresh("a", "BTC")).toMatchObject({ ok: true, reasons: [] });
    status("a", "degraded");
    expect(store.fresh("a", "BTC").ok).toBe(true);
    for (const s of ["stale", "reconnecting", "connecting", "stopped", "faulted"] as const) {
      status("a", s);
      expect(store.fresh("a", "BTC").reasons).toEqual(["feed_down"]);
    }
  });

  it("reports a late update by the venue's clock", () => {
    const { store, book, status } = setup();
    status("a", "live");
    book("a", "BTC", [[100, 1]], [[101, 1]], 201);
    expect(store.fresh("a", "BTC").reasons).toEqual(["late"]);
    book("a", "BTC", [[100, 1]], [[101, 1]], 200);
    expect(store.fresh("a", "BTC").ok).toBe(true);
  });

  it("keeps a quiet book valid and reports its age", () => {
    const { store, book, status, clock } = setup();
    status("a", "live");
    book("a", "BTC", [[100, 1]], [[101, 1]]);
    clock.advance(5 * 60_000);
    const f = store.fresh("a", "BTC");
    expect(f.ok).toBe(true);
    expect(f.ageMs).toBe(5 * 60_000);
    expect(store.quoteRow("a", "BTC")).toMatchObject({ ageMs: 5 * 60_000, stale: false, bid: 100, ask: 101 });
  });

  it("re-announces every instrument of a feed when it becomes unusable or usable again", () => {
    const { store, book, status, frames } = setup();
    status("a", "live");
    book("a", "BTC", [[100, 1]], [[101, 1]]);
    book("a", "ETH", [[10, 1]], [[11, 1]]);
    frames.length = 0;
    status("a", "degraded");
    expect(frames).toHaveLength(0);
    status("a", "reconnecting");
    expect(frames.map((f) => f.instruments)).toEqual([["BTC", "ETH"]]);
    status("a", "live");
    expect(frames).toHaveLength(2);
    expect(store.feedState("a")).toBe("live");
  });

  it("finds the best bid and ask across feeds for one key from usable books only", () => {
    const { store, book, status } = setup();
    status("a", "live");
    status("b", "live");
    book("a", "BTC-USDT-SWAP", [[100, 1]], [[102, 1]]);
    book("b", "BTCUSDT", [[101, 2]], [[103, 2]]);
    expect(store.bestBidAsk("BTC-USDT-PERP")).toMatchObject({
      bid: 101,
      bidSize: 2,
      bidFeed: "b",
      bidInstrument: "BTCUSDT",
      ask: 102,
      askFeed: "a",
    });
    status("b", "stale");
    expect(store.bestBidAsk("BTC-USDT-PERP")).toMatchObject({ bid: 100, bidFeed: "a", ask: 102 });
    expect(store.bestBidAsk("ETH-USDT-PERP")).toBeUndefined();
  });
});

describe("market store health", () => {
  it("degrades a live feed with no message for heartbeat_timeout_ms and recovers when frames come back", () => {
    const { store, clock, status, statuses } = setup();
    status("a", "live");
    const w = store.writer("a");
    clock.advance(30_000);
    expect(store.isHealthy("a")).toBe(true);
    clock.advance(1_000);
    expect(store.feedState("a")).toBe("degraded");
    expect(store.feedReasons("a")[0]).toContain("heartbeat_timeout_ms 30000");
    clock.advance(5_000);
    // One event per change of the crossed checks, not one per second while the figure moves.
    expect(published(statuses)).toEqual(["degraded"]);
    expect(store.feedReasons("a")[0]).toBe("no message for 36 s (heartbeat_timeout_ms 30000)");
    w.endFrame(clock.now());
    clock.advance(1_000);
    expect(store.feedState("a")).toBe("live");
    expect(published(statuses)).toEqual(["degraded", "live"]);
    expect(statuses.at(-1)).toMatchObject({ feed: "a", state: "live", prev: "degraded", reasons: [] });
  });

  it("degrades on average latency over max_latency_ms, and clears once the window moves on", () => {
    const { store, clock, status, book } = setup();
    status("a", "live");
    book("a", "BTC", [[100, 1]], [[101, 1]], 450);
    clock.advance(1_000);
    expect(store.feedState("a")).toBe("degraded");
    expect(store.feedReasons("a")).toEqual(["latency avg 450 ms over max_latency_ms 200"]);
    // Timely updates keep arriving; after the window the late sample is gone.
    for (let i = 0; i < 61; i++) {
      book("a", "BTC", [[100, 1]], [[101, 1]], 10);
      clock.advance(1_000);
    }
    expect(store.feedState("a")).toBe("live");
  });

  it("degrades when a quote is older than max_quote_age_ms while the feed still talks", () => {
    const { store, clock, status, book } = setup();
    status("a", "live");
    book("a", "BTC", [[100, 1]], [[101, 1]]);
    book("a", "ETH", [[10, 1]], [[11, 1]]);
    const w = store.writer("a");
    for (let i = 0; i < 11; i++) {
      clock.advance(1_000);
      w.endFrame(clock.now());
      if (i < 9) book("a", "ETH", [[10, 1]], [[11, 1 + i]]);
    }
    expect(store.feedState("a")).toBe("degraded");
    expect(store.feedReasons("a")).toEqual(["1 quote(s) older than max_quote_age_ms 10000 (oldest BTC: 11000 ms)"]);
    // Still usable: a quiet book is valid.
    expect(store.fresh("a", "BTC").ok).toBe(true);
  });

  it("degrades under min_updates_per_s only after a full window of being live", () => {
    const { store, clock, status } = setup();
    status("a", "live");
    const w = store.writer("a");
    for (let i = 0; i < 59; i++) {
      clock.advance(1_000);
      w.endFrame(clock.now());
    }
    expect(store.feedState("a")).toBe("live");
    clock.advance(1_000);
    w.endFrame(clock.now());
    clock.advance(1_000);
    expect(store.feedState("a")).toBe("degraded");
    expect(store.feedReasons("a")).toEqual(["0.00 updates/s under min_updates_per_s 0.1"]);
  });

  it("restates degraded at once when the connection layer says live while a threshold still stands", () => {
    const { store, clock, status, statuses } = setup();
    status("a", "live");
    clock.advance(31_000);
    expect(store.feedState("a")).toBe("degraded");
    status("a", "live");
    expect(store.feedState("a")).toBe("live");
    clock.advance(0);
    expect(store.feedState("a")).toBe("degraded");
    // Every listener saw the same order, ending on the store's word.
    expect(statuses.map((s) => s.state)).toEqual(["live", "degraded", "live", "degraded"]);
  });

  it("leaves feeds that are not live alone", () => {
    const { store, clock, status, statuses } = setup();
    status("a", "reconnecting");
    clock.advance(120_000);
    expect(store.feedState("a")).toBe("reconnecting");
    expect(statuses).toHaveLength(1);
  });
});

describe("FeedMetrics", () => {
  it("computes updates/s and latency avg/p50/p95/max over the window", () => {
    const m = new FeedMetrics();
    const t0 = 10_000_000;
    for (let i = 1; i <= 100; i++) m.record(t0 + i * 100, i);
    const s = m.read(t0 + 10_000);
    expect(s.updates).toBe(100);
    expect(s.updatesPerS).toBeCloseTo(100 / 60, 9);
    expect(s.latencyAvgMs).toBeCloseTo(50.5, 9);
    expect(s.latencyP50Ms).toBe(50);
    expect(s.latencyP95Ms).toBe(95);
    expect(s.latencyMaxMs).toBe(100);
    const later = m.read(t0 + 70_000);
    expect(later.updates).toBe(0);
    expect(later.latencySamples).toBe(0);
    expect(later.latencyAvgMs).toBeNaN();
  });

  it("skips NaN latency samples but counts the update", () => {
    const m = new FeedMetrics();
    m.record(1000, Number.NaN);
    expect(m.read(1000)).toMatchObject({ updates: 1, latencySamples: 0 });
  });
});
