import { afterEach, describe, expect, it } from "bun:test";
import * as v from "valibot";
import type { HealthContext, HealthResult } from "../../core/health/types.ts";
import type { AlertStatsView, RuntimeView } from "../../core/plugin.ts";
import { notifierDeliveryCheck } from "../../plugins/health/notifier-delivery/index.ts";
import { tickControls } from "../http/fixtures/tick-feed.ts";
import { startTestBot, type TestBot } from "../http/kit.ts";

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const verdicts = (b: TestBot, check: string) => b.health.entries().filter((e) => e.check === check).map((e) => `${e.subject}:${e.status}`).sort();

describe("built-in health checks", () => {
  it("does flag latency over max_latency_ms and a venue clock behind by more than max_skew_ms", async () => {
    bot = await startTestBot(`
[health]
max_latency_ms = 200
[health.checks.clock-skew]
max_skew_ms = 1000
[feeds.near]
plugin = "tick"
instruments = ["X"]
lag_ms = 20
[feeds.late]
plugin = "tick"
instruments = ["X"]
lag_ms = 500
[feeds.skewed]
plugin = "tick"
instruments = ["X"]
lag_ms = 3000
`);
    await bot.advance(2000);
    expect(verdicts(bot, "latency")).toEqual(["late:degraded", "near:ok", "skewed:degraded"]);
    expect(verdicts(bot, "clock-skew")).toEqual(["late:ok", "near:ok", "skewed:degraded"]);
    const skew = bot.health.entries().find((e) => e.check === "clock-skew" && e.subject === "skewed")!;
    expect(skew.reason).toContain("venue time 3000 ms behind local");
  });

  it("does flag old books (info) and a slow feed once a full 60 s window has passed", async () => {
    bot = await startTestBot(`
[health]
max_quote_age_ms = 5000
min_updates_per_s = 3
[feeds.fast]
plugin = "tick"
instruments = ["X"]
interval_ms = 100
[feeds.slow]
plugin = "tick"
instruments = ["X", "Y"]
interval_ms = 1000
`);
    await bot.advance(30_000, 500);
    expect(verdicts(bot, "update-rate")).toEqual(["fast:ok", "slow:ok"]); // not judged before the window
    await bot.advance(31_000, 500);
    expect(verdicts(bot, "update-rate")).toEqual(["fast:ok", "slow:degraded"]);
    expect(verdicts(bot, "quote-age")).toEqual(["fast:ok", "slow:ok"]);
    tickControls.get("slow")!.stall();
    await bot.advance(6000, 500);
    const age = bot.health.entries().find((e) => e.check === "quote-age" && e.subject === "slow")!;
    expect(age).toMatchObject({ status: "degraded", severity: "info" });
    expect(age.reason).toMatch(/^2 quote\(s\) older than 5 s \(oldest [XY]: 6\.\d s\)$/);
  });

  it("does mark a notifier degraded from a failed delivery until a later one succeeds, and the outbox over max_pending", async () => {
    let stats: AlertStatsView = { pending: 0, totals: { tg: { delivered: 3, failed: 0, retried: 0 } }, suppressed: {} };
    const view: RuntimeView = { feeds: () => [], opportunities: () => [], recentAlerts: () => [], mutedUntil: () => 0, alertStats: () => stats };
    const config = v.parse(notifierDeliveryCheck.config, { max_pending: 10 });
    const handle = await notifierDeliveryCheck.setup({ view, config } as unknown as HealthContext<typeof config>);
    const run = async () => ((await handle.check(0)) as HealthResult[]).map((r) => `${r.subject}:${r.status}`);
    expect(await run()).toEqual(["tg:ok", "outbox:ok"]);
    stats = { pending: 12, totals: { tg: { delivered: 3, failed: 0, retried: 2 } }, suppressed: {} };
    expect(await run()).toEqual(["tg:degraded", "outbox:degraded"]);
    expect(await run()).toEqual(["tg:degraded", "outbox:degraded"]); // nothing delivered since
    stats = { pending: 0, totals: { tg: { delivered: 4, failed: 0, retried: 2 } }, suppressed: {} };
    expect(await run()).toEqual(["tg:ok", "outbox:ok"]);
  });
});
