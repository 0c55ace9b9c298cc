import { describe, expect, it } from "bun:test";
import { Backoff } from "./backoff.ts";

describe("Backoff", () => {
  it("does double the ceiling up to the maximum", () => {
    const b = new Backoff({ minMs: 250, maxMs: 30_000, random: () => 1 });
    const out = Array.from({ length: 10 }, () => b.next());
    expect(out).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it("does keep equal jitter in the upper half of the ceiling", () => {
    const b = new Backoff({ minMs: 250, maxMs: 30_000, random: () => 0 });
    const out = Array.from({ length: 9 }, () => b.next());
    expect(out).toEqual([125, 250, 500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it("does keep full jitter between the minimum and the ceiling", () => {
    const b = new Backoff({ minMs: 250, maxMs: 30_000, jitter: "full", random: () => 0 });
    expect(Array.from({ length: 4 }, () => b.next())).toEqual([250, 250, 250, 250]);
    const c = new Backoff({ minMs: 250, maxMs: 30_000, jitter: "full", random: () => 0.5 });
    expect(Array.from({ length: 4 }, () => c.next())).toEqual([250, 375, 625, 1125]);
  });

  it("does start again after reset", () => {
    const b = new Backoff({ minMs: 100, maxMs: 1_000, random: () => 1 });
    b.next();
    b.next();
    expect(b.attempt).toBe(2);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it("does spread delays with a real random source", () => {
    const b = new Backoff({ minMs: 1_000, maxMs: 1_000 });
    const seen = new Set(Array.from({ length: 50 }, () => b.next()));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) expect(d >= 500 && d <= 1_000).toBe(true);
  });
});
