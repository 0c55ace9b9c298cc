/**
 * The bodies of `GET /health` and `GET /ready` (SURFACE.md): overall status, each feed's state and
 * reasons (its own plus the failing health checks about it), and the checks' verdicts.
 */
import type { HealthLevel } from "../events.ts";
import { redact } from "../secrets.ts";
import type { HttpSources } from "./sources.ts";

/** `GET /health` and `GET /ready` body. */
export interface HealthBody {
  readonly status: HealthLevel;
  readonly bot: string;
  /** Epoch ms until which alerts are muted, or 0. */
  readonly mutedUntil: number;
  readonly feeds: Record<string, { state: string; reasons: string[] }>;
  readonly checks: { check: string; subject: string; status: HealthLevel; severity: string; reason: string; sinceMs: number }[];
}

/**
 * Down when a critical check is down or a feed is faulted; degraded when any check is not ok or a feed
 * is not live; ok otherwise.
 */
export function healthBody(s: HttpSources): HealthBody {
  const now = s.clock.now();
  const entries = s.healthEntries();
  const feeds: HealthBody["feeds"] = {};
  let status: HealthLevel = "ok";
  const worse = (l: HealthLevel): void => {
    if (l === "down" || (l === "degraded" && status === "ok")) status = l;
  };
  for (const f of s.view.feeds()) {
    const failing = entries.filter((e) => e.subject === f.id && e.status !== "ok").map((e) => `${e.check}: ${e.reason}`);
    feeds[f.id] = { state: f.state, reasons: [...f.reasons, ...failing].map(redact) };
    if (f.state === "faulted") worse("down");
    else if (f.state !== "live") worse("degraded");
  }
  for (const e of entries) {
    if (e.status === "down" && e.severity === "critical") worse("down");
    else if (e.status !== "ok") worse("degraded");
  }
  return {
    status,
    bot: s.botName(),
    mutedUntil: s.view.mutedUntil(),
    feeds,
    checks: entries.map((e) => ({ check: e.check, subject: e.subject, status: e.status, severity: e.severity, reason: redact(e.reason), sinceMs: now - e.since })),
  };
}

/** Ready when every feed is live or degraded and heard from within the heartbeat timeout. */
export function isReady(s: HttpSources): boolean {
  const timeout = s.healthSettings().heartbeatTimeoutMs;
  return s.view.feeds().every((f) => (f.state === "live" || f.state === "degraded") && f.lastMessageAgeMs !== null && f.lastMessageAgeMs <= timeout);
}
