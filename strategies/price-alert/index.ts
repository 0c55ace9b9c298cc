/**
 * price-alert: a price at or beyond configured levels, and a move of `move_pct` % within `window_ms`
 * (up from the window's low or down from its high). Price is the book mid or the last trade. Gated on
 * freshness like every signal: no alert from a stale, resyncing or crossed book or a feed that is down.
 */
import type { LegRef } from "../../core/signals/gate.ts";
import { defineStrategy } from "../../core/plugin.ts";
import { createAlerter } from "../../core/signals/alerter.ts";
import { instrumentFilter, trackerOptions } from "../../core/signals/knobs.ts";
import { type PriceAlertConfig, priceAlertConfig } from "./config.ts";
import { MinMaxWindow } from "./window.ts";

/** Levels and moves on book mids or trade prices. */
export const priceAlert = defineStrategy<PriceAlertConfig>({
  name: "price-alert",
  description: "A price beyond a level, or moving N % within a window",
  config: priceAlertConfig,
  setup(ctx) {
    const c = ctx.config;
    const alerts = createAlerter(ctx, trackerOptions(c));
    const feeds = new Set(c.feeds);
    const wants = instrumentFilter(c.instruments);
    const windows = new Map<string, MinMaxWindow>();

    function onPrice(feed: string, instrument: string, key: string, price: number, legs: readonly LegRef[]): void {
      const now = ctx.clock.now();
      for (const l of c.levels) {
        if (l.instrument !== instrument && l.instrument !== key) continue;
        if (l.feed !== undefined && l.feed !== feed) continue;
        const content = (what: string, level: number) => () => ({
          title: `${instrument} on ${feed} at ${price}: ${what} ${level}`,
          text: `price ${price} (${c.price}) ${what} ${level}`,
          feed,
          instrument,
          data: { price, level },
        });
        if (l.above !== undefined) alerts.condition(`${feed}:${instrument}:above:${l.above}`, legs, price >= l.above, content("at or above", l.above));
        if (l.below !== undefined) alerts.condition(`${feed}:${instrument}:below:${l.below}`, legs, price <= l.below, content("at or below", l.below));
      }
      if (c.move_pct === undefined || !wants(instrument, key)) return;
      const id = `${feed}\u0000${instrument}`;
      let w = windows.get(id);
      if (w === undefined) {
        w = new MinMaxWindow();
        windows.set(id, w);
      }
      w.evict(now - c.window_ms);
      w.push(now, price);
      const low = w.min();
      const high = w.max();
      const upPct = (100 * (price - low)) / low;
      const downPct = (100 * (high - price)) / high;
      const move = (dir: string, pct: number, from: number) => () => ({
        title: `${instrument} on ${feed} ${dir} ${pct.toFixed(2)} % in ${c.window_ms / 1000} s`,
        text: `from ${from} to ${price}`,
        feed,
        instrument,
        data: { price, from, movePct: dir === "up" ? pct : -pct, windowMs: c.window_ms },
      });
      alerts.condition(`${feed}:${instrument}:up`, legs, upPct >= c.move_pct, move("up", upPct, low));
      alerts.condition(`${feed}:${instrument}:down`, legs, downPct >= c.move_pct, move("down", downPct, high));
    }

    if (c.price === "mid") {
      ctx.bus.on("frame.end", (f) => {
        if (!feeds.has(f.feed)) return;
        for (const instrument of f.instruments) {
          // The book, not the published quote: a stale or resyncing book still has a top, so the gate
          // sees it and counts the suppression instead of the alert silently not happening.
          const b = ctx.store.book(f.feed, instrument);
          if (b === undefined || b.levels("bid") === 0 || b.levels("ask") === 0) continue;
          const mid = (b.price("bid", 0) + b.price("ask", 0)) / 2;
          onPrice(f.feed, instrument, b.key, mid, [{ feed: f.feed, instrument }]);
        }
      });
    } else {
      ctx.bus.on("trade", (t) => {
        if (!feeds.has(t.feed)) return;
        const hasBook = ctx.store.book(t.feed, t.instrument) !== undefined;
        onPrice(t.feed, t.instrument, t.key, t.price, [{ feed: t.feed, instrument: t.instrument, feedOnly: !hasBook }]);
      });
    }
    return {};
  },
});
