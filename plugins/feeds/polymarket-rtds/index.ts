/**
 * The Polymarket RTDS feed (wiring only): reference prices → `price.tick` (Binance `crypto_prices`,
 * Chainlink `crypto_prices_chainlink`, `equity_prices`, TWAPs), platform trades (`activity`) → `trade`,
 * comments → `polymarket.comment`. See docs/venues/polymarket.md.
 */
import type { PluginContext } from "../../../core/plugin.ts";
import { defineFeed } from "../../../core/plugin.ts";
import type { WsShards } from "../../../core/ws/index.ts";
import { type RtdsConfig, rtdsConfigSchema, subscriptionSpecs } from "./config.ts";
import { createRtdsShards } from "./connection.ts";
import "./events.ts";
import type { RtdsSubscription } from "./messages.ts";
import { parseRtdsFrame } from "./parse.ts";
import { filteredSymbol, subscriptionId, wireSubscriptions } from "./subscriptions.ts";

export type { RtdsCommentEvent } from "./events.ts";
export { priceKey } from "./parse.ts";

/** Counters of the running feed (tests, tools). */
export interface RtdsCounters {
  prices: number;
  trades: number;
  comments: number;
  filtered: number;
  problems: number;
}

export interface RtdsFeedHandle {
  readonly ws: WsShards;
  readonly counters: RtdsCounters;
  stop(): void;
  stats(): ReturnType<WsShards["stats"]>;
}

function setupRtds(ctx: PluginContext<RtdsConfig>): RtdsFeedHandle {
  const specs = subscriptionSpecs(ctx.config);
  const byId = new Map<string, RtdsSubscription>();
  /** topic → subscription ids with the symbol each is filtered to (stall watchdog bookkeeping). */
  const byTopic = new Map<string, { id: string; symbol: string | undefined }[]>();
  /** topic → symbols kept (client-side filter); absent = keep all. */
  const keep = new Map<string, Set<string>>();
  for (const spec of specs) {
    if (spec.symbols.length > 0) {
      const set = keep.get(spec.topic) ?? new Set<string>();
      for (const s of spec.symbols) set.add(s);
      keep.set(spec.topic, set);
    }
    for (const w of wireSubscriptions(spec)) {
      const id = subscriptionId(w);
      byId.set(id, w);
      const list = byTopic.get(w.topic) ?? [];
      list.push({ id, symbol: filteredSymbol(w) });
      byTopic.set(w.topic, list);
    }
  }
  const counters: RtdsCounters = { prices: 0, trades: 0, comments: 0, filtered: 0, problems: 0 };
  const writer = ctx.writer();
  const ws: WsShards = createRtdsShards(ctx, byId, function onRtdsFrame(text, tsRecv) {
    const f = parseRtdsFrame(text, tsRecv, ctx.id);
    for (const p of f.problems) {
      counters.problems++;
      ctx.log.once(`rtds:${p}`, "warn", "unreadable RTDS message (logged once per shape)", { shape: p });
    }
    for (const n of f.notices) {
      if (n.toLowerCase().includes("invalid")) {
        // the venue refuses the whole subscription list: a config it rejects, not a network fault
        ws.fault(`RTDS rejected the subscriptions: ${n}`);
        return;
      }
      ctx.log.once(`rtds-notice:${n}`, "info", "RTDS message without payload", { message: n });
    }
    for (const t of f.topics) {
      for (const s of byTopic.get(t.topic) ?? []) if (s.symbol === undefined || s.symbol === t.symbol?.toLowerCase()) ws.seen(s.id);
    }
    for (const ev of f.events) {
      if (ev.kind === "price") {
        const wanted = keep.get(ev.topic);
        if (wanted !== undefined && !wanted.has(ev.tick.instrument.toLowerCase())) {
          counters.filtered++;
          continue;
        }
        counters.prices++;
        ctx.bus.emit("price.tick", ev.carriedForward ? { ...ev.tick, source: `${ev.topic} (carried forward)` } : ev.tick);
      } else if (ev.kind === "trade") {
        counters.trades++;
        writer.trade(ev.trade);
      } else {
        counters.comments++;
        ctx.bus.emit("polymarket.comment", ev.comment);
      }
    }
    writer.endFrame(tsRecv);
  });
  ws.subscribe(byId.keys());
  return { ws, counters, stop: () => ws.stop(), stats: () => ws.stats() };
}

/** Polymarket RTDS: reference prices (Binance, Chainlink, equities), platform trades and comments. */
export const polymarketRtdsFeed = defineFeed<RtdsConfig>({
  name: "polymarket-rtds",
  description: "Polymarket real-time data: Chainlink/Binance/equity reference prices, platform trades, comments",
  config: rtdsConfigSchema,
  setup: setupRtds,
});
