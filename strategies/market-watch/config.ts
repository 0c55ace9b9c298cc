import * as v from "valibot";
import { strategyKnobs } from "../../core/signals/knobs.ts";

const words = (what: string) => v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.description(what)));

/** `[strategies.<id>]` of `market-watch`. */
export const marketWatchConfig = v.strictObject({
  feeds: strategyKnobs.feeds,
  cooldown_ms: strategyKnobs.cooldown_ms,
  severity: strategyKnobs.severity,
  keywords: words("a market matches when its question or slug contains any of these (case-insensitive); omitted = every market"),
  exclude: words("a market containing any of these never matches"),
  pattern: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => {
        try {
          new RegExp(s, "i");
          return true;
        } catch {
          return false;
        }
      }, "pattern is not a valid regular expression"),
      v.description("a regular expression the question or slug must match (case-insensitive)"),
    ),
  ),
  new_markets: v.optional(v.pipe(v.boolean(), v.description("alert on new matching markets. Default true.")), true),
  resolutions: v.optional(v.pipe(v.boolean(), v.description("alert when a matching market resolves. Default true.")), true),
  tick_sizes: v.optional(v.pipe(v.boolean(), v.description("alert when a matching market's tick size changes. Default true.")), true),
});

export type MarketWatchConfig = v.InferOutput<typeof marketWatchConfig>;
