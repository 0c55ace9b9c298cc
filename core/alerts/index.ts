/**
 * Alerts: the router with its durable outbox, and the helpers notifiers share (facts for formatting,
 * digests, rate windows, `/mute` durations).
 */
export { alertsProblems, alertsSchema, quietHoursSchema, routeSchema } from "./config.ts";
export type { AlertsConfig, QuietHoursConfig, RouteConfig } from "./config.ts";
export { createAlertRouter } from "./router.ts";
export type { AlertRouter, AlertRouterOptions, AlertRouterStats } from "./router.ts";
export type { Outcome } from "./delivery.ts";
export { digestItems, makeDigest } from "./digest.ts";
export { alertFacts, digestLine, formatAge, formatBps, formatPrice, formatTime, formatUsd } from "./facts.ts";
export type { AlertFacts } from "./facts.ts";
export { sleepOn, WindowLimiter } from "./limiter.ts";
export type { RateWindow } from "./limiter.ts";
export { inQuietHours, parseDuration, routeMatches, severityRank } from "./match.ts";
