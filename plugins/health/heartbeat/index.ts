import * as v from "valibot";
import { defineHealthCheck } from "../../../core/plugin.ts";
import type { HealthResult } from "../../../core/health/types.ts";
import { degradedIf, firstSeen } from "../../../core/health/verdicts.ts";

const configSchema = v.strictObject({
  timeout_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.description("No message (data or heartbeat reply) for this long is degraded, ms. Default: [health] heartbeat_timeout_ms (30000).")),
  ),
});

/**
 * Warning: every feed hears from its venue. Degraded when nothing (data, pong) arrived for the timeout,
 * whatever the socket says: an open socket that went quiet is the failure this catches.
 */
export const heartbeatCheck = defineHealthCheck({
  name: "heartbeat",
  description: "Warning: each feed received a message within heartbeat_timeout_ms",
  severity: "warning",
  config: configSchema,
  setup(ctx) {
    const since = firstSeen();
    return {
      check(now) {
        const timeout = ctx.config.timeout_ms ?? ctx.settings.health.heartbeatTimeoutMs;
        const out: HealthResult[] = [];
        for (const f of ctx.view.feeds()) {
          const age = f.lastMessageAgeMs ?? now - since(f.id, now);
          out.push(degradedIf(f.id, age > timeout ? `no message for ${Math.round(age / 1000)} s (heartbeat_timeout_ms ${timeout})` : undefined));
        }
        return out;
      },
    };
  },
});
