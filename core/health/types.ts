/**
 * The health-check plugin kind: a check is a plain object from `defineHealthCheck` (core/plugin.ts)
 * whose `setup(ctx)` returns `check(now)`, one verdict per subject it watches (a feed id, a notifier id,
 * `bot`). The runner (core/health/runner.ts) calls it on an interval, publishes each transition on
 * `health.status` and raises one `health` alert on failure and one on recovery.
 */
import type { ConfigSchema, HealthSettings, PluginHandle, RuntimeView } from "../plugin.ts";
import type { HealthLevel, Severity } from "../events.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { ScopedBus } from "../bus.ts";
import type { FeedMarketStats } from "../store-types.ts";
import type { MarketStore } from "../market.ts";

/** One verdict of a check about one subject. */
export interface HealthResult {
  /** What it is about: a feed id, a notifier id, `bot`. */
  readonly subject: string;
  readonly status: HealthLevel;
  /** A plain sentence with the figures; may be empty when `ok`. */
  readonly reason: string;
  /** Overrides the check's severity for this verdict. */
  readonly severity?: Severity;
}

/** The market store as a health check reads it: books and quotes plus per-feed figures. */
export interface HealthStore extends MarketStore {
  feedStats(feed: string): FeedMarketStats | undefined;
}

/** What a health check's `setup` receives. */
export interface HealthContext<C> {
  /** Instance id: the table key (`[health.checks.<id>]`) or the built-in's name. */
  readonly id: string;
  readonly config: Readonly<C>;
  readonly clock: Clock;
  readonly log: Logger;
  /** The bus, bound to this check (listen to `alert.failed`, `feed.status`…). */
  readonly bus: ScopedBus;
  readonly store: HealthStore;
  /** Feeds with their counters, alert router figures. */
  readonly view: RuntimeView;
  /** `[health]` thresholds (reloadable: read them at each check, do not copy). */
  readonly settings: { readonly botName: string; readonly health: HealthSettings };
  /** Aborts when the check stops (reload, shutdown). */
  readonly signal: AbortSignal;
  readonly configDir: string;
}

/** What a health check's `setup` returns. */
export interface HealthCheckHandle extends PluginHandle {
  /** Verdicts now; a subject absent from the answer is no longer watched (no alert). */
  check(now: number): readonly HealthResult[] | Promise<readonly HealthResult[]>;
}

/** A health-check plugin (`defineHealthCheck`). */
export interface HealthCheckPlugin<C = unknown> {
  readonly kind: "health";
  /** Built-in name (`plugin = "…"` in `[health.checks.<id>]`). */
  readonly name: string;
  /** One line for `bun run bot plugins`. */
  readonly description: string;
  /** Severity of its alerts: `critical`, `warning` or `info`. */
  readonly severity: Severity;
  /** Strict valibot schema of its table (without `plugin`). */
  readonly config: ConfigSchema<C>;
  /** Health checks expose no schedule actions; present so every plugin kind has the same shape. */
  readonly actions?: readonly string[];
  setup(ctx: HealthContext<C>): HealthCheckHandle | Promise<HealthCheckHandle>;
}

/** The latest verdict of one check about one subject, as `/health` and the dashboard show it. */
export interface HealthEntry {
  readonly check: string;
  readonly subject: string;
  readonly status: HealthLevel;
  readonly reason: string;
  readonly severity: Severity;
  /** Clock ms since which the status holds. */
  readonly since: number;
}
