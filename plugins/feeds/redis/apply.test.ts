import { describe, expect, it } from "bun:test";
import { Bus, scopeBus } from "../../../core/bus.ts";
import { ManualClock } from "../../../core/clock.ts";
import { silentLogger } from "../../../core/log.ts";
import { createMarketStore, defaultHealthSettings } from "../../../core/store.ts";
import type { WireFrame, WireItem } from "../../sinks/redis/wire.ts";
import { FrameApplier } from "./apply.ts";

function rig() {
  const clock = new ManualClock(1_000);
  const bus = new Bus();
  const store = createMarketStore({ bus: scopeBus(bus, "store"), clock, health: defaultHealthSettings, log: silentLogger });
  bus.emit("feed.status", { feed: "okx", state: "live", reasons: [], ts: 1_000 });
  const resyncs: string[] = [];
  let frameEnds = 0;
  bus.on("frame.end", () => frameEnds++, "test");
  const applier: FrameApplier = new FrameApplier({
    feed: "okx",
    writer: store.writer("okx", { onResync: (i) => applier.storeResynced(i) }),
    requestResync: (i) => resyncs.push(i),
  });
  return { store, applier, resyncs, frameEnds: () => frameEnds };
}
const frame = (n: number, items: WireItem[], run = "r1"): WireFrame => ({ run, n, feed: "okx", tsRecv: 1_000 + n, items });
const snap = (seq: number, bid: number): WireItem => ({ type: "snapshot", instrument: "BTC", key: "BTC", seq, bids: [[bid, 1]], asks: [[bid + 1, 1]], tsEvent: 1_000, tsRecv: 1_000 });
const delta = (seq: number, bid: number): WireItem => ({ type: "delta", instrument: "BTC", key: "BTC", seq, bids: [[bid, 2]], asks: [], tsEvent: 1_000, tsRecv: 1_000 });

describe("FrameApplier", () => {
  it("does apply snapshots and in-sequence deltas, one frame end per wire frame", () => {
    const r = rig();
    r.applier.apply(frame(1, [snap(1, 100)]));
    r.applier.apply(frame(2, [delta(2, 99), delta(3, 98)]));
    expect(r.store.book("okx", "BTC")!.depth(5).bids).toEqual([[100, 1], [99, 2], [98, 2]]);
    expect(r.frameEnds()).toBe(2);
  });

  it("does skip frames and deltas it already has (a retried write)", () => {
    const r = rig();
    r.applier.apply(frame(1, [snap(1, 100)]));
    r.applier.apply(frame(2, [delta(2, 99)]));
    r.applier.apply(frame(2, [delta(2, 99)]));
    expect(r.applier.duplicates).toBe(1);
    expect(r.resyncs).toEqual([]);
  });

  it("does resync a book on a seq gap and take it back from a cache entry that has caught up", () => {
    const r = rig();
    r.applier.apply(frame(1, [snap(1, 100)]));
    r.applier.apply(frame(2, [delta(3, 99)])); // seq 2 was lost
    expect(r.resyncs).toEqual(["BTC"]);
    expect(r.store.fresh("okx", "BTC").reasons).toContain("resyncing"); // not usable by strategies
    r.applier.apply(frame(3, [delta(4, 98)]));
    const cached = { run: "r1", instrument: "BTC", key: "BTC", seq: 3, bids: [[97, 1]] as [number, number][], asks: [[101, 1]] as [number, number][], tsEvent: 1_000, tsRecv: 1_000 };
    expect(r.applier.applyCached(cached, 2_000)).toBe(false); // older than what the stream showed (4)
    expect(r.applier.applyCached({ ...cached, seq: 4 }, 2_000)).toBe(true);
    r.applier.apply(frame(4, [delta(5, 96)]));
    expect(r.store.book("okx", "BTC")!.depth(5).bids).toEqual([[97, 1], [96, 2]]);
  });

  it("does start over when the collector restarts (a new run numbers from 1 with a snapshot)", () => {
    const r = rig();
    r.applier.apply(frame(1, [snap(1, 100)]));
    r.applier.apply(frame(2, [delta(2, 99)]));
    r.applier.apply(frame(1, [snap(1, 50)], "r2"));
    expect(r.store.book("okx", "BTC")!.depth(5).bids).toEqual([[50, 1]]);
    expect(r.applier.run).toBe("r2");
  });
});
