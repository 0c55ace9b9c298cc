import * as v from "valibot";

/** One `[[alerts.routes]]` entry: which alerts go to which notifiers. */
export const routeSchema = v.strictObject({
  strategies: v.optional(v.array(v.string())),
  min_severity: v.optional(v.picklist(["info", "warning", "critical"]), "info"),
  notifiers: v.array(v.string()),
  cooldown_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 60_000),
});

/** `[alerts]`: routing of alerts to notifiers. */
export const alertsSchema = v.strictObject({
  routes: v.optional(v.array(routeSchema), []),
});

export type AlertsConfig = v.InferOutput<typeof alertsSchema>;
export type RouteConfig = v.InferOutput<typeof routeSchema>;
