/**
 * Plugin identities. A plugin is a plain object `{ name, description, config, setup }` made by one of the
 * `define*` factories below; the factories only carry types. `setup(ctx)` subscribes and returns its
 * handle (`{ stop? }` and the kind's extras); `ctx.signal` aborts when the instance stops.
 */
import type * as v from "valibot";
import type { ScopedBus } from "./bus.ts";
import type { Clock } from "./clock.ts";
import type { Alert, FeedState, Opportunity, PluginState } from "./events.ts";
import type { FeedWriter, WriterOptions } from "./book/writer.ts";
import type { Logger } from "./log.ts";
import type { Fetch } from "./transport.ts";
import type { SocketFactory } from "./ws/socket.ts";
import type { MarketStore } from "./market.ts";
import type { HealthCheckPlugin } from "./health/types.ts";

/** Plugin kinds; `health` checks run under the health runner (core/health), the others under the runtime. */
export type PluginKind = "feed" | "strategy" | "notifier" | "sink" | "health";

/** A valibot schema whose output is the plugin's config type. */
export type ConfigSchema<C> = v.GenericSchema<unknown, C>;

/** Global thresholds from `[health]` (SURFACE.md; defaults from the PerpBot seed). */
export interface HealthSettings {
  readonly heartbeatTimeoutMs: number;
  readonly maxQuoteAgeMs: number;
  readonly maxLatencyMs: number;
  readonly minUpdatesPerS: number;
}

/** Reports this plugin instance's lifecycle state (`/health` reads it). */
export interface PluginHealth {
  set(state: PluginState, reasons?: readonly string[]): void;
  readonly state: PluginState;
  readonly reasons: readonly string[];
}

/** One row of `/api/feeds` (SURFACE.md). */
export interface FeedRow extends FeedStats {
  readonly id: string;
  readonly plugin: string;
  readonly state: FeedState;
  readonly reasons: readonly string[];
}

/** One alert with its delivery state per notifier (`/api/alerts`). */
export interface AlertRecord {
  readonly alert: Alert;
  readonly deliveries: Readonly<Record<string, { state: "pending" | "delivered" | "failed" | "suppressed" | "ambiguous"; attempts: number; error?: string }>>;
}

/** A feed instance as strategies may see it (`RuntimeView.feedInfo`). */
export interface FeedInfo {
  readonly plugin: string;
  readonly takerFeeBps?: number;
  readonly makerFeeBps?: number;
}

/**
 * Read-only views of bot state for chat commands and the HTTP API. They never own state; they change
 * the bot only by publishing a `control.*` event on the bus.
 */
export interface RuntimeView {
  feeds(): FeedRow[];
  opportunities(): Opportunity[];
  recentAlerts(limit: number): AlertRecord[];
  /** Epoch ms until which alerts are muted, or 0. */
  mutedUntil(): number;
  /** The alert router's counters (outbox backlog, outcomes per notifier), when it runs. */
  alertStats?(): AlertStatsView | undefined;
  /**
   * What a feed instance declares about itself: its plugin and, when its config has them, its taker and
   * maker fees in bps (`taker_fee_bps`, `maker_fee_bps`), so a strategy can default its fees from the feed.
   */
  feedInfo?(id: string): FeedInfo | undefined;
}

/** What the `notifier-delivery` health check and `/metrics` read from the alert router. */
export interface AlertStatsView {
  readonly pending: number;
  readonly totals: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly suppressed: Readonly<Record<string, number>>;
}

/** What every plugin's `setup` receives. */
export interface PluginContext<C> {
  /** Instance id: the config table key (`[feeds.venue_a]` → `venue_a`). */
  readonly id: string;
  readonly kind: PluginKind;
  /** The validated, frozen config table. */
  readonly config: Readonly<C>;
  /** The bus, bound to this instance: its listeners go away when it stops. */
  readonly bus: ScopedBus;
  readonly log: Logger;
  readonly health: PluginHealth;
  readonly store: MarketStore;
  readonly clock: Clock;
  /** Aborts when this instance stops (stop, reload, shutdown). */
  readonly signal: AbortSignal;
  /** Folder of the config file, for resolving relative paths. */
  readonly configDir: string;
  readonly settings: { readonly botName: string; readonly health: HealthSettings };
  /** Read-only views of the running bot (chat commands, dashboards). */
  readonly view: RuntimeView;
  /**
   * HTTP for a feed's REST calls (snapshots, instrument metadata). Use it, not the global `fetch`: the
   * recorder stores the answers it gives and replay answers from the recording.
   */
  readonly fetch: Fetch;
  /**
   * The socket factory a feed passes to its connections (`socketFactory` in core/ws settings): real
   * sockets when live, recorded frames in replay.
   */
  readonly sockets: SocketFactory;
  /**
   * The writer through which a feed changes books and quotes (bound to this instance's id; the same
   * object on every call). Only feeds write.
   */
  writer(options?: WriterOptions): FeedWriter;
  /** Exposes a named action for `[[schedules]]` (`run = "<id>.<name>"`). */
  action(name: string, fn: () => void | Promise<void>): void;
}

/** Counters a feed reports for `/api/feeds` and metrics. */
export interface FeedStats {
  connections: number;
  messages: number;
  bytes: number;
  errors: number;
  reconnects: number;
  resyncs: number;
  /** ms since any connection of the feed last received anything, or null before the first message. */
  lastMessageAgeMs: number | null;
}

export interface PluginHandle {
  stop?(): void | Promise<void>;
}

export interface FeedHandle extends PluginHandle {
  stats?(): FeedStats;
}

