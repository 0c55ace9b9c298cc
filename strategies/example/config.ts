import { strategyKnobs, v } from "edgewatch";

/** One side of the pair: where to trade and what the venue charges a taker. */
const leg = v.strictObject({
  feed: v.pipe(v.string(), v.description("feed instance id, as in [feeds.<id>]")),
  instrument: v.pipe(v.string(), v.description("the venue's instrument id")),
  taker_fee_bps: v.optional(v.pipe(v.number(), v.minValue(0), v.description("taker fee, bps of notional. Default 0.")), 0),
});

/** `[strategies.<id>]` of `example`: the pair, plus the shared knobs every strategy uses. */
export const exampleConfig = v.strictObject({
  buy: leg,
  sell: leg,
  min_edge_bps: strategyKnobs.min_edge_bps,
  size_usd: strategyKnobs.size_usd,
  min_size_usd: strategyKnobs.min_size_usd,
  min_duration_ms: strategyKnobs.min_duration_ms,
  cooldown_ms: strategyKnobs.cooldown_ms,
  severity: strategyKnobs.severity,
});

export type ExampleConfig = v.InferOutput<typeof exampleConfig>;
