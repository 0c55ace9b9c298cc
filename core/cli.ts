#!/usr/bin/env bun
/**
 * The command line (SURFACE.md): run a config, check it, print the JSON Schema, list plugins.
 * Exit codes: 0 ok, 1 invalid config or failed start, 2 wrong usage.
 */
import { resolve } from "node:path";
import { builtinRegistry } from "../plugins/builtins.ts";
import { buildJsonSchema } from "./config/json-schema.ts";
import { renderConfigReference } from "./config/reference.ts";
import { loadConfig, type LoadedConfig } from "./config/load.ts";
import { ConfigError, describeError, formatProblem } from "./errors.ts";
import { redact } from "./secrets.ts";
import { startBot } from "./start.ts";
import { replayCommand, replayUsage } from "./replay/command.ts";
import { matchCommand, matchUsage } from "./equivalence/match-command.ts";
import { observeSockets } from "./replay/observe.ts";
import { runPlayback, type PlaybackConfig } from "./replay/playback.ts";
import { bunSocketFactory } from "./ws/socket.ts";

const demoConfig = resolve(import.meta.dir, "..", "configs", "demo.toml");

const usage: Record<string, string> = {
  main: `edgewatch — real-time market-data bots

Usage:
  bun run bot                          run configs/demo.toml (offline demo)
  bun run bot <file.toml>              run a config
  bun run bot check <file.toml>        validate a config (plugins' schemas included), print ok + a summary
  bun run bot schema                   print the JSON Schema (draft 2020-12) of the config
  bun run bot plugins                  list built-in plugins by kind
  bun run bot replay <recording.sqlite> [--config f] [--speed N|max] [--from t] [--to t] [--report out.json] [--notify]
                                       replay a recording through the strategies, print what would have fired
  bun run bot docs                     print the config reference (docs/config.md) in markdown
  bun run bot match --config f [--out proposed.toml]
                                       propose equivalent markets across feeds as commented-out registry entries
  bun run bot <command> --help         help for one command

Exit codes: 0 ok, 1 invalid config or failed start, 2 wrong usage.`,
  run: `Usage: bun run bot [<file.toml>]
Runs a config (configs/demo.toml when none is given) until Ctrl-C or SIGTERM, then stops cleanly.
SIGHUP re-reads the config and applies the difference; an invalid file is rejected and the running one stays.`,
  check: `Usage: bun run bot check <file.toml>
Validates the whole config: core tables, each plugin's table against its schema, cross-field rules.
Prints "ok" and a one-line summary (exit 0), or one line per problem as file:LINE:COL: key.path: … (exit 1).`,
  schema: `Usage: bun run bot schema
Prints the JSON Schema of the config, built-in plugins included (committed as schema/edgewatch.schema.json).`,
  docs: `Usage: bun run bot docs
Prints the config reference, generated from the same schemas as the JSON Schema (committed as docs/config.md).`,
  replay: replayUsage,
  match: matchUsage,
  plugins: `Usage: bun run bot plugins
Lists the built-in plugins by kind with a one-line description.`,
};

function out(text: string): void {
  process.stdout.write(redact(text) + "\n");
}
function err(text: string): void {
  process.stderr.write(redact(text) + "\n");
}

function printConfigError(error: unknown): number {
  if (error instanceof ConfigError) {
    for (const p of error.problems) err(formatProblem(p));
    return 1;
  }
  err(`error: ${describeError(error)}`);
  return 1;
}

function summary(config: LoadedConfig): string {
  const by = (kind: string) => config.instances.filter((i) => i.kind === kind).map((i) => i.id);
  const part = (label: string, ids: string[]) => `${ids.length} ${label}${ids.length > 0 ? ` (${ids.join(", ")})` : ""}`;
  return [
    part("feeds", by("feed")),
    part("strategies", by("strategy")),
    part("notifiers", by("notifier")),
    part("sinks", by("sink")),
    `${config.core.alerts.routes.length} routes`,
    `${config.core.schedules.length} schedules`,
    config.core.http === undefined ? "no http" : `http ${config.core.http.listen}`,
  ].join(", ");
}

