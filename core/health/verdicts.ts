/**
 * Building blocks of health checks: the verdict a check gives one subject, and when a check first saw a
 * subject (for a judgement that waits until a subject has been watched long enough).
 */
import type { HealthResult } from "./types.ts";

/**
 * `degraded` with `reason` when there is one, else `ok` with an empty reason.
 *
 * @example
 * degradedIf("feed-a", age > timeout ? `no message for ${age} ms` : undefined);
 */
export function degradedIf(subject: string, reason: string | undefined): HealthResult {
  return reason === undefined ? { subject, status: "ok", reason: "" } : { subject, status: "degraded", reason };
}

/**
 * A memory of when each subject was first seen: the returned function answers the first `now` it was
 * called with for that subject (remembering `now` on the first call).
 *
 * @example
 * const since = firstSeen();
 * const watchedMs = now - since(feed.id, now);
 */
export function firstSeen(): (subject: string, now: number) => number {
  const seen = new Map<string, number>();
  return (subject, now) => {
    const at = seen.get(subject) ?? now;
    seen.set(subject, at);
    return at;
  };
}
