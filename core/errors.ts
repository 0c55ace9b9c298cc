/**
 * Named errors. Each has a stable `code`, an optional `cause` and a `remedy` a person can act on.
 * Every plugin boundary catches and reports them; nothing is swallowed into a default value.
 *
 * @example
 * throw new FeedError("FEED_REJECTED", "venue refused the subscription", { retryable: false, remedy: "check the instrument id" });
 */
export class EdgewatchError extends Error {
  readonly code: string;
  readonly remedy: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; remedy?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.remedy = options.remedy;
  }
}

/** One config problem, positioned in its file. */
export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted key path, `alerts.routes[0].notifiers`. */
  readonly path: string;
  readonly message: string;
}

/** Formats one problem as `file:LINE:COL: key.path: message`. */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`;
}

/** The config is invalid; `problems` lists every problem at once. Nothing starts. */
export class ConfigError extends EdgewatchError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options: { cause?: unknown } = {}) {
    super("CONFIG_INVALID", problems.map(formatProblem).join("\n"), {
      ...options,
      remedy: "fix the lines named above; `bun run bot check <file>` validates without starting",
    });
    this.problems = problems;
  }
}

/** A feed failed. `retryable` feeds reconnect (after `retryAfterMs` when the venue said so); fatal ones fault. */
export class FeedError extends EdgewatchError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; cause?: unknown; remedy?: string },
  ) {
    super(code, message, options);
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A plugin failed to load, set up or stop; `plugin` is its instance id. */
export class PluginError extends EdgewatchError {
  readonly plugin: string;

  constructor(plugin: string, code: string, message: string, options: { cause?: unknown; remedy?: string } = {}) {
    super(code, `${plugin}: ${message}`, options);
    this.plugin = plugin;
  }
}

/**
 * A notifier could not deliver. `retryable` with `retryAfterMs` when the service said when to retry.
 * `ambiguous` when the request may have arrived although no answer came (timeout, connection lost after
 * sending): the router resends such an alert at most once more, so a chat sees it at most twice.
 */
export class NotifierError extends EdgewatchError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly ambiguous: boolean;

  constructor(
    code: string,
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; status?: number; cause?: unknown; remedy?: string; ambiguous?: boolean },
  ) {
    super(code, message, options);
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.ambiguous = options.ambiguous ?? false;
  }
}

/** A short, secret-free description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof EdgewatchError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
