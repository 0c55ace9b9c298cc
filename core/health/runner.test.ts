import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { Bus } from "../bus.ts";
import { ManualClock } from "../clock.ts";
import type { InstanceConfig } from "../config/load.ts";
import type { Alert, HealthStatus } from "../events.ts";
import { createLogger, MemorySink } from "../log.ts";
import { defineHealthCheck, type RuntimeView } from "../plugin.ts";
import { defaultHealthSettings } from "../store.ts";
import { startHealthRunner } from "./runner.ts";
import type { HealthResult, HealthStore } from "./types.ts";

const view: RuntimeView = { feeds: () => [], opportunities: () => [], recentAlerts: () => [], mutedUntil: () => 0 } as unknown as RuntimeView;

function scripted(results: { now: HealthResult[] | Error }, slow?: { release?: () => void }) {
  const plugin = defineHealthCheck({
    name: "scripted",
    description: "answers what the test says",
    severity: "warning",
    config: v.strictObject({}),
    setup: () => ({
      check: () => {
        if (slow !== undefined) return new Promise<HealthResult[]>((r) => (slow.release = () => r(results.now as HealthResult[])));
        if (results.now instanceof Error) throw results.now;
        return results.now;
      },
    }),
  });
  const ic: InstanceConfig = { kind: "health", id: "scripted", path: ["health", "checks", "scripted"], spec: "scripted", plugin, config: {} };
  return ic;
}

async function runner(ic: InstanceConfig) {
  const bus = new Bus();
  const clock = new ManualClock(1000);
  const sink = new MemorySink();
  const alerts: Alert[] = [];
  const statuses: HealthStatus[] = [];
  bus.on("alert", (a) => void alerts.push(a));
  bus.on("health.status", (s) => void statuses.push(s));
  const r = await startHealthRunner({ bus, clock, log: createLogger({ sink }), store: {} as HealthStore, view, botName: "t", configDir: ".", settings: defaultHealthSettings, intervalMs: 1000, checks: [ic] });
  return { r, clock, alerts, statuses, sink };
}

describe("health runner", () => {
  it("does alert once on failure and once on recovery; degraded ⇄ down only publishes health.status, new figures nothing", async () => {
    const results: { now: HealthResult[] | Error } = { now: [{ subject: "a", status: "ok", reason: "" }] };
    const t = await runner(scripted(results));
    await t.r.runOnce();
    results.now = [{ subject: "a", status: "degraded", reason: "slow 1" }];
    await t.r.runOnce();
    results.now = [{ subject: "a", status: "degraded", reason: "slow 2" }];
    await t.r.runOnce();
    results.now = [{ subject: "a", status: "down", reason: "gone" }];
    await t.r.runOnce();
    results.now = [{ subject: "a", status: "ok", reason: "" }];
    await t.r.runOnce();
    expect(t.alerts.map((a) => `${a.title}|${a.key}|${a.severity}`)).toEqual(["a: scripted degraded|health:scripted:a:failing|warning", "a: scripted recovered|health:scripted:a:recovered|warning"]);
    expect(t.statuses.map((s) => `${s.prev}->${s.status}`)).toEqual(["ok->degraded", "degraded->down", "down->ok"]);
    await t.r.stop();
  });

  it("does keep the last verdicts when a check throws, drop a subject that is no longer answered without an alert, and skip a tick while a check is still running", async () => {
    const results: { now: HealthResult[] | Error } = { now: [{ subject: "a", status: "down", reason: "x" }, { subject: "b", status: "ok", reason: "" }] };
    const t = await runner(scripted(results));
    await t.r.runOnce();
    results.now = new Error("boom");
    await t.r.runOnce();
    expect(t.r.entries().map((e) => `${e.subject}:${e.status}`)).toEqual(["a:down", "b:ok"]);
    expect(t.sink.lines.filter((l) => l.includes("health check threw")).length).toBe(1);
    results.now = [{ subject: "b", status: "ok", reason: "" }];
    await t.r.runOnce();
    expect(t.r.entries().map((e) => e.subject)).toEqual(["b"]);
    expect(t.alerts.length).toBe(1); // the failure of a only
    await t.r.stop();

    const slow: { release?: () => void } = {};
    const s = await runner(scripted({ now: [{ subject: "a", status: "down", reason: "x" }] }, slow));
    const first = s.r.runOnce();
    const release = slow.release!;
    await s.r.runOnce(); // overrun: skipped, no second call
    expect(slow.release).toBe(release);
    release();
    await first;
    expect(s.alerts.length).toBe(1);
    await s.r.stop();
  });

  it("does run on the clock every interval and stop cleanly", async () => {
    const t = await runner(scripted({ now: [{ subject: "a", status: "down", reason: "x" }] }));
    t.clock.advance(999);
    await Promise.resolve();
    expect(t.alerts.length).toBe(0);
    t.clock.advance(1);
    await Promise.resolve();
    expect(t.alerts.length).toBe(1);
    await t.r.stop();
    expect(t.clock.pending()).toBe(0);
  });
});
