/**
 * Runs a validated config as a process: starts the runtime, stops it cleanly on SIGINT/SIGTERM within
 * the stop deadline, and reloads on SIGHUP or a `control.reload` event (an invalid new file is rejected
 * with its file:line problems and the running config stays).
 */
import { builtinRegistry } from "../plugins/builtins.ts";
import { loadConfig, type LoadedConfig } from "./config/load.ts";
import { ConfigError, describeError, formatProblem } from "./errors.ts";
import { Runtime, type RuntimeOptions } from "./runtime.ts";

export interface RunningBot {
  readonly runtime: Runtime;
  /** Resolves the process exit code once the bot has stopped. */
  readonly done: Promise<number>;
  /** Stops the bot (as SIGTERM does). */
  stop(): Promise<number>;
  /** Re-reads the config file and applies it; resolves the problems when it was invalid. */
  reload(): Promise<{ ok: true } | { ok: false; problems: string[] }>;
}

/**
 * Starts a bot for a loaded config and wires process signals.
 *
 * @example
 * const bot = await startBot(await loadConfig(file, { registry: builtinRegistry }));
 * process.exit(await bot.done);
 */
export async function startBot(config: LoadedConfig, options: RuntimeOptions & { signals?: boolean } = {}): Promise<RunningBot> {
  const runtime = new Runtime(config, options);
  const log = runtime.log;
  await runtime.start();

  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let stopping: Promise<number> | undefined;

  const stop = (): Promise<number> => {
    stopping ??= (async () => {
      log.info("stopping");
      const report = await runtime.stop();
      detach();
      const code = report.clean ? 0 : 1;
      log.info(report.clean ? "stopped cleanly" : "stopped with plugins still busy", { waiting: report.timedOut.join(",") || "-" });
      resolveDone(code);
      return code;
    })();
    return stopping;
  };

  const reload = async (): Promise<{ ok: true } | { ok: false; problems: string[] }> => {
    try {
      const next = await loadConfig(runtime.config.file, { registry: builtinRegistry });
      await runtime.reload(next);
      return { ok: true };
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
  return { runtime, done, stop, reload };
}
