/**
 * `bun run bot replay <recording.sqlite> [--config f] [--speed N|max] [--from t] [--to t]
 * [--report out.json] [--notify]`: argument parsing, progress on stderr, the summary on stdout.
 */
import { writeFileSync } from "node:fs";
import { createLogger } from "../log.ts";
import type { PluginRegistry } from "../registry.ts";
import { replayConfig } from "./prepare.ts";
import { openRecording } from "./recording.ts";
import { formatReport, reportJson } from "./report.ts";
import { runReplay, type ReplayProgress } from "./session.ts";

/** Usage text of the `replay` command. */
export const replayUsage = `Usage: bun run bot replay <recording.sqlite> [options]
Replays a recording through the same feeds, books, strategies and alert router, on a virtual clock:
the same recording gives the same report at any speed. Prints what would have fired.

Options:
  --config <file.toml>   config to replay with (default: the one stored in the recording)
  --speed <N|max>        N × real time, or max: as fast as possible (default max)
  --from <time>          report from this time on (ISO 8601, epoch ms, or +90s / +5m / +1h from the start)
  --to <time>            stop at this time (same forms)
  --report <out.json>    write the whole report as JSON
  --notify               send alerts through the config's real notifiers (default: collect them)
  --quiet                no progress lines`;

/** Parsed `replay` arguments. */
export interface ReplayArgs {
  readonly file: string;
  readonly config?: string;
  readonly speed: number | "max";
  readonly from?: string;
  readonly to?: string;
  readonly report?: string;
  readonly notify: boolean;
  readonly quiet: boolean;
}

/** Parses `replay` arguments; a string is the usage problem. */
export function parseReplayArgs(args: readonly string[]): ReplayArgs | string {
  let file: string | undefined;
  const opts: { config?: string; speed: number | "max"; from?: string; to?: string; report?: string; notify: boolean; quiet: boolean } = {
    speed: "max",
    notify: false,
    quiet: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => args[++i];
    switch (a) {
      case "--config":
      case "--from":
      case "--to":
      case "--report": {
        const v = value();
        if (v === undefined || v.startsWith("--")) return `${a} needs a value`;
        opts[a.slice(2) as "config" | "from" | "to" | "report"] = v;
        break;
      }
      case "--speed": {
        const v = value();
        if (v === "max") opts.speed = "max";
        else if (v !== undefined && Number.isFinite(Number(v)) && Number(v) > 0) opts.speed = Number(v);
        else return `--speed expects a positive number or max, found ${v ?? "nothing"}`;
        break;
      }
      case "--notify":
        opts.notify = true;
        break;
      case "--quiet":
        opts.quiet = true;
        break;
      default:
        if (a.startsWith("-")) return `unknown option ${a}`;
        if (file !== undefined) return `one recording at a time, found ${file} and ${a}`;
        file = a;
    }
  }
  if (file === undefined) return "missing the recording file";
  return { file, ...opts };
}

/** Reads `--from`/`--to`: ISO 8601, epoch ms, or `+<n>s|m|h` after `start`. */
export function parseTime(text: string, start: number): number | undefined {
  const rel = /^\+(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (rel !== null) return start + Number(rel[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[rel[2] as "ms" | "s" | "m" | "h"];
  if (/^\d{10,}$/.test(text)) return Number(text);
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** Runs the command; resolves the exit code (0 done, 1 failed, 2 wrong usage). */
export async function replayCommand(
  args: readonly string[],
  io: { registry: PluginRegistry; out: (s: string) => void; err: (s: string) => void; progress?: (s: string) => void },
): Promise<number> {
  const parsed = parseReplayArgs(args);
  if (typeof parsed === "string") return io.err(`${parsed}\n\n${replayUsage}`), 2;
  let recording;
  try {
    recording = openRecording(parsed.file);
  } catch (error) {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const first = recording.firstTs;
  const from = parsed.from === undefined ? undefined : parseTime(parsed.from, first);
  const to = parsed.to === undefined ? undefined : parseTime(parsed.to, first);
  if ((parsed.from !== undefined && from === undefined) || (parsed.to !== undefined && to === undefined)) {
    recording.close();
    return io.err(`--from/--to expect ISO 8601, epoch ms, or +90s / +5m / +1h\n\n${replayUsage}`), 2;
  }
  let config;
  try {
    config = await replayConfig(recording, { configFile: parsed.config, registry: io.registry, notify: parsed.notify });
  } finally {
    recording.close();
  }
  const missing = config.instances.filter((i) => i.kind === "feed" && !recording.feedIds.includes(i.id)).map((i) => i.id);
  if (missing.length > 0) io.err(`note: feeds without recorded frames (they will stay silent or make their own data): ${missing.join(", ")}`);
  if (!config.instances.some((i) => i.kind === "strategy")) {
    io.err(
      `note: ${parsed.config === undefined ? "the config stored in the recording" : parsed.config} has no [strategies]: nothing can fire; pass --config with the strategies to try (a collector's recording stores its feeds only)`,
    );
  }
  const progress = io.progress ?? ((s: string) => process.stderr.write(s));
  const onProgress = parsed.quiet
    ? undefined
    : (p: ReplayProgress) =>
        progress(`replay ${((100 * p.rows) / Math.max(1, p.total)).toFixed(0).padStart(3)}%  ${p.rows}/${p.total} rows  ${new Date(p.at).toISOString()}  ${p.opportunities} opportunities  ${p.alerts} alerts\n`);
  const started = performance.now();
  const report = await runReplay({
    file: parsed.file,
    config,
    speed: parsed.speed,
    from,
    to,
    onProgress,
    log: createLogger({ level: config.core.bot.log_level === "debug" ? "debug" : "warn", format: config.core.bot.log_format }),
  });
  const seconds = (performance.now() - started) / 1000;
  io.out(formatReport(report));
  io.out(`\n${report.recording.rows} rows in ${seconds.toFixed(2)} s (${Math.round(report.recording.rows / Math.max(seconds, 1e-6))} rows/s)`);
  if (parsed.report !== undefined) {
    writeFileSync(parsed.report, reportJson(report));
    io.out(`report written to ${parsed.report}`);
  }
  return 0;
}
