import { describeError } from "./errors.ts";
import { redact } from "./secrets.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "pretty" | "json";
export type LogFields = Record<string, unknown>;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A leveled logger. `child(name)` scopes it to a plugin id; `once(key, …)` logs a repeated
 * situation (an unknown message shape, a skipped market) a single time.
 *
 * @example
 * ctx.log.warn("unknown message", { shape: "event:foo" });
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Logs at `level` only the first time `key` is seen by this logger's root. */
  once(key: string, level: LogLevel, msg: string, fields?: LogFields): void;
  child(name: string): Logger;
  enabled(level: LogLevel): boolean;
}

export interface LogSink {
  write(line: string, level: LogLevel): void;
}

/** Writes warn and error to stderr, the rest to stdout. */
export const stdSink: LogSink = {
  write(line, level) {
    if (level === "warn" || level === "error") process.stderr.write(line + "\n");
    else process.stdout.write(line + "\n");
  },
};

/** Collects lines (tests). */
export class MemorySink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}

interface Root {
  level: LogLevel;
  format: LogFormat;
  sink: LogSink;
  seen: Set<string>;
}

const colour: Record<LogLevel, string> = { debug: "\x1b[90m", info: "\x1b[36m", warn: "\x1b[33m", error: "\x1b[31m" };

function fieldValue(v: unknown): unknown {
  if (v instanceof Error) return describeError(v);
  if (typeof v === "bigint") return v.toString();
  return v;
}

function formatPretty(level: LogLevel, name: string, msg: string, fields: LogFields | undefined, tty: boolean): string {
  const time = new Date().toISOString().slice(11, 23);
  const lvl = level.toUpperCase().padEnd(5);
  let line = tty ? `${time} ${colour[level]}${lvl}\x1b[0m` : `${time} ${lvl}`;
  if (name !== "") line += ` [${name}]`;
  line += ` ${msg}`;
  if (fields !== undefined) {
    for (const k in fields) {
      const v = fieldValue(fields[k]);
      line += ` ${k}=${typeof v === "string" ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`;
    }
  }
  return line;
}

function formatJson(level: LogLevel, name: string, msg: string, fields: LogFields | undefined): string {
  const o: Record<string, unknown> = { ts: new Date().toISOString(), level, name, msg };
  if (fields !== undefined) for (const k in fields) if (!(k in o)) o[k] = fieldValue(fields[k]);
  return JSON.stringify(o, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

class RootedLogger implements Logger {
  constructor(
    private readonly root: Root,
    private readonly name: string,
  ) {}

  enabled(level: LogLevel): boolean {
    return rank[level] >= rank[this.root.level];
  }
  debug(msg: string, fields?: LogFields): void {
    this.#log("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.#log("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.#log("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.#log("error", msg, fields);
  }
  once(key: string, level: LogLevel, msg: string, fields?: LogFields): void {
    const k = `${this.name}\u0000${key}`;
    if (this.root.seen.has(k)) return;
    if (this.root.seen.size > 10_000) this.root.seen.clear(); // bounded: a flood of shapes is itself logged again
    this.root.seen.add(k);
    this.#log(level, msg, fields);
  }
  child(name: string): Logger {
    return new RootedLogger(this.root, this.name === "" ? name : `${this.name}.${name}`);
  }

  #log(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (!this.enabled(level)) return;
    const tty = this.root.sink === stdSink && process.stdout.isTTY === true;
    const line =
      this.root.format === "json"
        ? formatJson(level, this.name, msg, fields)
        : formatPretty(level, this.name, msg, fields, tty);
    this.root.sink.write(redact(line), level);
  }
}

/**
 * Creates a root logger. Every line passes through secret redaction.
 *
 * @example
 * const log = createLogger({ level: "info", format: "json" });
 * log.child("venue_a").info("connected", { url });
 */
export function createLogger(options: { level?: LogLevel; format?: LogFormat; sink?: LogSink } = {}): Logger {
  return new RootedLogger(
    { level: options.level ?? "info", format: options.format ?? "pretty", sink: options.sink ?? stdSink, seen: new Set() },
    "",
  );
}

/** A logger that writes nothing (benchmarks). */
export const silentLogger: Logger = createLogger({ level: "error", sink: { write() {} } });
