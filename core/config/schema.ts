/**
 * Valibot schemas of the core config tables (SURFACE.md). Plugin tables (`[feeds.<id>]`,
 * `[strategies.<id>]`, `[notifiers.<id>]`, `[recorder]`, `[redis]`) are validated by their plugin's own
 * schema once the plugin is resolved. Every field names its unit and default in its description, and the
 * JSON Schema is generated from these same schemas, so the docs cannot drift.
 */
import * as v from "valibot";
import { alertsSchema } from "../alerts/config.ts";
import { playbackSchema } from "../replay/config.ts";

/** A whole number of milliseconds with a description naming the default. */
export function ms(description: string, fallback: number, min = 0) {
  return v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.description(description)), fallback);
}

export const botSchema = v.strictObject({
  name: v.optional(v.pipe(v.string(), v.minLength(1), v.description("Bot name shown in logs and alerts. Default \"edgewatch\".")), "edgewatch"),
  log_level: v.optional(v.pipe(v.picklist(["debug", "info", "warn", "error"]), v.description("Least level logged. Default \"info\".")), "info"),
  log_format: v.optional(
    v.pipe(v.picklist(["pretty", "json"]), v.description("`pretty` for a terminal, `json` for one JSON object per line. Default \"pretty\".")),
    "pretty",
  ),
  data_dir: v.optional(
    v.pipe(v.string(), v.minLength(1), v.description("Folder for the alert outbox and other state, relative to the config file. Default \"data\".")),
    "data",
  ),
  stop_deadline_ms: ms("How long a clean stop may take before the process exits anyway, ms. Default 10000.", 10_000, 100),
});

const httpTable = v.strictObject({
  listen: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[^\s:]+:\d{1,5}$/, "host:port"),
      v.description("Address to bind, host:port. 127.0.0.1 by default; port 0 picks a free port and logs it. Default \"127.0.0.1:8787\"."),
    ),
    "127.0.0.1:8787",
  ),
  token: v.optional(
    v.pipe(v.string(), v.minLength(16), v.description("Bearer token for /api/control/* (and for every route when bound off loopback). Use \"${EDGEWATCH_TOKEN}\".")),
  ),
  stream_throttle_ms: ms("Default coalescing period of /api/stream: each instrument's quote is sent at most once per period, ms. Default 250.", 250, 50),
});

/** True for a `listen` host on loopback (127.0.0.0/8, ::1, localhost). */
function loopbackListen(listen: string): boolean {
  const host = listen.replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

export const httpSchema = v.pipe(
  httpTable,
  v.check((h) => h.token !== undefined || loopbackListen(h.listen), "listen off loopback needs a token: set token = \"${EDGEWATCH_TOKEN}\" or listen on 127.0.0.1"),
);

/** A `[health.checks.<id>]` table: `plugin` (built-in name or path), `enabled`; the rest is the check's. */
export const healthCheckTableSchema = v.looseObject({
  plugin: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.description("Built-in health check name, or a path \"./my-checks/x.ts\" relative to the config file. Default: the table key."),
    ),
  ),
  enabled: v.optional(v.pipe(v.boolean(), v.description("false turns this check off (a built-in's default instance too). Default true."))),
});

export const healthSchema = v.strictObject({
  heartbeat_timeout_ms: ms("A feed with no message or heartbeat reply for this long is unhealthy, ms. Default 30000.", 30_000, 1),
  max_quote_age_ms: ms("A quote unchanged for this long raises a notice (not a suppression), ms. Default 10000.", 10_000, 1),
  max_latency_ms: ms("Data that arrives later than this by the venue's clock (tsRecv − tsEvent) is late, ms. Default 200.", 200, 1),
  min_updates_per_s: v.optional(
    v.pipe(v.number(), v.minValue(0), v.description("A feed updating less often than this is degraded, updates per second. Default 0.1.")),
    0.1,
  ),
  check_interval_ms: ms("How often health checks run, ms. Default 1000.", 1000, 10),
  default_checks: v.optional(
    v.pipe(v.boolean(), v.description("Run every built-in health check with its defaults (a [health.checks.<name>] table configures or disables one). Default true.")),
    true,
  ),
  checks: v.optional(
    v.pipe(
      v.record(v.string(), healthCheckTableSchema),
      v.description("Health checks: [health.checks.<id>] with `plugin` = a built-in name or \"./path.ts\"; the id names the check in alerts and /health."),
    ),
    {},
  ),
});

/** A plugin instance table: `plugin` names the plugin (built-in name or `./path.ts`); the rest is the plugin's. */
export const pluginTableSchema = v.looseObject({
  plugin: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.description("Built-in plugin name, or a path \"./my-plugins/x.ts\" relative to the config file. Default: the table key."),
    ),
  ),
});

export const scheduleSchema = v.strictObject({
  cron: v.pipe(v.string(), v.minLength(1), v.description("croner syntax, seconds optional: \"0 */5 * * * *\".")),
  run: v.pipe(v.string(), v.regex(/^[^.\s]+\.[^.\s]+$/, "\"<plugin id>.<action>\""), v.description("A named action a plugin exposes: \"<plugin id>.<action>\".")),
  protect: v.optional(v.pipe(v.boolean(), v.description("Skip a run while the previous one is still going. Default true.")), true),
  timezone: v.optional(v.pipe(v.string(), v.description("IANA time zone for the cron fields. Default: local time."))),
});

/** The whole file's shape before plugin tables are checked. */
export const coreSchema = v.strictObject({
  bot: v.optional(botSchema, {}),
  http: v.optional(httpSchema),
  health: v.optional(healthSchema, {}),
  feeds: v.optional(v.record(v.string(), pluginTableSchema), {}),
  strategies: v.optional(v.record(v.string(), pluginTableSchema), {}),
  notifiers: v.optional(v.record(v.string(), pluginTableSchema), {}),
  alerts: v.optional(alertsSchema, {}),
  recorder: v.optional(v.looseObject({})),
  redis: v.optional(v.looseObject({})),
  playback: v.optional(playbackSchema),
  schedules: v.optional(v.array(scheduleSchema), []),
});

export type CoreConfig = v.InferOutput<typeof coreSchema>;
export type BotConfig = v.InferOutput<typeof botSchema>;
export type HttpConfig = v.InferOutput<typeof httpSchema>;
export type HealthConfig = v.InferOutput<typeof healthSchema>;
export type ScheduleConfig = v.InferOutput<typeof scheduleSchema>;

/** Tables that hold plugin instances, and the kind each holds. */
export const instanceTables = { feeds: "feed", strategies: "strategy", notifiers: "notifier" } as const;

/** Core tables that enable a sink plugin of the same `table` name. */
export const sinkTables = ["recorder", "redis"] as const;
