/**
 * Test kit for the HTTP, health and reload tests: a registry with the scripted tick feed, a collecting
 * notifier and the built-in strategies and health checks; a bot built from TOML on a ManualClock, with
 * its health runner, HTTP sources and app (driven through `app.handle`).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { ManualClock } from "../../core/clock.ts";
import { loadConfigSource } from "../../core/config/load.ts";
import type { Alert } from "../../core/events.ts";
import { startHealthRunner, type HealthRunner } from "../../core/health/runner.ts";
import { createHttpApp, type HttpAppOptions } from "../../core/http/app.ts";
import { botSources } from "../../core/http/bot-sources.ts";
import type { HttpSources, ReloadResult } from "../../core/http/sources.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import { defineNotifier } from "../../core/plugin.ts";
import { createRegistry } from "../../core/registry.ts";
import { Runtime } from "../../core/runtime.ts";
import { watchSignalLatency } from "../../core/metrics.ts";
import { tickFeed } from "./fixtures/tick-feed.ts";

/** Alerts each collecting notifier instance received, by instance id. */
export const sent = new Map<string, Alert[]>();

export const collectNotifier = defineNotifier({
  name: "collect",
  description: "Collects alerts in memory (tests)",
  config: v.strictObject({}),
  setup(ctx) {
    const list: Alert[] = [];
    sent.set(ctx.id, list);
    return { send: async (a: Alert) => void list.push(a) };
  },
});

export const registry = createRegistry([tickFeed, collectNotifier, ...builtinRegistry.all().filter((p) => p.kind !== "notifier" || p.name === "console")]);

/** A fresh folder for a test's config and data. */
export function tempDir(prefix = "edgewatch-http-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestBot {
  readonly runtime: Runtime;
  readonly clock: ManualClock;
  readonly health: HealthRunner;
  readonly sources: HttpSources;
  readonly logs: MemorySink;
  app(options?: HttpAppOptions, override?: Partial<HttpSources>): ReturnType<typeof createHttpApp>;
  /** Advances the clock in steps (timers fire in order) and lets promises settle. */
  advance(ms: number, step?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Lets pending promise callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Starts a runtime and its health checks from TOML text (written to a temp folder) on a ManualClock. */
export async function startTestBot(toml: string, reload?: (by: string) => Promise<ReloadResult>): Promise<TestBot> {
  const dir = tempDir();
  const file = join(dir, "bot.toml");
  const text = `[bot]\nname = "test"\ndata_dir = "${join(dir, "data").replaceAll("\\", "/")}"\n${toml}`;
  writeFileSync(file, text);
  const config = await loadConfigSource(text, file, { registry, env: {} });
  const clock = new ManualClock(1_800_000_000_000);
  const logs = new MemorySink();
  const log = createLogger({ level: "debug", sink: logs });
  const runtime = new Runtime(config, { clock, log, schedules: false });
  await runtime.start();
  const h = config.core.health;
  const health = await startHealthRunner({
    bus: runtime.bus,
    clock,
    log,
    store: runtime.store,
    view: runtime.view,
    botName: config.core.bot.name,
    configDir: config.dir,
    settings: { heartbeatTimeoutMs: h.heartbeat_timeout_ms, maxQuoteAgeMs: h.max_quote_age_ms, maxLatencyMs: h.max_latency_ms, minUpdatesPerS: h.min_updates_per_s },
    intervalMs: h.check_interval_ms,
    checks: config.instances.filter((i) => i.kind === "health"),
  });
  const sources = botSources(runtime, health, reload ?? (async () => ({ ok: true, started: [], stopped: [], kept: [] })));
  const offLatency = watchSignalLatency(runtime.bus, runtime.store, clock, sources.frameToSignal);
  return {
    runtime,
    clock,
    health,
    sources,
    logs,
    app: (options = {}, override = {}) => createHttpApp({ ...sources, ...override }, options),
    async advance(ms, step = 100) {
      for (let t = 0; t < ms; t += step) {
        clock.advance(Math.min(step, ms - t));
        await settle(2);
      }
    },
    async stop() {
      offLatency();
      await health.stop();
      await runtime.stop();
    },
  };
}
