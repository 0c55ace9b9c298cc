import * as v from "valibot";
import { alertKnobs } from "../../core/signals/knobs.ts";

const level = v.pipe(
  v.strictObject({
    instrument: v.pipe(v.string(), v.description("venue id of the instrument")),
    feed: v.optional(v.pipe(v.string(), v.description("feed id; default every feed in `feeds` carrying it"))),
    above: v.optional(v.pipe(v.number(), v.finite(), v.description("alert when the price is at or above this"))),
    below: v.optional(v.pipe(v.number(), v.finite(), v.description("alert when the price is at or below this"))),
  }),
  v.check((l) => l.above !== undefined || l.below !== undefined, "a level needs above, below or both"),
);

/** `[strategies.<id>]` of `price-alert`. */
export const priceAlertConfig = v.pipe(
  v.strictObject({
    ...alertKnobs,
    levels: v.optional(v.pipe(v.array(level), v.description("price levels: [{ instrument, above, below }]")), []),
    move_pct: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0), v.description("alert on a move of at least this many percent within window_ms"))),
    window_ms: v.optional(v.pipe(v.number(), v.integer(), v.gtValue(0), v.description("window of move_pct, ms. Default 60000.")), 60_000),
    price: v.optional(v.pipe(v.picklist(["mid", "trade"]), v.description("mid of the book or last trade price. Default mid.")), "mid"),
  }),
  v.check((c) => c.levels.length > 0 || c.move_pct !== undefined, "set levels, move_pct or both"),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const l of dataset.value.levels) {
      if (l.feed !== undefined && !dataset.value.feeds.includes(l.feed)) addIssue({ message: `feed "${l.feed}" of level ${l.instrument} is not in feeds` });
    }
  }),
);

export type PriceAlertConfig = v.InferOutput<typeof priceAlertConfig>;
