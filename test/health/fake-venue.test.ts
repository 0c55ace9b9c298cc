/**
 * Health checks against a protocol-faithful fake venue: the real OKX feed plugin (core/ws connection,
 * watchdog, resync) on the shared ManualClock. The venue's socket goes silent (a dead peer: no data, no
 * pongs); the heartbeat check raises one alert, the connection layer reconnects, books resync, and the
 * check raises one recovery — one each way however many ticks the stall lasts.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { clearOkxInstrumentCache } from "../../plugins/feeds/okx/rest.ts";
import type { Alert, HealthStatus } from "../../core/events.ts";
import { startHealthRunner, type HealthRunner } from "../../core/health/runner.ts";
import { silentLogger } from "../../core/log.ts";
import type { InstanceConfig } from "../../core/config/load.ts";
import * as v from "valibot";
import { FakeOkx } from "../fakes/okx/fake-okx.ts";
import { rigClock, startRig, type Rig } from "../feeds/okx-hyperliquid-rig.ts";

let fake: FakeOkx | undefined;
let rig: Rig | undefined;
let runner: HealthRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  await rig?.stop();
  fake?.stop();
  rig = fake = runner = undefined;
  clearOkxInstrumentCache();
});

function check(name: string, config: unknown = {}): InstanceConfig {
  const plugin = builtinRegistry.get("health", name)!;
  return { kind: "health", id: name, path: ["health", "checks", name], spec: name, plugin, config: v.parse(plugin.config, config) };
}

describe("health checks on a fake venue", () => {
  it("does alert once when the venue's socket goes silent and once when the feed is back", async () => {
    const clock = rigClock();
    const f = (fake = new FakeOkx({ clock }));
    const r = (rig = await startRig(clock, `[feeds.okx]\nws_url = "${f.url}"\nrest_url = "${f.httpUrl}"\ninstruments = ["BTC-USDT-SWAP"]\nchannels = ["books"]\n`));
    runner = await startHealthRunner({
      bus: r.runtime.bus,
      clock,
      log: silentLogger,
      store: r.runtime.store,
      view: r.runtime.view,
      botName: "t",
      configDir: ".",
      settings: { heartbeatTimeoutMs: 5_000, maxQuoteAgeMs: 60_000, maxLatencyMs: 1_000, minUpdatesPerS: 0 },
      intervalMs: 500,
      checks: [check("heartbeat"), check("feed-connected", { grace_ms: 120_000 })],
    });
    const alerts: Alert[] = [];
    const statuses: HealthStatus[] = [];
    r.runtime.bus.on("alert", (a) => void (a.kind === "health" && alerts.push(a)), "test");
    r.runtime.bus.on("health.status", (s) => void statuses.push(s), "test");
    const live = () => r.runtime.store.fresh("okx", "BTC-USDT-SWAP").ok;
    // the venue publishes a change every 250 ms of clock time while the test runs
    async function run(until: () => boolean, what: string, maxMs: number): Promise<void> {
      const realEnd = Date.now() + 20_000;
      for (let t = 0; ; t += 250) {
        f.step();
        await r.flush(2);
        if (until()) return;
        if (t > maxMs || Date.now() > realEnd) throw new Error(`timed out waiting for ${what}`);
        clock.advance(250);
      }
    }
    await run(live, "a live book", 30_000);
    for (let i = 0; i < 8; i++) (f.step(), await r.flush(2), clock.advance(250));
    expect(alerts).toEqual([]);

    f.venue.last().mode = "stalled";
    await run(() => alerts.length === 1, "the heartbeat alert", 20_000);
    expect(alerts[0]!.title).toBe("okx: heartbeat degraded");
    await run(() => f.venue.clients.length === 2 && live(), "a reconnect and a fresh book", 120_000);
    await run(() => alerts.length === 2, "the recovery", 10_000);
    for (let i = 0; i < 40; i++) (f.step(), await r.flush(2), clock.advance(250));
    expect(alerts.map((a) => a.title)).toEqual(["okx: heartbeat degraded", "okx: heartbeat recovered"]);
    expect(statuses.filter((s) => s.check === "heartbeat").map((s) => `${s.prev}->${s.status}`)).toEqual(["ok->degraded", "degraded->ok"]);
    expect(statuses.some((s) => s.check === "feed-connected")).toBe(false); // the reconnect was within its grace
  }, 60_000);
});
