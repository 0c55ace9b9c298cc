/**
 * example: the smallest useful strategy, to copy. Buy one instrument on one feed and sell one on
 * another when the edge after both taker fees meets `min_edge_bps`. The core does the rest: sizing on
 * depth (SIGNALS.md), debounce, updates, closes, alerts, and refusing stale, resyncing or crossed books.
 * docs/writing-a-strategy.md walks through it.
 */
import { bpsFee, createOpportunityTracker, defineStrategy, onInstruments, sizeLimits, solveTwoVenue, subjectOf, trackerOptions } from "edgewatch";
import { type ExampleConfig, exampleConfig } from "./config.ts";

/** Buy here, sell there. */
export const example = defineStrategy<ExampleConfig>({
  name: "example",
  description: "Buy one instrument, sell another, when the edge after fees is there",
  config: exampleConfig,
  setup(ctx) {
    const { buy, sell } = ctx.config;
    const opportunities = createOpportunityTracker(ctx, trackerOptions(ctx.config));
    const limits = sizeLimits(ctx.config);

    // Evaluate only between venue frames (never mid-frame), and only when one of our two books changed.
    onInstruments(ctx, [buy, sell], function onPairChanged() {
      const buyBook = ctx.store.book(buy.feed, buy.instrument);
      const sellBook = ctx.store.book(sell.feed, sell.instrument);
      if (buyBook === undefined || sellBook === undefined) return;
      const buyLeg = { book: buyBook, side: "buy" as const, fee: bpsFee(buy.taker_fee_bps) };
      const sellLeg = { book: sellBook, side: "sell" as const, fee: bpsFee(sell.taker_fee_bps) };
      opportunities.evaluate(subjectOf("pair", [buyLeg, sellLeg]), solveTwoVenue(buyLeg, sellLeg, limits));
    });

    return {};
  },
});
