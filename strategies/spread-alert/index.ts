/**
 * spread-alert: a book's own bid/ask spread above or below N bps for a duration (wide spreads flag thin
 * or broken markets; tight ones flag a moment to trade). Gated like every signal: no alert on a stale,
 * resyncing or crossed book.
 */
import { defineStrategy } from "../../core/plugin.ts";
import { createAlerter } from "../../core/signals/alerter.ts";
import { instrumentFilter, trackerOptions } from "../../core/signals/knobs.ts";
import { type SpreadAlertConfig, spreadAlertConfig } from "./config.ts";

/** Spread (bps of mid) of a best bid and ask. */
export function spreadBps(bid: number, ask: number): number {
  return (1e4 * (ask - bid)) / ((ask + bid) / 2);
}

/** Alerts while a spread stays above or below a threshold. */
export const spreadAlert = defineStrategy<SpreadAlertConfig>({
  name: "spread-alert",
  description: "A book's spread above or below N bps for a duration",
  config: spreadAlertConfig,
  setup(ctx) {
    const c = ctx.config;
    const alerts = createAlerter(ctx, { ...trackerOptions(c), alertOnClear: c.alert_on_clear });
    const feeds = new Set(c.feeds);
    const wants = instrumentFilter(c.instruments);

    ctx.bus.on("frame.end", (f) => {
      if (!feeds.has(f.feed)) return;
      for (const instrument of f.instruments) {
        const book = ctx.store.book(f.feed, instrument);
        if (book === undefined || !wants(instrument, book.key)) continue;
        const legs = [{ feed: f.feed, instrument }];
        const two = book.levels("bid") > 0 && book.levels("ask") > 0;
        const bid = two ? book.price("bid", 0) : Number.NaN;
        const ask = two ? book.price("ask", 0) : Number.NaN;
        const s = two ? spreadBps(bid, ask) : Number.NaN;
        const content = (what: string, limit: number) => () => ({
          title: `${instrument} on ${f.feed}: spread ${s.toFixed(1)} bps ${what} ${limit} bps`,
          text: `bid ${bid} / ask ${ask}`,
          feed: f.feed,
          instrument,
          data: { spreadBps: s, bid, ask },
        });
        if (c.above_bps !== undefined) alerts.condition(`${f.feed}:${instrument}:wide`, legs, two && s >= c.above_bps, content("≥", c.above_bps));
        if (c.below_bps !== undefined) alerts.condition(`${f.feed}:${instrument}:tight`, legs, two && s <= c.below_bps, content("≤", c.below_bps));
      }
    });
    return {};
  },
});
