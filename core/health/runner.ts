/**
 * The health runner: starts the configured health checks, calls each on `[health] check_interval_ms`,
 * remembers the last verdict per (check, subject), and on a change publishes `health.status` and raises
 * a `health` alert through the bus (the alert router routes it): one when a subject leaves `ok`, one when
 * it returns. A verdict that only changes its figures, or moves between degraded and down, raises none.
 */
import { scopeBus, type Bus } from "../bus.ts";
import type { Clock, TimerHandle } from "../clock.ts";
import type { InstanceConfig } from "../config/load.ts";
import { describeError } from "../errors.ts";
import type { Alert, HealthLevel, Severity } from "../events.ts";
import type { Logger } from "../log.ts";
import type { HealthSettings, RuntimeView } from "../plugin.ts";
import type { HealthCheckHandle, HealthCheckPlugin, HealthContext, HealthEntry, HealthResult, HealthStore } from "./types.ts";

/** What the runner needs from the bot. */
export interface HealthRunnerOptions {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly store: HealthStore;
  readonly view: RuntimeView;
  readonly botName: string;
  readonly configDir: string;
  readonly settings: HealthSettings;
  /** `[health] check_interval_ms`. */
  readonly intervalMs: number;
  /** The `health` instances of the loaded config. */
  readonly checks: readonly InstanceConfig[];
}

/** The running health checks. */
export interface HealthRunner {
  /** Latest verdicts, every check and subject (ok ones included). */
  entries(): HealthEntry[];
  /** Runs every check once now (the interval does the same); resolves when all have answered. */
  runOnce(): Promise<void>;
  /** Applies a reloaded config: changed or removed checks stop, new ones start, thresholds update. */
  reload(next: { checks: readonly InstanceConfig[]; settings: HealthSettings; intervalMs: number; configDir: string }): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  readonly config: InstanceConfig;
  readonly plugin: HealthCheckPlugin<unknown>;
  readonly handle: HealthCheckHandle;
  readonly abort: AbortController;
  busy: boolean;
  readonly state: Map<string, HealthEntry>;
}

const levelRank: Record<HealthLevel, number> = { ok: 0, degraded: 1, down: 2 };

/**
 * Starts the checks. A check whose setup throws is logged and left out (the others run).
 *
 * @example
 * const runner = await startHealthRunner({ bus, clock, log, store, view, botName, configDir, settings, intervalMs: 1000, checks });
 * runner.entries(); // [{ check: "feed-connected", subject: "venue_a", status: "ok", … }]
 */