export interface StrategyHandle extends PluginHandle {}

/**
 * A service's documented send rate for one notifier instance, as sliding windows: at most `count` sends per
 * `perMs` (every window applies). The alert router paces `send` calls by it and digests what waits.
 *
 * @example
 * const limits: NotifierLimits = { windows: [{ count: 1, perMs: 1000 }, { count: 20, perMs: 60_000 }] };
 */
export interface NotifierLimits {
  readonly windows: readonly { readonly count: number; readonly perMs: number }[];
}

export interface NotifierHandle extends PluginHandle {
  /** Optional send rate the router must respect; absent = unpaced. */
  readonly limits?: NotifierLimits;
  /**
   * Delivers one alert. Resolves when the service accepted it; throws `NotifierError` otherwise
   * (`retryable`, `retryAfterMs` when the service said when).
   */
  send(alert: Alert): Promise<void>;
}

export interface SinkHandle extends PluginHandle {
  /** Writes out what is buffered (called before stop and on demand). */
  flush?(): void | Promise<void>;
}

interface PluginBase<K extends PluginKind, C, H> {
  readonly kind: K;
  /** Built-in name (`plugin = "…"` in the config). */
  readonly name: string;
  /** One line for `bun run bot plugins`. */
  readonly description: string;
  /** Strict valibot schema of the plugin's TOML table (without `plugin`). Unknown keys must be errors. */
  readonly config: ConfigSchema<C>;
  /** Names of the actions `setup` registers with `ctx.action` (checked against `[[schedules]]` at load). */
  readonly actions?: readonly string[];
  setup(ctx: PluginContext<C>): H | Promise<H>;
}

export type FeedPlugin<C = unknown> = PluginBase<"feed", C, FeedHandle>;
export type StrategyPlugin<C = unknown> = PluginBase<"strategy", C, StrategyHandle>;
export type NotifierPlugin<C = unknown> = PluginBase<"notifier", C, NotifierHandle>;
export type SinkPlugin<C = unknown> = PluginBase<"sink", C, SinkHandle> & {
  /** The core table that enables this sink (`recorder` for `[recorder]`), if any. */
  readonly table?: string;
};
export type AnyPlugin = FeedPlugin<any> | StrategyPlugin<any> | NotifierPlugin<any> | SinkPlugin<any> | HealthCheckPlugin<any>;

type Def<P> = Omit<P, "kind">;

/**
 * Defines a feed plugin (venue market data).
 *
 * @example
 * export const myFeed = defineFeed({
 *   name: "my-venue",
 *   description: "My venue's public market data",
 *   config: v.strictObject({ ws_url: v.string() }),
 *   setup(ctx) { const conn = connect(ctx.config.ws_url); return { stop: () => conn.close() }; },
 * });
 */
export function defineFeed<C>(def: Def<FeedPlugin<C>>): FeedPlugin<C> {
  return { kind: "feed", ...def };
}

/**
 * Defines a strategy plugin: reads books and quotes on `frame.end`, emits opportunities and alerts.
 *
 * @example
 * export const spread = defineStrategy({
 *   name: "my-spread",
 *   description: "Alerts when a spread is wide",
 *   config: v.strictObject({ max_bps: v.number() }),
 *   setup(ctx) { ctx.bus.on("frame.end", (f) => { … }); return {}; },
 * });
 */
export function defineStrategy<C>(def: Def<StrategyPlugin<C>>): StrategyPlugin<C> {
  return { kind: "strategy", ...def };
}

/**
 * Defines a notifier: `send(alert)` delivers one alert or throws `NotifierError`.
 *
 * @example
 * export const stdout = defineNotifier({
 *   name: "stdout", description: "prints alerts", config: v.strictObject({}),
 *   setup() { return { send: async (a) => console.log(a.title) }; },
 * });
 */
export function defineNotifier<C>(def: Def<NotifierPlugin<C>>): NotifierPlugin<C> {
  return { kind: "notifier", ...def };
}

/**
 * Defines a sink: a side tap on the bus (recorder, redis bridge).
 *
 * @example
 * export const counter = defineSink({
 *   name: "counter", description: "counts quotes", config: v.strictObject({}),
 *   setup(ctx) { let n = 0; ctx.bus.on("quote", () => n++); return {}; },
 * });
 */
export function defineSink<C>(def: Def<SinkPlugin<C>>): SinkPlugin<C> {
  return { kind: "sink", ...def };
}

/**
 * Defines a health check: `check(now)` returns one verdict (ok / degraded / down with a reason) per
 * subject it watches; the health runner publishes transitions on `health.status` and raises one alert on
 * failure and one on recovery.
 *
 * @example
 * export const diskFree = defineHealthCheck({
 *   name: "disk-free", description: "data folder has room", severity: "warning",
 *   config: v.strictObject({ min_free_mb: v.optional(v.number(), 500) }),
 *   setup(ctx) { return { check: () => [{ subject: "bot", status: freeMb() < ctx.config.min_free_mb ? "degraded" : "ok", reason: "disk almost full" }] }; },
 * });
 */
export function defineHealthCheck<C>(def: Omit<HealthCheckPlugin<C>, "kind">): HealthCheckPlugin<C> {
  return { kind: "health", ...def };
}

/** True when `value` looks like a plugin made by a `define*` factory. */
export function isPlugin(value: unknown): value is AnyPlugin {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    (p.kind === "feed" || p.kind === "strategy" || p.kind === "notifier" || p.kind === "sink" || p.kind === "health") &&
    typeof p.name === "string" &&
    typeof p.setup === "function" &&
    typeof p.config === "object" &&
    p.config !== null
  );
}
