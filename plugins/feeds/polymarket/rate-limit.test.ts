import { describe, expect, it } from "bun:test";
import { ManualClock } from "../../../core/clock.ts";
import { SlidingWindowLimiter } from "./rate-limit.ts";

describe("SlidingWindowLimiter", () => {
  it("lets `limit` requests start per sliding window and queues the rest in order", async () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter(clock, 3, 10_000);
    const started: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) => l.take().then(() => started.push(i)));
    await Bun.sleep(0);
    expect(started).toEqual([0, 1, 2]);
    clock.advance(9_999);
    await Bun.sleep(0);
    expect(started).toEqual([0, 1, 2]);
    clock.advance(2);
    await Bun.sleep(0);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(l.used).toBe(3);
    clock.advance(10_001);
    await Promise.all(all);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("never lets more than `limit` start within any window", async () => {
    const clock = new ManualClock(0);
    const l = new SlidingWindowLimiter(clock, 5, 1_000);
    const times: number[] = [];
    for (let i = 0; i < 23; i++) void l.take().then(() => times.push(clock.now()));
    for (let t = 0; t < 6_000; t += 100) {
      await Bun.sleep(0);
      clock.advance(100);
    }
    await Bun.sleep(0);
    expect(times).toHaveLength(23);
    for (const t of times) expect(times.filter((u) => u > t - 1_000 && u <= t).length).toBeLessThanOrEqual(5);
  });
});
