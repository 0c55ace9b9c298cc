import * as v from "valibot";
import { alertKnobs } from "../../core/signals/knobs.ts";

/** `[strategies.<id>]` of `trade-flow`. */
export const tradeFlowConfig = v.strictObject({
  ...alertKnobs,
  window_ms: v.optional(v.pipe(v.number(), v.integer(), v.gtValue(0), v.description("window the volumes are summed over, ms. Default 60000.")), 60_000),
  imbalance: v.pipe(
    v.number(),
    v.gtValue(0),
    v.maxValue(1),
    v.description("least |buy − sell| / (buy + sell) of taker notional in the window, 0..1 (0.6 = 80 % on one side)"),
  ),
  min_volume_usd: v.optional(v.pipe(v.number(), v.minValue(0), v.description("least total notional in the window before judging, USD. Default 0.")), 0),
});

export type TradeFlowConfig = v.InferOutput<typeof tradeFlowConfig>;
