import { describe, expect, it } from "bun:test";
import { testStrategy, type StrategyHarness } from "../../core/testing.ts";
import { spreadAlert, spreadBps } from "./index.ts";

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
const base = { feeds: ["a"], above_bps: 50, min_duration_ms: 1000 };
const start = (extra: Record<string, unknown> = {}) => testStrategy(spreadAlert, { ...base, ...extra }, { live: ["a"] });
const wide = (h: StrategyHarness) => h.book("a", "X", { bids: [[99.5, 1]], asks: [[100, 1]] }); // 50.125… bps
const suppressed = (h: StrategyHarness) => h.emitted("signal.suppressed").map((s) => s.reason);

describe("spread-alert", () => {
  it("does alert once the spread has stayed wide for min_duration_ms, with the exact spread", async () => {
    const h = await start();
    wide(h);
    h.advance(999);
    expect(h.alerts).toHaveLength(0);
    h.advance(1);
    expect(h.alerts).toHaveLength(1);
    near(h.alerts[0]!.data!.spreadBps as number, (1e4 * 0.5) / 99.75);
    expect(h.alerts[0]!.key).toBe("spread-alert:a:X:wide");
    wide(h);
    h.advance(5000);
    expect(h.alerts).toHaveLength(1);
    await h.stop();
  });

  it("does not alert just below the threshold", async () => {
    const h = await start({ above_bps: spreadBps(99.5, 100) + 1e-9 });
    wide(h);
    h.advance(2000);
    expect(h.alerts).toHaveLength(0);
    await h.stop();
  });

  it("does restart the duration when the spread narrows in between, and alert on clear with the duration", async () => {
    const h = await start({ alert_on_clear: true });
    wide(h);
    h.advance(500);
    h.book("a", "X", { bids: [[99.9, 1]], asks: [[100, 1]] });
    wide(h);
    h.advance(999);
    expect(h.alerts).toHaveLength(0);
    h.advance(1);
    h.advance(2000);
    h.book("a", "X", { bids: [[99.9, 1]], asks: [[100, 1]] });
    expect(h.alerts.map((a) => a.title.startsWith("cleared"))).toEqual([false, true]);
    expect(h.alerts[1]!.data!.durationMs).toBe(3000);
    await h.stop();
  });

  it("does alert on tight spreads with below_bps", async () => {
    const h = await start({ above_bps: undefined, below_bps: 2, min_duration_ms: 0 });
    h.book("a", "X", { bids: [[99.99, 1]], asks: [[100, 1]] });
    expect(h.alerts.map((a) => a.key)).toEqual(["spread-alert:a:X:tight"]);
    await h.stop();
  });

  it("does suppress a stale, a resyncing and a crossed book", async () => {
    const h = await start({ min_duration_ms: 0, below_bps: 10 });
    h.frame("a", (w) => {
      w.snapshot({ feed: "a", instrument: "X", key: "X", tsEvent: 0, tsRecv: 0, bids: [[99.5, 1]], asks: [[100, 1]] });
      w.markStale("X");
    });
    wide(h);
    h.resync("a", "X");
    h.book("a", "X", { bids: [[100.5, 1]], asks: [[100, 1]] });
    expect(suppressed(h)).toEqual(["stale", "resyncing", "resyncing", "crossed"]);
    expect(h.alerts.map((a) => a.key)).toEqual(["spread-alert:a:X:wide"]);
    await h.stop();
  });

  it("does end a wide condition when its feed goes down", async () => {
    const h = await start({ min_duration_ms: 0, alert_on_clear: true });
    wide(h);
    h.status("a", "reconnecting");
    expect(h.alerts.map((a) => a.title.startsWith("cleared"))).toEqual([false, true]);
    expect(h.alerts[1]!.data!.reason).toBe("feed_down");
    await h.stop();
  });

  it("does reject a config with neither threshold", async () => {
    await expect(testStrategy(spreadAlert, { feeds: ["a"] })).rejects.toThrow("above_bps");
  });
});
