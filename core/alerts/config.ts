/**
 * The `[alerts]` table: routes, dedupe, cooldown, digests, quiet hours and the durable outbox.
 * Every key is snake_case with its unit; every default is written here and in docs/alerts.md.
 */
import * as v from "valibot";

const severities = ["info", "warning", "critical"] as const;
/** Kinds a route can select (`digest` is made by the router itself). */
const kinds = ["opportunity", "health", "lifecycle", "info"] as const;

const nonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));
const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));

/** True when `tz` is an IANA time zone the runtime knows (`UTC`, `Europe/Berlin`). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const clockTime = v.pipe(
  v.string(),
  v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time "HH:MM", like "23:00"'),
);

/** `quiet_hours = { start = "23:00", end = "07:00", tz = "UTC", min_severity = "critical" }`. */
export const quietHoursSchema = v.strictObject({
  /** Start of the quiet window, local to `tz`. */
  start: v.pipe(clockTime, v.description("Start of the quiet window, local to `tz`.")),
  /** End of the quiet window (exclusive); may be earlier than `start` (the window crosses midnight). */
  end: v.pipe(clockTime, v.description("End of the quiet window (exclusive); may be earlier than `start` (the window crosses midnight).")),
  /** IANA time zone; default "UTC". */
  tz: v.optional(v.pipe(v.pipe(v.string(), v.check(isTimeZone, "expected an IANA time zone such as \"UTC\" or \"Europe/Berlin\"")), v.description("IANA time zone; default \"UTC\".")), "UTC"),
  /** Alerts at or above this severity still go out during quiet hours; default "critical". */
  min_severity: v.optional(v.pipe(v.picklist(severities), v.description("Alerts at or above this severity still go out during quiet hours; default \"critical\".")), "critical"),
});

/** One `[[alerts.routes]]` entry: which alerts go to which notifiers. Omitted filters match everything. */
export const routeSchema = v.strictObject({
  /** Alert sources (strategy ids, health check ids); omitted = all. */
  strategies: v.optional(v.pipe(v.array(v.string()), v.description("Alert sources (strategy ids, health check ids); omitted = all."))),
  /** Alert kinds: opportunity | health | lifecycle | info; omitted = all. */
  kinds: v.optional(v.pipe(v.array(v.picklist(kinds)), v.description("Alert kinds: opportunity | health | lifecycle | info; omitted = all."))),
  /** Instruments (venue ids or normalized keys); omitted = all, including alerts without an instrument. */
  instruments: v.optional(v.pipe(v.array(v.string()), v.description("Instruments (venue ids or normalized keys); omitted = all, including alerts without an instrument."))),
  /** Lowest severity routed; default "info". */
  min_severity: v.optional(v.pipe(v.picklist(severities), v.description("Lowest severity routed; default \"info\".")), "info"),
  /** Notifier instance ids (`[notifiers.<id>]`). */
  notifiers: v.pipe(v.pipe(v.array(v.string()), v.minLength(1, "expected at least one notifier id")), v.description("Notifier instance ids (`[notifiers.<id>]`).")),
  /** An alert key routed here is not routed again for this long, unless its severity rises; default 60000. */
  cooldown_ms: v.optional(v.pipe(nonNegativeInt, v.description("An alert key routed here is not routed again for this long, unless its severity rises; default 60000.")), 60_000),
});