async function check(file: string): Promise<number> {
  try {
    const config = await loadConfig(file, { registry: builtinRegistry });
    out(`ok ${file}: ${summary(config)}`);
    return 0;
  } catch (error) {
    return printConfigError(error);
  }
}

function listPlugins(): number {
  const headings = { feed: "feeds", strategy: "strategies", notifier: "notifiers", sink: "sinks", health: "health checks" } as const;
  for (const kind of ["feed", "strategy", "notifier", "sink", "health"] as const) {
    const plugins = builtinRegistry.all().filter((p) => p.kind === kind);
    out(`${headings[kind]}:`);
    const width = Math.max(0, ...plugins.map((p) => p.name.length));
    for (const p of plugins) out(`  ${p.name.padEnd(width)}  ${p.description}`);
  }
  return 0;
}

async function run(file: string): Promise<number> {
  let config: LoadedConfig;
  try {
    config = await loadConfig(file, { registry: builtinRegistry });
  } catch (error) {
    return printConfigError(error);
  }
  if (config.core.playback !== undefined) return playback(config, config.core.playback);
  try {
    // an observable socket seam, so a [recorder] stores socket opens/closes and this config file
    const bot = await startBot(config, { transport: { sockets: observeSockets(bunSocketFactory, { configFile: file }) } });
    return await bot.done;
  } catch (error) {
    err(`error: ${describeError(error)}`);
    return 1;
  }
}

/** `[playback]`: the feeds read a recording in real time (the offline demo) until Ctrl-C / SIGTERM. */
async function playback(config: LoadedConfig, table: PlaybackConfig): Promise<number> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    return await runPlayback(config, { playback: table, signal: abort.signal });
  } catch (error) {
    err(`error: ${describeError(error)}`);
    return 1;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

/** Runs the CLI with `argv` (without `bun` and the script); resolves the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  if (first === "--help" || first === "-h") {
    out(usage.main!);
    return 0;
  }
  switch (first) {
    case undefined:
      return run(demoConfig);
    case "check":
      if (wantsHelp) return out(usage.check!), 0;
      if (rest.length !== 1) return err(usage.check!), 2;
      return check(rest[0]!);
    case "schema":
      if (wantsHelp) return out(usage.schema!), 0;
      if (rest.length !== 0) return err(usage.schema!), 2;
      out(JSON.stringify(buildJsonSchema(builtinRegistry), null, 2));
      return 0;
    case "docs":
      if (wantsHelp) return out(usage.docs!), 0;
      if (rest.length !== 0) return err(usage.docs!), 2;
      process.stdout.write(renderConfigReference(buildJsonSchema(builtinRegistry)));
      return 0;
    case "plugins":
      if (wantsHelp) return out(usage.plugins!), 0;
      if (rest.length !== 0) return err(usage.plugins!), 2;
      return listPlugins();
    case "replay":
      if (wantsHelp) return out(usage.replay!), 0;
      return replayCommand(rest, { registry: builtinRegistry, out, err });
    case "match":
      if (wantsHelp) return out(usage.match!), 0;
      return matchCommand(rest, { registry: builtinRegistry, out, err });
    case "run":
      if (wantsHelp) return out(usage.run!), 0;
      if (rest.length > 1) return err(usage.run!), 2;
      return run(rest[0] ?? demoConfig);
    default:
      if (first.startsWith("-")) return err(`unknown option ${first}\n\n${usage.main}`), 2;
      if (!first.endsWith(".toml")) return err(`unknown command "${first}"\n\n${usage.main}`), 2;
      if (wantsHelp) return out(usage.run!), 0;
      if (rest.length !== 0) return err(usage.run!), 2;
      return run(first);
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
