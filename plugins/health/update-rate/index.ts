import * as v from "valibot";
import { defineHealthCheck } from "../../../core/plugin.ts";
import { STATS_WINDOW_MS } from "../../../core/quotes.ts";
import type { HealthResult } from "../../../core/health/types.ts";
import { degradedIf, firstSeen } from "../../../core/health/verdicts.ts";

const configSchema = v.strictObject({
  min_per_s: v.optional(
    v.pipe(v.number(), v.minValue(0), v.description("Fewer book/quote updates per second than this, over the 60 s window, is degraded. Default: [health] min_updates_per_s (0.1).")),
  ),
});

/** Warning: each feed updates at least `min_updates_per_s`, judged once a full 60 s window has passed. */
export const updateRateCheck = defineHealthCheck({
  name: "update-rate",
  description: "Warning: each feed updates at least min_updates_per_s over a 60 s window",
  severity: "warning",
  config: configSchema,
  setup(ctx) {
    const since = firstSeen();
    return {
      check(now) {
        const min = ctx.config.min_per_s ?? ctx.settings.health.minUpdatesPerS;
        const out: HealthResult[] = [];
        for (const f of ctx.view.feeds()) {
          const seen = since(f.id, now);
          const rate = ctx.store.feedStats(f.id)?.updatesPerS ?? 0;
          const judged = now - seen >= STATS_WINDOW_MS;
          out.push(degradedIf(f.id, judged && rate < min ? `${rate.toFixed(2)} updates/s under min_updates_per_s ${min}` : undefined));
        }
        return out;
      },
    };
  },
});
