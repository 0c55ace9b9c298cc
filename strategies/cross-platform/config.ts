import * as v from "valibot";
import { strategyKnobs } from "../../core/signals/knobs.ts";

const nonNegative = (what: string) => v.pipe(v.number(), v.finite(), v.minValue(0, `${what} must be 0 or more`));

/** A venue's taker fee, when its feed's `market.new` does not carry one (or to override it). */
const feeTable = v.strictObject({
  model: v.pipe(
    v.picklist(["curve", "min_side", "bps"]),
    v.description("curve: shares × rate × (p(1−p))^exponent; min_side: shares × rate × min(p, 1−p); bps: notional × rate / 10⁴"),
  ),
  rate: v.pipe(nonNegative("rate"), v.description("the model's rate (a fraction for curve and min_side, basis points for bps)")),
  exponent: v.optional(v.pipe(nonNegative("exponent"), v.description("curve exponent. Default 1.")), 1),
});

/** `[strategies.<id>]` of `cross-platform`. */
export const crossPlatformConfig = v.strictObject({
  ...strategyKnobs,
  registry: v.optional(
    v.pipe(v.string(), v.minLength(1), v.description('equivalence registry file, relative to the config file. Default "equivalences.toml".')),
    "equivalences.toml",
  ),
  watch_registry: v.optional(v.pipe(v.boolean(), v.description("reload the registry when the file changes (it also reloads on control.reload and the `reload` action). Default true.")), true),
  fees: v.optional(
    v.pipe(v.record(v.string(), feeTable), v.description("taker fee per feed id, overriding what the feed's market.new says")),
    {},
  ),
});

export type CrossPlatformConfig = v.InferOutput<typeof crossPlatformConfig>;
