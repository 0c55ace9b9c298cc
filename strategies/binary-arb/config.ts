import * as v from "valibot";
import { strategyKnobs } from "../../core/signals/knobs.ts";

const rate = (what: string) => v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.description(what)));

const perMarket = {
  fee_rate: rate("fee curve rate of this market (`shares × rate × (p(1−p))^exponent`); overrides its metadata"),
  fee_exponent: rate("fee curve exponent of this market; overrides its metadata"),
  min_order_size: rate("least shares per order on this market"),
  feed: v.optional(v.pipe(v.string(), v.description("feed id carrying the tokens. Default the first of `feeds`."))),
};

/** `[strategies.<id>]` of `binary-arb`. */
export const binaryArbConfig = v.pipe(
  v.strictObject({
    ...strategyKnobs,
    split_and_sell: v.optional(v.pipe(v.boolean(), v.description("also look for bids summing above 1 (mint a pair, sell both). Default true.")), true),
    neg_risk: v.optional(v.pipe(v.boolean(), v.description("evaluate negRisk events (buy every outcome's YES). Default true.")), true),
    fee_rate: rate("fee curve rate used when neither a market's entry nor its metadata says"),
    fee_exponent: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.description("fee curve exponent of that default. Default 1.")), 1),
    markets: v.optional(
      v.pipe(
        v.array(v.strictObject({ yes: v.string(), no: v.string(), name: v.optional(v.string()), ...perMarket })),
        v.description("static binary markets: YES and NO token ids"),
      ),
      [],
    ),
    events: v.optional(
      v.pipe(
        v.array(v.strictObject({ name: v.string(), yes: v.pipe(v.array(v.string()), v.minLength(2)), ...perMarket })),
        v.description("static negRisk events: every outcome's YES token (the list must be exhaustive)"),
      ),
      [],
    ),
    discover: v.optional(v.pipe(v.boolean(), v.description("learn markets from the feeds' `market.new` metadata. Default true.")), true),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const c = dataset.value;
    for (const m of [...c.markets, ...c.events]) {
      if (m.feed !== undefined && !c.feeds.includes(m.feed)) addIssue({ message: `feed "${m.feed}" of a market or event is not in feeds (${c.feeds.join(", ")})` });
    }
  }),
);

export type BinaryArbConfig = v.InferOutput<typeof binaryArbConfig>;
