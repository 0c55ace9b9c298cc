/**
 * trade-flow: taker buy/sell notional imbalance over a window — `|buy − sell| / (buy + sell)` at least
 * `imbalance` with at least `min_volume_usd` traded. Alerts when it has held `min_duration_ms`; gated
 * on the instrument's book (or its feed, for instruments without one).
 */
import { defineStrategy } from "../../core/plugin.ts";
import { createAlerter } from "../../core/signals/alerter.ts";
import { instrumentFilter, trackerOptions } from "../../core/signals/knobs.ts";
import { type TradeFlowConfig, tradeFlowConfig } from "./config.ts";
import { FlowWindow } from "./flow.ts";

/** Buy/sell volume imbalance over a window. */
export const tradeFlow = defineStrategy<TradeFlowConfig>({
  name: "trade-flow",
  description: "Taker buy/sell volume imbalance over a window",
  config: tradeFlowConfig,
  setup(ctx) {
    const c = ctx.config;
    const alerts = createAlerter(ctx, trackerOptions(c));
    const feeds = new Set(c.feeds);
    const wants = instrumentFilter(c.instruments);
    const flows = new Map<string, { feed: string; instrument: string; w: FlowWindow }>();

    function judge(feed: string, instrument: string, w: FlowWindow): void {
      w.evict(ctx.clock.now() - c.window_ms);
      const total = w.buy + w.sell;
      const imb = w.imbalance();
      const active = total > 0 && total >= c.min_volume_usd && Math.abs(imb) >= c.imbalance;
      const legs = [{ feed, instrument, feedOnly: ctx.store.book(feed, instrument) === undefined }];
      const side = imb > 0 ? "buying" : "selling";
      alerts.condition(`${feed}:${instrument}`, legs, active, () => ({
        title: `${instrument} on ${feed}: ${side} pressure ${(100 * Math.abs(imb)).toFixed(0)} % imbalance`,
        text: `buy $${w.buy.toFixed(0)} vs sell $${w.sell.toFixed(0)} in ${c.window_ms / 1000} s`,
        feed,
        instrument,
        data: { buyUsd: w.buy, sellUsd: w.sell, imbalance: imb, windowMs: c.window_ms },
      }));
    }

    ctx.bus.on("trade", (t) => {
      if (!feeds.has(t.feed) || t.side === "unknown") return;
      if (!wants(t.instrument, t.key)) return;
      const id = `${t.feed}\u0000${t.instrument}`;
      let f = flows.get(id);
      if (f === undefined) {
        f = { feed: t.feed, instrument: t.instrument, w: new FlowWindow() };
        flows.set(id, f);
      }
      f.w.push(ctx.clock.now(), t.price * t.size, t.side === "buy" ? 1 : -1);
      judge(t.feed, t.instrument, f.w);
    });

    // Trades age out of the window even when none arrive: re-judge on the clock.
    const timer = ctx.clock.setInterval(() => {
      for (const f of flows.values()) judge(f.feed, f.instrument, f.w);
    }, Math.max(100, Math.floor(c.window_ms / 10)));
    return { stop: () => ctx.clock.clearInterval(timer) };
  },
});
