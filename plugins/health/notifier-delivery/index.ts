import * as v from "valibot";
import { defineHealthCheck } from "../../../core/plugin.ts";
import type { HealthResult } from "../../../core/health/types.ts";
import { degradedIf } from "../../../core/health/verdicts.ts";

const configSchema = v.strictObject({
  max_pending: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.description("More alerts than this waiting in the outbox is degraded. Default 100.")),
    100,
  ),
});

/**
 * Warning: alerts reach people. A notifier is degraded from a failed, retried or ambiguous (unknown after timeouts) delivery until a later
 * one succeeds with no new failure; the outbox (subject `outbox`) is degraded while its backlog is over
 * `max_pending`.
 */
export const notifierDeliveryCheck = defineHealthCheck({
  name: "notifier-delivery",
  description: "Warning: notifier deliveries succeed and the alert outbox backlog stays under max_pending",
  severity: "warning",
  config: configSchema,
  setup(ctx) {
    const last = new Map<string, { bad: number; delivered: number; failing: boolean; failures: number }>();
    return {
      check() {
        const stats = ctx.view.alertStats?.();
        if (stats === undefined) return [];
        const out: HealthResult[] = [];
        for (const [id, t] of Object.entries(stats.totals)) {
          const bad = (t.failed ?? 0) + (t.retried ?? 0) + (t.ambiguous ?? 0);
          const delivered = t.delivered ?? 0;
          const prev = last.get(id) ?? { bad: 0, delivered: 0, failing: false, failures: 0 };
          const newBad = bad - prev.bad;
          const failing = newBad > 0 ? true : delivered > prev.delivered ? false : prev.failing;
          const failures = newBad > 0 ? (prev.failing ? prev.failures : 0) + newBad : failing ? prev.failures : 0;
          last.set(id, { bad, delivered, failing, failures });
          out.push(degradedIf(id, failing ? `${failures} failed or retried deliveries, none delivered since (${t.failed ?? 0} failed for good in total)` : undefined));
        }
        const max = ctx.config.max_pending;
        out.push(degradedIf("outbox", stats.pending > max ? `${stats.pending} alerts waiting in the outbox (max_pending ${max})` : undefined));
        return out;
      },
    };
  },
});
