import { describe, expect, it } from "bun:test";
import { ManualClock } from "../clock.ts";
import { CadenceWatchdog } from "./cadence.ts";

describe("CadenceWatchdog", () => {
  it("does report a subscription that misses its cadence once, and again after it recovers", () => {
    const clock = new ManualClock(0);
    const missed: string[][] = [];
    const w = new CadenceWatchdog({ clock, everyMs: 1_000, graceMs: 500, onMissed: (ids) => missed.push([...ids]) });
    w.track(["a", "b"]);
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      w.seen("a");
    }
    expect(missed).toEqual([["b"]]);
    // b was silent since t=0: reported between everyMs+grace and 1.5×everyMs+grace
    w.seen("b");
    expect(w.missed().has("b")).toBe(false);
    clock.advance(1_000);
    w.seen("a");
    clock.advance(1_000);
    w.seen("a");
    expect(missed).toEqual([["b"], ["b"]]);
  });

  it("does detect within 1.5 × everyMs + grace", () => {
    const clock = new ManualClock(0);
    let at = -1;
    const w = new CadenceWatchdog({ clock, everyMs: 6_000, onMissed: () => (at = clock.now()) });
    w.track(["x"]);
    clock.advance(30_000);
    expect(at).toBeGreaterThan(12_000);
    expect(at).toBeLessThanOrEqual(6_000 * 1.5 + 6_000);
  });

  it("does never call an untracked quiet subscription stale, and stops its timer when empty", () => {
    const clock = new ManualClock(0);
    const missed: string[] = [];
    const w = new CadenceWatchdog({ clock, everyMs: 100, onMissed: (ids) => missed.push(...ids) });
    w.track(["a"]);
    w.untrack(["a"]);
    w.seen("quiet");
    clock.advance(10_000);
    expect(missed).toEqual([]);
    expect(clock.pending()).toBe(0);
    w.track(["a"]);
    w.stop();
    expect(clock.pending()).toBe(0);
  });
});
