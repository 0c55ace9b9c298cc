import * as v from "valibot";
import { quoteRatesSchema } from "../../core/instruments.ts";
import { strategyKnobs } from "../../core/signals/knobs.ts";

/** `[strategies.<id>]` of `perp-spread`. */
export const perpSpreadConfig = v.strictObject({
  ...strategyKnobs,
  feeds: v.pipe(v.array(v.string()), v.minLength(2, "list at least two feed ids to compare"), v.description("feed instance ids to compare")),
  taker_fee_bps: v.optional(
    v.pipe(
      v.record(v.string(), v.pipe(v.number(), v.finite(), v.minValue(0))),
      v.description(
        "taker fee per feed id, bps of notional: { okx = 5, hyperliquid = 4.5 }; a feed without an entry uses its own taker_fee_bps, and without either its pairs give no signal (fee_unknown)",
      ),
    ),
    {},
  ),
  quote_rates: v.optional(
    v.pipe(quoteRatesSchema, v.description("conversions between quote currencies, FROM_TO = rate or \"feed:instrument\"; none = only equal quotes pair")),
    {},
  ),
  funding_interval_ms: v.optional(
    v.pipe(v.number(), v.gtValue(0), v.description("funding interval assumed when a funding event does not say, ms. Default 8 h.")),
    28_800_000,
  ),
});

export type PerpSpreadConfig = v.InferOutput<typeof perpSpreadConfig>;
