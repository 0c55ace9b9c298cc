import { describe, expect, it } from "bun:test";
import { Bus } from "../bus.ts";
import { ManualClock } from "../clock.ts";
import type { FrameEnd } from "../events.ts";
import { silentLogger } from "../log.ts";
import { createMarketStore, defaultHealthSettings } from "../store.ts";
import { bookHooks } from "./book-hooks.ts";

function setup() {
  const bus = new Bus();
  const clock = new ManualClock(1_000);
  const store = createMarketStore({ bus, clock, health: defaultHealthSettings, log: silentLogger });
  bus.emit("feed.status", { feed: "v", state: "live", reasons: [], ts: clock.now() });
  const frames: FrameEnd[] = [];
  bus.on("frame.end", (f) => frames.push(f));
  const w = store.writer("v");
  // "book:X" feeds books X:yes and X:no; "trades:X" feeds none
  const hooks = bookHooks(w, clock, (id) => (id.startsWith("book:") ? [`${id.slice(5)}:yes`, `${id.slice(5)}:no`] : []));
  const data = (instrument: string) => {
    w.snapshot({ feed: "v", instrument, key: instrument, tsEvent: clock.now(), tsRecv: clock.now(), bids: [[0.4, 1]], asks: [[0.6, 1]] });
    w.endFrame(clock.now());
  };
  return { store, clock, frames, hooks, data };
}

describe("bookHooks", () => {
  it("resyncs the books of ids subscribed on the first open too, and publishes it at once", () => {
    const { store, frames, hooks, data } = setup();
    data("A:yes"); // a book left in the store (by a feed instance before a restart, say)
    expect(store.fresh("v", "A:yes").ok).toBe(true);
    frames.length = 0;
    hooks.onSubscribed(["book:A", "trades:A"], "open");
    expect(store.fresh("v", "A:yes").reasons).toEqual(["resyncing"]);
    expect(store.fresh("v", "A:no").reasons).toEqual(["resyncing"]);
    expect(frames.map((f) => f.instruments)).toEqual([["A:yes", "A:no"]]);
    // A:no never held data: a first subscription is not a resync
    expect(store.feedStats("v")!.resyncs).toEqual({ subscribe: 1 });
  });

  it("names the reason after the cause: reopen = reconnect, move = move, add = subscribe", () => {
    const { store, hooks, data } = setup();
    for (const x of ["A", "B", "C"]) data(`${x}:yes`);
    hooks.onSubscribed(["book:A"], "reopen");
    hooks.onSubscribed(["book:B"], "move");
    hooks.onSubscribed(["book:C"], "add");
    expect(store.feedStats("v")!.resyncs).toEqual({ reconnect: 1, move: 1, subscribe: 1 });
  });

  it("leaves a feed's own resync alone and does nothing for ids without books", () => {
    const { store, frames, hooks, data } = setup();
    data("A:yes");
    frames.length = 0;
    hooks.onSubscribed(["book:A"], "resync");
    hooks.onSubscribed(["trades:A"], "open");
    hooks.onDown(["trades:A"]);
    expect(store.fresh("v", "A:yes").ok).toBe(true);
    expect(frames).toEqual([]);
  });

  it("marks the books of a connection that went down stale", () => {
    const { store, frames, hooks, data } = setup();
    data("A:yes");
    data("B:yes");
    frames.length = 0;
    hooks.onDown(["book:A", "trades:B"]);
    expect(store.fresh("v", "A:yes").reasons).toEqual(["stale"]);
    expect(store.fresh("v", "B:yes").ok).toBe(true);
    expect(frames.map((f) => f.instruments)).toEqual([["A:yes"]]);
  });
});
