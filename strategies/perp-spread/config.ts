import * as v from "valibot";
import { quoteRatesSchema } from "../../core/instruments.ts";
import { strategyKnobs } from "../../core/signals/knobs.ts";

/** `[strategies.<id>]` of `perp-spread`. */
export const perpSpreadConfig = v.pipe(
  v.strictObject({
    ...strategyKnobs,
    feeds: v.pipe(v.array(v.string()), v.minLength(2, "list at least two feed ids to compare"), v.description("feed instance ids to compare")),
    taker_fee_bps: v.pipe(
      v.record(v.string(), v.pipe(v.number(), v.finite(), v.minValue(0))),
      v.description("taker fee per feed id, bps of notional: { okx = 5, hyperliquid = 4.5 }"),
    ),
    quote_rates: v.optional(
      v.pipe(quoteRatesSchema, v.description("conversions between quote currencies, FROM_TO = rate or \"feed:instrument\"; none = only equal quotes pair")),
      {},
    ),
    funding_interval_ms: v.optional(
      v.pipe(v.number(), v.gtValue(0), v.description("funding interval assumed when a funding event does not say, ms. Default 8 h.")),
      28_800_000,
    ),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const f of dataset.value.feeds) {
      if (dataset.value.taker_fee_bps[f] === undefined) addIssue({ message: `taker_fee_bps has no entry for feed "${f}": add ${f} = <bps>` });
    }
  }),
);

export type PerpSpreadConfig = v.InferOutput<typeof perpSpreadConfig>;
