import { describe, expect, it } from "bun:test";
import { ManualClock } from "../../../core/clock.ts";
import { snapshotWatch } from "./snapshot-watch.ts";

function rig(timeoutMs = 1_000) {
  const clock = new ManualClock();
  const live = new Set<string>();
  const connections = new Set<string>(["sub-a", "sub-b"]);
  const lost: string[] = [];
  const w = snapshotWatch({
    clock,
    timeoutMs,
    bookLive: (i) => live.has(i),
    connectionLive: (s) => connections.has(s),
    onLost: (i, s) => lost.push(`${i}@${s}`),
  });
  return { clock, live, connections, lost, w };
}

describe("snapshotWatch", () => {
  it("does report a book still not live when the wait runs out, and not before", () => {
    const r = rig();
    r.w.watch("A", "sub-a");
    r.clock.advance(999);
    expect(r.lost).toEqual([]);
    r.clock.advance(1);
    expect(r.lost).toEqual(["A@sub-a"]);
  });

  it("does not report a book that went live or a subscription whose connection is down", () => {
    const r = rig();
    r.w.watch("A", "sub-a");
    r.w.watch("B", "sub-c");
    r.live.add("A");
    r.clock.advance(1_000);
    expect(r.lost).toEqual([]);
  });

  it("does restart the wait when watched again, and cancel everything on stop", () => {
    const r = rig();
    r.w.watch("A", "sub-a");
    r.clock.advance(600);
    r.w.watch("A", "sub-b");
    r.clock.advance(600);
    expect(r.lost).toEqual([]);
    r.clock.advance(400);
    expect(r.lost).toEqual(["A@sub-b"]);
    r.w.watch("B", "sub-a");
    r.w.stop();
    r.clock.advance(5_000);
    expect(r.lost).toEqual(["A@sub-b"]);
    expect(r.clock.pending()).toBe(0);
  });

  it("does never watch when the timeout is 0", () => {
    const r = rig(0);
    r.w.watch("A", "sub-a");
    expect(r.clock.pending()).toBe(0);
  });
});
