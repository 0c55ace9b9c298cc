import * as v from "valibot";
import { alertKnobs } from "../../core/signals/knobs.ts";

/** `[strategies.<id>]` of `spread-alert`. */
export const spreadAlertConfig = v.pipe(
  v.strictObject({
    ...alertKnobs,
    above_bps: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.description("alert when the spread is at least this wide, bps"))),
    below_bps: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.description("alert when the spread is at most this tight, bps"))),
    alert_on_clear: v.optional(v.pipe(v.boolean(), v.description("alert again when the spread is back, with how long it lasted. Default false.")), false),
  }),
  v.check((c) => c.above_bps !== undefined || c.below_bps !== undefined, "set above_bps, below_bps or both"),
);

export type SpreadAlertConfig = v.InferOutput<typeof spreadAlertConfig>;
