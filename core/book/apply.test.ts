import { describe, expect, it } from "bun:test";
import { Bus } from "../bus.ts";
import { ManualClock } from "../clock.ts";
import type { BookSnapshot, FrameEnd, Funding } from "../events.ts";
import { silentLogger } from "../log.ts";
import { createMarketStore, defaultHealthSettings } from "../store.ts";
import { applyEvents } from "./apply.ts";

type VenueEvent =
  | { readonly kind: "snapshot"; readonly book: BookSnapshot }
  | { readonly kind: "top"; readonly channel: string; readonly top: { feed: string; instrument: string; key: string; bid: number; ask: number; bidSize: number; askSize: number; tsEvent: number; tsRecv: number } }
  | { readonly kind: "funding"; readonly funding: Funding }
  | { readonly kind: "ack"; readonly id: number };

describe("applyEvents", () => {
  it("writes the store events in order and returns the others in order, for after the frame end", () => {
    const bus = new Bus();
    const clock = new ManualClock(1_000);
    const store = createMarketStore({ bus, clock, health: defaultHealthSettings, log: silentLogger });
    bus.emit("feed.status", { feed: "v", state: "live", reasons: [], ts: 1_000 });
    const frames: FrameEnd[] = [];
    bus.on("frame.end", (f) => frames.push(f));
    const w = store.writer("v");
    const t = 1_000;
    const funding: Funding = { feed: "v", instrument: "A", key: "A", rate: 0.0001, intervalMs: 28_800_000, tsEvent: t, tsRecv: t };
    const events: VenueEvent[] = [
      { kind: "ack", id: 1 },
      { kind: "snapshot", book: { feed: "v", instrument: "A", key: "A", tsEvent: t, tsRecv: t, bids: [[99, 1]], asks: [[101, 1]] } },
      { kind: "funding", funding },
      { kind: "top", channel: "bbo", top: { feed: "v", instrument: "B", key: "B", bid: 9, ask: 11, bidSize: 1, askSize: 1, tsEvent: t, tsRecv: t } },
    ];
    const rest = applyEvents(w, events);
    expect(rest.map((e) => e.kind)).toEqual(["ack", "funding"]);
    expect(frames).toEqual([]); // nothing published before the feed ends the frame
    w.endFrame(t);
    expect(frames.map((f) => f.instruments)).toEqual([["A", "B"]]);
    expect(store.fresh("v", "A").ok).toBe(true);
    expect(store.quote("v", "B")).toMatchObject({ bid: 9, ask: 11 });
  });

  it("refuses, at type level, a feed event that uses a store kind with another shape", () => {
    const w = createMarketStore({ bus: new Bus(), clock: new ManualClock(0), health: defaultHealthSettings, log: silentLogger }).writer("v");
    const odd: { readonly kind: "snapshot"; readonly levels: number }[] = [];
    // @ts-expect-error a "snapshot" without a BookSnapshot cannot be applied
    expect(applyEvents(w, odd)).toEqual([]);
  });
});