export async function startHealthRunner(o: HealthRunnerOptions): Promise<HealthRunner> {
  const settings = { botName: o.botName, health: o.settings };
  let configDir = o.configDir;
  let intervalMs = o.intervalMs;
  const running = new Map<string, Running>();
  let seq = 0;
  let stopped = false;

  async function start(ic: InstanceConfig): Promise<void> {
    const plugin = ic.plugin as HealthCheckPlugin<unknown>;
    const abort = new AbortController();
    const ctx: HealthContext<unknown> = {
      id: ic.id,
      config: ic.config as never,
      clock: o.clock,
      log: o.log.child(ic.id),
      bus: scopeBus(o.bus, `health:${ic.id}`),
      store: o.store,
      view: o.view,
      settings,
      signal: abort.signal,
      configDir,
    };
    try {
      const handle = await plugin.setup(ctx);
      running.set(ic.id, { config: ic, plugin, handle, abort, busy: false, state: new Map() });
    } catch (error) {
      o.log.error("health check failed to start; it does not run", { check: ic.id, error: describeError(error) });
      o.bus.offOwner(`health:${ic.id}`);
    }
  }

  async function stopOne(r: Running): Promise<void> {
    running.delete(r.config.id);
    r.abort.abort();
    try {
      await r.handle.stop?.();
    } catch (error) {
      o.log.error("health check failed to stop", { check: r.config.id, error: describeError(error) });
    }
    o.bus.offOwner(`health:${r.config.id}`);
  }

  function transition(r: Running, result: HealthResult, prev: HealthEntry | undefined, now: number): void {
    const severity: Severity = result.severity ?? r.plugin.severity;
    const prevStatus: HealthLevel = prev?.status ?? "ok";
    const entry: HealthEntry = { check: r.config.id, subject: result.subject, status: result.status, reason: result.reason, severity, since: prevStatus === result.status && prev !== undefined ? prev.since : now };
    r.state.set(result.subject, entry);
    if (prevStatus === result.status) return;
    o.bus.emit("health.status", { check: r.config.id, subject: result.subject, status: result.status, prev: prevStatus, reason: result.reason, severity, ts: now });
    const failing = prevStatus === "ok";
    const recovered = result.status === "ok";
    if (!failing && !recovered) return; // degraded ⇄ down: the status event says it, no second alert
    const isFeed = o.view.feeds().some((f) => f.id === result.subject);
    const since = prev === undefined ? now : prev.since;
    const alert: Alert = {
      id: `health-${r.config.id}-${result.subject}-${now}-${++seq}`,
      key: `health:${r.config.id}:${result.subject}:${recovered ? "recovered" : "failing"}`,
      source: r.config.id,
      kind: "health",
      severity: recovered ? (prev?.severity ?? severity) : severity,
      title: recovered ? `${result.subject}: ${r.config.id} recovered` : `${result.subject}: ${r.config.id} ${result.status}`,
      text: recovered
        ? `ok again after ${Math.max(0, Math.round((now - since) / 1000))} s${prev?.reason ? ` (was: ${prev.reason})` : ""}`
        : result.reason || `${r.config.id} reports ${result.status}`,
      ts: now,
      ...(isFeed ? { feed: result.subject } : {}),
      data: { check: r.config.id, subject: result.subject, status: result.status, prev: prevStatus },
    };
    o.bus.emit("alert", alert);
  }

  async function runCheck(r: Running): Promise<void> {
    if (r.busy) return; // overrun protection: a slow check skips a tick rather than piling up
    r.busy = true;
    let results: readonly HealthResult[];
    try {
      results = await r.handle.check(o.clock.now());
    } catch (error) {
      o.log.once(`health-throw:${r.config.id}`, "error", "health check threw; its subjects keep their last verdict", { check: r.config.id, error: describeError(error) });
      return;
    } finally {
      r.busy = false;
    }
    if (stopped || running.get(r.config.id) !== r) return;
    const now = o.clock.now();
    const seen = new Set<string>();
    for (const result of results) {
      seen.add(result.subject);
      const prev = r.state.get(result.subject);
      if (prev !== undefined && prev.status === result.status) {
        r.state.set(result.subject, { ...prev, reason: result.reason });
        continue;
      }
      transition(r, result, prev, now);
    }
    for (const subject of [...r.state.keys()]) if (!seen.has(subject)) r.state.delete(subject);
  }

  async function runOnce(): Promise<void> {
    await Promise.all([...running.values()].map((r) => runCheck(r)));
  }

  for (const ic of o.checks) await start(ic);
  let timer: TimerHandle = o.clock.setInterval(() => void runOnce(), intervalMs);

  return {
    entries() {
      const out: HealthEntry[] = [];
      for (const r of running.values()) for (const e of r.state.values()) out.push(e);
      return out.sort((a, b) => levelRank[b.status] - levelRank[a.status] || a.check.localeCompare(b.check) || a.subject.localeCompare(b.subject));
    },
    runOnce,
    async reload(next) {
      settings.health = next.settings;
      configDir = next.configDir;
      const wanted = new Map(next.checks.map((c) => [c.id, c]));
      for (const r of [...running.values()]) {
        const w = wanted.get(r.config.id);
        if (w !== undefined && w.plugin === r.config.plugin && JSON.stringify(w.config) === JSON.stringify(r.config.config)) continue;
        await stopOne(r);
      }
      for (const c of next.checks) if (!running.has(c.id)) await start(c);
      if (next.intervalMs !== intervalMs) {
        intervalMs = next.intervalMs;
        o.clock.clearInterval(timer);
        timer = o.clock.setInterval(() => void runOnce(), intervalMs);
      }
    },
    async stop() {
      stopped = true;
      o.clock.clearInterval(timer);
      for (const r of [...running.values()]) await stopOne(r);
    },
  };
}
