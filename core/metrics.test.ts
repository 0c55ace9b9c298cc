import { describe, expect, it } from "bun:test";
import { Bus } from "./bus.ts";
import { ManualClock } from "./clock.ts";
import type { HttpSources } from "./http/sources.ts";
import { silentLogger } from "./log.ts";
import type { BookView } from "./market.ts";
import { escapeLabel, Histogram, renderMetrics } from "./metrics.ts";
import type { FeedRow, RuntimeView } from "./plugin.ts";
import { createOpportunityLedger } from "./signals/ledger.ts";
import { defaultHealthSettings } from "./store.ts";

function sources(books: number): HttpSources {
  const clock = new ManualClock(100_000);
  const bus = new Bus();
  const ledger = createOpportunityLedger(bus);
  const feed: FeedRow = { id: 'we"ird\\feed', plugin: "x", state: "stale", reasons: [], connections: 0, messages: 5, bytes: 0, errors: 2, reconnects: 1, resyncs: 3, lastMessageAgeMs: 1500 };
  const list = Array.from({ length: books }, (_, i) => ({ feed: feed.id, instrument: `I${i}`, tsRecv: 100_000 - i }) as unknown as BookView);
  const s: HttpSources = {
    bus,
    clock,
    log: silentLogger,
    store: { books: () => list, feedStats: () => ({ resyncs: { gap: 2 } }) } as unknown as HttpSources["store"],
    view: { feeds: () => [feed], opportunities: () => [], recentAlerts: () => [], mutedUntil: () => 0, alertStats: () => ({ pending: 4, totals: { tg: { delivered: 7, failed: 1 } }, suppressed: {} }) } as unknown as RuntimeView,
    botName: () => "t",
    healthSettings: () => defaultHealthSettings,
    healthEntries: () => [{ check: "heartbeat", subject: feed.id, status: "degraded", reason: "", severity: "warning", since: 0 }],
    ledger: () => ledger.stats(),
    strategies: () => ["quiet"],
    pluginErrors: () => new Map([["s1", 3]]),
    frameToSignal: new Histogram([0.001, 0.01]),
    reload: async () => ({ ok: true, started: [], stopped: [], kept: [] }),
  };
  bus.emit("signal.suppressed", { strategy: "s1", reason: "stale", subject: "x", ts: 0 });
  bus.emit("signal.suppressed", { strategy: "s1", reason: "stale", subject: "y", ts: 0 });
  return s;
}

describe("metrics", () => {
  it("does keep quote ages to the 20 oldest books however many there are", () => {
    const text = renderMetrics(sources(10_000));
    const ages = text.split("\n").filter((l) => l.startsWith("edgewatch_quote_age_seconds{"));
    expect(ages.length).toBe(20);
    expect(ages[0]).toContain('instrument="I9999"} 9.999');
  });

  it("does render counters, suppressions, outcomes and escaped labels", () => {
    const text = renderMetrics(sources(3));
    expect(text).toContain('edgewatch_feed_up{feed="we\\"ird\\\\feed"} 0');
    expect(text).toContain('edgewatch_feed_resyncs_total{feed="we\\"ird\\\\feed",reason="gap"} 2');
    expect(text).toContain('edgewatch_feed_resyncs_total{feed="we\\"ird\\\\feed",reason="connection"} 1');
    expect(text).toContain('edgewatch_signals_suppressed_total{strategy="s1",reason="stale"} 2');
    expect(text).toContain('edgewatch_opportunities_open{strategy="quiet"} 0');
    expect(text).toContain('edgewatch_alerts_total{notifier="tg",outcome="failed"} 1');
    expect(text).toContain("edgewatch_alert_outbox_pending 4");
    expect(text).toContain('edgewatch_plugin_errors_total{plugin="s1"} 3');
    expect(text).toContain('edgewatch_health_status{check="heartbeat",subject="we\\"ird\\\\feed"} 1');
    expect(escapeLabel("a\nb")).toBe("a\\nb");
  });

  it("does count a histogram cumulatively", () => {
    const h = new Histogram([0.001, 0.01]);
    for (const x of [0.0005, 0.005, 0.005, 3]) h.observe(x);
    expect([h.bucket(0), h.bucket(1), h.count]).toEqual([1, 3, 4]);
    expect(h.sum).toBeCloseTo(3.0105, 6);
  });
});
