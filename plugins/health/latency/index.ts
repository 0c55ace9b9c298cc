import * as v from "valibot";
import { defineHealthCheck } from "../../../core/plugin.ts";
import type { HealthResult } from "../../../core/health/types.ts";
import { degradedIf } from "../../../core/health/verdicts.ts";

const configSchema = v.strictObject({
  max_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Average latency (tsRecv − tsEvent over 60 s) above this is degraded, ms. Default: [health] max_latency_ms (200).")),
  ),
});

/** Info: each feed's average latency by the venue's clock stays under `max_latency_ms` (seed 001's notice level). */
export const latencyCheck = defineHealthCheck({
  name: "latency",
  description: "Info: each feed's average latency (venue time to receive) under max_latency_ms",
  severity: "info",
  config: configSchema,
  setup(ctx) {
    return {
      check() {
        const max = ctx.config.max_ms ?? ctx.settings.health.maxLatencyMs;
        const out: HealthResult[] = [];
        for (const f of ctx.view.feeds()) {
          const s = ctx.store.feedStats(f.id);
          if (s === undefined || s.latencySamples === 0 || !(s.latencyAvgMs > max)) {
            out.push(degradedIf(f.id, undefined));
            continue;
          }
          const r = (x: number) => Math.round(x);
          out.push(degradedIf(f.id, `latency avg ${r(s.latencyAvgMs)} ms (p50 ${r(s.latencyP50Ms)}, p95 ${r(s.latencyP95Ms)}, max ${r(s.latencyMaxMs)}) over max_latency_ms ${max}`));
        }
        return out;
      },
    };
  },
});
