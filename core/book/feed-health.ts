/**
 * The `[health]` thresholds of one live feed (SURFACE.md, PerpBot seed): no message for
 * `heartbeat_timeout_ms`, average latency over `max_latency_ms`, fewer than `min_updates_per_s` over a
 * full stats window, quotes older than `max_quote_age_ms`. Each crossed threshold is one plain sentence;
 * none = healthy. A crossed threshold degrades the feed; it does not stop strategies from using it.
 */
import type { HealthSettings } from "../plugin.ts";
import { STATS_WINDOW_MS } from "../quotes.ts";
import type { FeedRecord, MarketEntry } from "./records.ts";

/** One crossed threshold: which check, and a plain sentence with the figures. */
export interface HealthReason {
  readonly check: "heartbeat" | "latency" | "updates" | "quote_age";
  readonly text: string;
}

/** The reasons a live feed is degraded at `now` (empty when healthy), in a fixed check order. */
export function feedHealthReasons(rec: FeedRecord, h: HealthSettings, now: number): HealthReason[] {
  const reasons: HealthReason[] = [];
  const lastSign = Number.isNaN(rec.lastFrameAt) ? rec.liveSince : Math.max(rec.lastFrameAt, rec.liveSince);
  if (now - lastSign > h.heartbeatTimeoutMs) {
    reasons.push({ check: "heartbeat", text: `no message for ${Math.round((now - lastSign) / 1000)} s (heartbeat_timeout_ms ${h.heartbeatTimeoutMs})` });
  }
  const stats = rec.metrics.read(now);
  if (stats.latencySamples > 0 && stats.latencyAvgMs > h.maxLatencyMs) {
    reasons.push({ check: "latency", text: `latency avg ${Math.round(stats.latencyAvgMs)} ms over max_latency_ms ${h.maxLatencyMs}` });
  }
  if (now - rec.liveSince >= STATS_WINDOW_MS && stats.updatesPerS < h.minUpdatesPerS) {
    reasons.push({ check: "updates", text: `${stats.updatesPerS.toFixed(2)} updates/s under min_updates_per_s ${h.minUpdatesPerS}` });
  }
  let old = 0;
  let oldest: MarketEntry | undefined;
  for (const e of rec.entries.values()) {
    if (!e.book.synced) continue;
    const age = now - e.book.tsRecv;
    if (age <= h.maxQuoteAgeMs) continue;
    old++;
    if (oldest === undefined || e.book.tsRecv < oldest.book.tsRecv) oldest = e;
  }
  if (oldest !== undefined) {
    const age = now - oldest.book.tsRecv;
    reasons.push({ check: "quote_age", text: `${old} quote(s) older than max_quote_age_ms ${h.maxQuoteAgeMs} (oldest ${oldest.book.instrument}: ${Math.round(age)} ms)` });
  }
  return reasons;
}
