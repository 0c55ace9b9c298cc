/** Pure rules of alert routing: route matching, severity order, quiet hours, `/mute` durations. */
import type { Alert, Severity } from "../events.ts";
import type { QuietHoursConfig, RouteConfig } from "./config.ts";

const rank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Orders severities: info < warning < critical. */
export function severityRank(s: Severity): number {
  return rank[s];
}

/** True when `alert` passes every filter of `route` (an omitted filter matches all). */
export function routeMatches(route: RouteConfig, alert: Alert): boolean {
  if (rank[alert.severity] < rank[route.min_severity]) return false;
  if (route.strategies !== undefined && !route.strategies.includes(alert.source)) return false;
  if (route.kinds !== undefined && !(route.kinds as readonly string[]).includes(alert.kind)) return false;
  if (route.instruments !== undefined) {
    const names = alertInstruments(alert);
    if (!names.some((n) => route.instruments!.includes(n))) return false;
  }
  return true;
}

/** Instrument ids and keys an alert is about (its own and its opportunity legs'). */
export function alertInstruments(alert: Alert): string[] {
  const out: string[] = [];
  if (alert.instrument !== undefined) out.push(alert.instrument);
  for (const leg of alert.opportunity?.legs ?? []) out.push(leg.instrument, leg.key);
  return out;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight in `tz` at epoch ms `t`. */
export function localMinutes(t: number, tz: string): number {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(tz, f);
  }
  let h = 0;
  let m = 0;
  for (const part of f.formatToParts(new Date(t))) {
    if (part.type === "hour") h = Number(part.value);
    else if (part.type === "minute") m = Number(part.value);
  }
  return h * 60 + m;
}

/** True when `t` falls inside the quiet window (start inclusive, end exclusive; may cross midnight). */
export function inQuietHours(q: QuietHoursConfig, t: number): boolean {
  const now = localMinutes(t, q.tz);
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** True when quiet hours hold back `alert` at `t`. */
export function quietSuppresses(q: QuietHoursConfig | undefined, alert: Alert, t: number): boolean {
  return q !== undefined && rank[alert.severity] < rank[q.min_severity] && inQuietHours(q, t);
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a chat duration: `90s`, `30m`, `2h`, `1d`, `1h30m`, or a bare number of minutes. Undefined when
 * it is not one, or longer than 30 days.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (/^\d+$/.test(s)) return Number(s) * 60_000 || undefined;
  if (!/^(\d+[smhd])+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+)([smhd])/g)) ms += Number(m[1]) * units[m[2]!]!;
  return ms > 0 && ms <= 30 * units.d! ? ms : undefined;
}
