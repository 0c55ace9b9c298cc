/**
 * market-watch: new markets matching a filter (keywords, exclusions, a pattern), their resolutions and
 * their tick-size changes. Markets are remembered from `market.new`, so a resolution or tick change is
 * reported only for markets that matched (every market when no filter is set).
 */
import type { MarketNew } from "../../core/events.ts";
import { defineStrategy } from "../../core/plugin.ts";
import { createAlerter } from "../../core/signals/alerter.ts";
import { type MarketWatchConfig, marketWatchConfig } from "./config.ts";

/** Whether a market's question or slug passes the filter. */
export function matches(c: Pick<MarketWatchConfig, "keywords" | "exclude" | "pattern">, m: Pick<MarketNew, "question" | "slug">): boolean {
  const text = `${m.question}\n${m.slug ?? ""}`.toLowerCase();
  if (c.exclude?.some((w) => text.includes(w.toLowerCase()))) return false;
  if (c.keywords !== undefined && !c.keywords.some((w) => text.includes(w.toLowerCase()))) return false;
  if (c.pattern !== undefined && !new RegExp(c.pattern, "i").test(`${m.question}\n${m.slug ?? ""}`)) return false;
  return true;
}

/** New markets matching a filter, resolutions, tick-size changes. */
export const marketWatch = defineStrategy<MarketWatchConfig>({
  name: "market-watch",
  description: "New markets matching a filter, resolutions and tick-size changes",
  config: marketWatchConfig,
  setup(ctx) {
    const c = ctx.config;
    const alerts = createAlerter(ctx, { cooldownMs: c.cooldown_ms, severity: c.severity, kind: "info" });
    const feeds = new Set(c.feeds);
    /** `feed\0market id` → the matching market. */
    const markets = new Map<string, MarketNew>();
    /** `feed\0instrument` → market id, for tick-size changes reported per token. */
    const byInstrument = new Map<string, string>();

    ctx.bus.on("market.new", (m) => {
      if (!feeds.has(m.feed) || !matches(c, m)) return;
      const id = `${m.feed}\u0000${m.instrument}`;
      const known = markets.has(id);
      markets.set(id, m);
      for (const inst of m.instruments) byInstrument.set(`${m.feed}\u0000${inst}`, m.instrument);
      if (known || !c.new_markets) return;
      alerts.fire(`new:${m.feed}:${m.instrument}`, [], {
        title: `new market: ${m.question}`,
        text: [`${m.question}`, `outcomes: ${m.outcomes.join(" / ")}`, ...(m.slug === undefined ? [] : [`slug: ${m.slug}`])].join("\n"),
        feed: m.feed,
        instrument: m.instrument,
        data: { slug: m.slug, outcomes: m.outcomes, instruments: m.instruments },
      });
    });

    ctx.bus.on("market.resolved", (r) => {
      if (!feeds.has(r.feed) || !c.resolutions) return;
      const m = markets.get(`${r.feed}\u0000${r.instrument}`);
      if (m === undefined) return;
      alerts.fire(`resolved:${r.feed}:${r.instrument}`, [], {
        title: `resolved: ${m.question} → ${r.winningOutcome ?? "?"}`,
        text: `${m.question}\nwinner: ${r.winningOutcome ?? "unknown"}`,
        feed: r.feed,
        instrument: r.instrument,
        data: { winningOutcome: r.winningOutcome, winningInstrument: r.winningInstrument },
      });
      markets.delete(`${r.feed}\u0000${r.instrument}`);
      for (const inst of m.instruments) byInstrument.delete(`${r.feed}\u0000${inst}`);
    });

    ctx.bus.on("market.tick_size", (t) => {
      if (!feeds.has(t.feed) || !c.tick_sizes) return;
      const marketId = byInstrument.get(`${t.feed}\u0000${t.instrument}`) ?? t.instrument;
      const m = markets.get(`${t.feed}\u0000${marketId}`);
      if (m === undefined) return;
      alerts.fire(`tick:${t.feed}:${t.instrument}:${t.newTickSize}`, [], {
        title: `tick size ${t.oldTickSize} → ${t.newTickSize}: ${m.question}`,
        text: `${m.question}\n${t.instrument}: tick ${t.oldTickSize} → ${t.newTickSize}`,
        feed: t.feed,
        instrument: t.instrument,
        data: { oldTickSize: t.oldTickSize, newTickSize: t.newTickSize },
      });
    });
    return {};
  },
});
