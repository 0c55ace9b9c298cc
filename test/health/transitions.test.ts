import { afterEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Alert, HealthStatus } from "../../core/events.ts";
import { tickControls } from "../http/fixtures/tick-feed.ts";
import { sent, settle, startTestBot, type TestBot } from "../http/kit.ts";
import { flag } from "./fixtures/flag-check.ts";

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const base = `
[health]
heartbeat_timeout_ms = 1000
check_interval_ms = 200
default_checks = false
[health.checks.feed-connected]
grace_ms = 2000
[health.checks.heartbeat]
[feeds.venue_a]
plugin = "tick"
instruments = ["BTC-PERP"]
[feeds.venue_b]
plugin = "tick"
instruments = ["BTC-PERP"]
[notifiers.inbox]
plugin = "collect"
[[alerts.routes]]
notifiers = ["inbox"]
kinds = ["health"]
cooldown_ms = 0
[alerts]
outbox_path = ":memory:"
`;

function record(b: TestBot): { alerts: Alert[]; statuses: HealthStatus[] } {
  const alerts: Alert[] = [];
  const statuses: HealthStatus[] = [];
  b.runtime.bus.on("alert", (a) => void (a.kind === "health" && alerts.push(a)), "test");
  b.runtime.bus.on("health.status", (s) => void statuses.push(s), "test");
  return { alerts, statuses };
}

describe("health checks", () => {
  it("does raise exactly one alert when a feed stalls and one when it recovers, per check, not one per tick", async () => {
    bot = await startTestBot(base);
    const { alerts, statuses } = record(bot);
    await bot.advance(3000);
    expect(alerts).toEqual([]);
    expect(bot.health.entries().filter((e) => e.subject === "venue_b").map((e) => `${e.check}:${e.status}`)).toEqual(["feed-connected:ok", "heartbeat:ok"]);

    // the venue goes quiet: heartbeat first; the watchdog says stale, the connection layer reconnects
    const b = tickControls.get("venue_b")!;
    b.stall();
    await bot.advance(1500);
    b.status("stale", "no message for 1 s");
    await bot.advance(500);
    b.status("reconnecting", "watchdog");
    await bot.advance(10_000); // fifty check ticks while down
    expect(alerts.map((a) => a.title)).toEqual(["venue_b: heartbeat degraded", "venue_b: feed-connected down"]);
    expect(alerts.map((a) => a.severity)).toEqual(["warning", "critical"]);
    expect(alerts[1]!.text).toContain("feed reconnecting for");
    expect(alerts.every((a) => a.feed === "venue_b" && a.kind === "health")).toBe(true);

    b.resume();
    await bot.advance(2000);
    expect(alerts.map((a) => a.title)).toEqual([
      "venue_b: heartbeat degraded",
      "venue_b: feed-connected down",
      "venue_b: feed-connected recovered",
      "venue_b: heartbeat recovered",
    ]);
    expect(alerts[2]!.text).toMatch(/^ok again after \d+ s \(was: feed reconnecting for/);
    expect(statuses.map((s) => `${s.check}:${s.prev}->${s.status}`)).toEqual([
      "heartbeat:ok->degraded",
      "feed-connected:ok->down",
      "feed-connected:down->ok",
      "heartbeat:degraded->ok",
    ]);
    // the router delivered each once (its own keys per direction, so cooldown never eats a recovery)
    await settle(20);
    expect(sent.get("inbox")!.map((a) => a.title)).toEqual(alerts.map((a) => a.title));
    // the other feed never moved
    expect(statuses.some((s) => s.subject === "venue_a")).toBe(false);
  });

  it("does not alert for a short reconnect inside the grace", async () => {
    bot = await startTestBot(base);
    const { alerts } = record(bot);
    await bot.advance(1000);
    tickControls.get("venue_a")!.status("reconnecting", "socket closed");
    await bot.advance(600);
    tickControls.get("venue_a")!.resume();
    await bot.advance(2000);
    expect(alerts).toEqual([]);
  });

  it("does run a user's check loaded by path, with its own severity", async () => {
    const path = join(import.meta.dir, "fixtures", "flag-check.ts").replaceAll("\\", "/");
    bot = await startTestBot(base.replace("[health.checks.heartbeat]", `[health.checks.heartbeat]\n[health.checks.disk]\nplugin = "${path}"\nsubject = "disk"`));
    const { alerts } = record(bot);
    flag.down = true;
    await bot.advance(1000);
    flag.down = false;
    await bot.advance(1000);
    expect(alerts.map((a) => `${a.source}:${a.title}:${a.severity}`)).toEqual(["disk:disk: disk down:critical", "disk:disk: disk recovered:critical"]);
    expect(alerts[0]!.text).toBe("the flag is up");
  });

  it("does run every built-in by default, and [health.checks.<name>] enabled = false turns one off", async () => {
    bot = await startTestBot(`[health.checks.clock-skew]\nenabled = false\n[feeds.a]\nplugin = "tick"\ninstruments = ["X"]\n`);
    await bot.advance(1000);
    expect([...new Set(bot.health.entries().map((e) => e.check))].sort()).toEqual(["feed-connected", "heartbeat", "latency", "notifier-delivery", "quote-age", "update-rate"]);
  });
});
