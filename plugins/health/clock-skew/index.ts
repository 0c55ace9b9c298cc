import * as v from "valibot";
import { defineHealthCheck } from "../../../core/plugin.ts";
import type { HealthResult } from "../../../core/health/types.ts";
import { degradedIf } from "../../../core/health/verdicts.ts";

const configSchema = v.strictObject({
  max_skew_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Median (tsRecv − tsEvent) beyond ± this is a clock problem, ms. Default 1000.")),
    1000,
  ),
});

/**
 * Warning: venue time against local time. The median of `tsRecv − tsEvent` over the window is network
 * delay plus clock offset; below −max_skew_ms the venue's clock is ahead of ours (data "from the future"),
 * above +max_skew_ms ours is ahead or every message is late. Either way ages and latencies are wrong:
 * run NTP (chrony/systemd-timesyncd).
 */
export const clockSkewCheck = defineHealthCheck({
  name: "clock-skew",
  description: "Warning: venue time vs local time (median tsRecv − tsEvent within ±max_skew_ms)",
  severity: "warning",
  config: configSchema,
  setup(ctx) {
    return {
      check() {
        const max = ctx.config.max_skew_ms;
        const out: HealthResult[] = [];
        for (const f of ctx.view.feeds()) {
          const s = ctx.store.feedStats(f.id);
          const p50 = s === undefined || s.latencySamples === 0 ? Number.NaN : s.latencyP50Ms;
          const reason =
            p50 < -max
              ? `venue clock ${Math.round(-p50)} ms ahead of local (max_skew_ms ${max}); check NTP`
              : p50 > max
                ? `venue time ${Math.round(p50)} ms behind local (max_skew_ms ${max}): local clock fast or data late; check NTP`
                : undefined;
          out.push(degradedIf(f.id, reason));
        }
        return out;
      },
    };
  },
});
