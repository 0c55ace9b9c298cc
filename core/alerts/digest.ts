/** Digests: one message that stands for several alerts waiting for the same notifier. */
import type { Alert, Severity } from "../events.ts";
import { severityRank } from "./match.ts";

/**
 * Builds the digest alert for `items` (oldest first). Its `data.items` carries every alert, so a
 * notifier's formatter can list them all; nothing is dropped.
 *
 * @example
 * const d = makeDigest("digest-a1-30", waiting, clock.now());
 * digestItems(d).length // waiting.length
 */
export function makeDigest(id: string, items: readonly Alert[], now: number): Alert {
  let severity: Severity = "info";
  for (const a of items) if (severityRank(a.severity) > severityRank(severity)) severity = a.severity;
  const first = items[0]?.ts ?? now;
  const last = items[items.length - 1]?.ts ?? now;
  const spanS = Math.max(0, Math.round((last - first) / 1000));
  return {
    id,
    key: `digest:${id}`,
    source: "alerts",
    kind: "digest",
    severity,
    title: `${items.length} alerts${spanS > 0 ? ` in ${spanS} s` : ""}`,
    text: items.map((a) => a.title).join("\n"),
    ts: now,
    data: { items },
  };
}

/** The alerts a digest stands for (empty for any other alert). */
export function digestItems(alert: Alert): readonly Alert[] {
  if (alert.kind !== "digest") return [];
  const items = alert.data?.items;
  return Array.isArray(items) ? (items as readonly Alert[]) : [];
}