/** `[alerts]`: routing of alerts to notifiers and the outbox that makes delivery survive crashes. */
export const alertsSchema = v.strictObject({
  routes: v.optional(v.pipe(v.array(routeSchema), v.description("Which alerts go to which notifiers; an alert may match several routes.")), []),
  /** SQLite file of the outbox; a relative path resolves against `bot.data_dir`; default `<bot.data_dir>/alerts-outbox.sqlite`. */
  outbox_path: v.optional(v.pipe(v.pipe(v.string(), v.minLength(1)), v.description("SQLite file of the outbox; a relative path resolves against `bot.data_dir`; default `<bot.data_dir>/alerts-outbox.sqlite`."))),
  /** The same key with the same title and text inside this window is a duplicate; default 300000. */
  dedupe_window_ms: v.optional(v.pipe(nonNegativeInt, v.description("The same key with the same title and text inside this window is a duplicate; default 300000.")), 300_000),
  /** Optional cap on an alert's `dataAgeMs` (its oldest leg's time since it last changed): older is refused (`data_age`); 0 = off (default). */
  max_data_age_ms: v.optional(
    v.pipe(
      nonNegativeInt,
      v.description(
        "Optional cap on an alert's `dataAgeMs` (its oldest leg's time since it last changed; a quiet book is valid, so most bots leave this off): older is refused (`data_age`); 0 = off. Default 0.",
      ),
    ),
    0,
  ),
  /** More than this many alerts waiting for one notifier go out as one digest message; default 3. */
  digest_after: v.optional(v.pipe(positiveInt, v.description("More than this many alerts waiting for one notifier go out as one digest message; default 3.")), 3),
  /** Most alerts summarized in one digest message; default 30. */
  digest_max_items: v.optional(v.pipe(v.pipe(positiveInt, v.minValue(2)), v.description("Most alerts summarized in one digest message; default 30.")), 30),
  /** First retry delay after a failed send (doubles each time); default 1000. */
  retry_initial_ms: v.optional(v.pipe(positiveInt, v.description("First retry delay after a failed send (doubles each time); default 1000.")), 1_000),
  /** Longest retry delay; default 60000. */
  retry_max_ms: v.optional(v.pipe(positiveInt, v.description("Longest retry delay; default 60000.")), 60_000),
  /** Outbox rows older than this are pruned (pending ones too, counted as `expired`); default 604800000 (7 days). */
  retention_ms: v.optional(v.pipe(positiveInt, v.description("Outbox rows older than this are pruned (pending ones too, counted as `expired`); default 604800000 (7 days).")), 7 * 24 * 3_600_000),
  /** How often old rows are pruned; default 3600000. */
  prune_interval_ms: v.optional(v.pipe(positiveInt, v.description("How often old rows are pruned; default 3600000.")), 3_600_000),
  /** Quiet hours: only alerts at or above `min_severity` go out in the window. Absent = none. */
  quiet_hours: v.optional(v.pipe(quietHoursSchema, v.description("Quiet hours: only alerts at or above `min_severity` go out in the window. Absent = none."))),
});

/** The validated `[alerts]` table (defaults filled). */
export type AlertsConfig = v.InferOutput<typeof alertsSchema>;
/** One validated `[[alerts.routes]]` entry. */
export type RouteConfig = v.InferOutput<typeof routeSchema>;
/** The validated `quiet_hours` table. */
export type QuietHoursConfig = v.InferOutput<typeof quietHoursSchema>;

/**
 * Cross-field check of `[alerts]` against the configured notifier ids: one plain sentence per problem,
 * with its key path. Empty when all is well.
 *
 * @example
 * alertsProblems(cfg, ["tg", "console"]) // [{ path: "alerts.routes[0].notifiers[1]", message: "…" }]
 */
export function alertsProblems(
  config: AlertsConfig,
  notifierIds: readonly string[],
): { path: string; message: string }[] {
  const known = new Set(notifierIds);
  const problems: { path: string; message: string }[] = [];
  config.routes.forEach((route, i) => {
    route.notifiers.forEach((id, j) => {
      if (!known.has(id)) {
        const list = notifierIds.length === 0 ? "none is configured" : `configured: ${notifierIds.join(", ")}`;
        problems.push({ path: `alerts.routes[${i}].notifiers[${j}]`, message: `no notifier "${id}" (${list})` });
      }
    });
  });
  if (config.retry_max_ms < config.retry_initial_ms) {
    problems.push({ path: "alerts.retry_max_ms", message: "retry_max_ms must be at least retry_initial_ms" });
  }
  if (config.quiet_hours !== undefined && config.quiet_hours.start === config.quiet_hours.end) {
    problems.push({ path: "alerts.quiet_hours", message: "start and end are equal: the window would be empty" });
  }
  return problems;
}
