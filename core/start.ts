/**
 * Runs a validated config as a process: starts the runtime, stops it cleanly on SIGINT/SIGTERM within
 * the stop deadline, and reloads on SIGHUP or a `control.reload` event (an invalid new file is rejected
 * with its file:line problems and the running config stays).
 */
import { builtinRegistry } from "../plugins/builtins.ts";
import { loadConfig, type LoadedConfig } from "./config/load.ts";
import { ConfigError, describeError, formatProblem } from "./errors.ts";
import { Runtime, type RuntimeOptions } from "./runtime.ts";
import { startHealthRunner, type HealthRunner } from "./health/runner.ts";
import { botSources } from "./http/bot-sources.ts";
import { startHttpServer, type HttpServer } from "./http/server.ts";
import type { ReloadResult } from "./http/sources.ts";
import { Histogram, watchSignalLatency } from "./metrics.ts";

export interface RunningBot {
  readonly runtime: Runtime;
  /** Resolves the process exit code once the bot has stopped. */
  readonly done: Promise<number>;
  /** Stops the bot (as SIGTERM does). */
  stop(): Promise<number>;
  /** Re-reads the config file and applies it; resolves the problems when it was invalid. */
  reload(): Promise<ReloadResult>;
  /** The health checks (core/health). */
  readonly health: HealthRunner;
  /** The HTTP server, when `[http]` is set (it moves when a reload changes `[http]`). */
  readonly http: HttpServer | undefined;
}

/** Options of `startBot`. */
export interface StartOptions extends RuntimeOptions {
  /** Wire SIGINT/SIGTERM/SIGHUP. Default true. */
  readonly signals?: boolean;
}

/**
 * Starts a bot for a loaded config and wires process signals.
 *
 * @example
 * const bot = await startBot(await loadConfig(file, { registry: builtinRegistry }));
 * process.exit(await bot.done);
 */
export async function startBot(config: LoadedConfig, options: StartOptions = {}): Promise<RunningBot> {
  const runtime = new Runtime(config, options);
  const log = runtime.log;
  await runtime.start();
  const health = await startHealthRunner({
    bus: runtime.bus,
    clock: runtime.clock,
    log: log.child("health"),
    store: runtime.store,
    view: runtime.view,
    botName: config.core.bot.name,
    configDir: config.dir,
    settings: healthSettingsOf(config),
    intervalMs: config.core.health.check_interval_ms,
    checks: config.instances.filter((i) => i.kind === "health"),
  });
  const frameToSignal = new Histogram();
  const offLatency = watchSignalLatency(runtime.bus, runtime.store, runtime.clock, frameToSignal);
  let http: HttpServer | undefined;
  const sources = botSources(runtime, health, () => reload(), frameToSignal);
  try {
    if (config.core.http !== undefined) http = startHttpServer(config.core.http, sources);
  } catch (error) {
    offLatency();
    await health.stop();
    await runtime.stop();
    throw error;
  }

  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let stopping: Promise<number> | undefined;

  const stop = (): Promise<number> => {
    stopping ??= (async () => {
      log.info("stopping");
      await http?.stop();
      http = undefined;
      offLatency();
      await health.stop();
      const report = await runtime.stop();
      detach();
      const code = report.clean ? 0 : 1;
      log.info(report.clean ? "stopped cleanly" : "stopped with plugins still busy", { waiting: report.timedOut.join(",") || "-" });
      resolveDone(code);
      return code;
    })();
    return stopping;
  };

  let reloading: Promise<ReloadResult> = Promise.resolve({ ok: true, started: [], stopped: [], kept: [] });
  // one reload at a time: SIGHUP and an HTTP request at once apply one after the other
  const reload = (): Promise<ReloadResult> => (reloading = reloading.then(reloadNow, reloadNow));
  const reloadNow = async (): Promise<ReloadResult> => {
    try {
      const next = await loadConfig(runtime.config.file, { registry: builtinRegistry });
      const prevHttp = JSON.stringify(runtime.config.core.http ?? null);
      const diff = await runtime.reload(next);
      await health.reload({ checks: next.instances.filter((i) => i.kind === "health"), settings: healthSettingsOf(next), intervalMs: next.core.health.check_interval_ms, configDir: next.dir });
      if (JSON.stringify(next.core.http ?? null) !== prevHttp) {
        await http?.stop();
        http = next.core.http === undefined ? undefined : startHttpServer(next.core.http, sources);
      }
      return { ok: true, ...diff };
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems.map(formatProblem) : [describeError(error)];
      log.error("reload rejected; the running config stays", { problems: problems.join(" | ") });
      return { ok: false, problems };
    }
  };

  const onSignal = (signal: string) => () => {
    log.info("signal received", { signal });
    void stop();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  const onHup = () => void reload();
  const offReload = runtime.bus.on("control.reload", () => void reload(), "runtime");
  const useSignals = options.signals !== false;
  if (useSignals) {
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    process.on("SIGHUP", onHup);
  }
  function detach(): void {
    offReload();
    if (useSignals) {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      process.off("SIGHUP", onHup);
    }
  }
  return {
    runtime,
    done,
    stop,
    reload,
    health,
    get http() {
      return http;
    },
  };
}

function healthSettingsOf(config: LoadedConfig) {
  const h = config.core.health;
  return { heartbeatTimeoutMs: h.heartbeat_timeout_ms, maxQuoteAgeMs: h.max_quote_age_ms, maxLatencyMs: h.max_latency_ms, minUpdatesPerS: h.min_updates_per_s };
}
