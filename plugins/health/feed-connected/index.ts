import * as v from "valibot";
import { defineHealthCheck } from "../../../core/plugin.ts";
import type { FeedState } from "../../../core/events.ts";
import type { HealthResult } from "../../../core/health/types.ts";

const configSchema = v.strictObject({
  grace_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(0), v.description("How long a feed may be connecting, reconnecting or stale before it counts as down, ms. Default 10000.")),
    10_000,
  ),
});

/**
 * States in which a feed is not delivering but may come back by itself (within the grace). `stopped` is
 * one: a reload restarts a changed feed through it.
 */
const transient: ReadonlySet<FeedState> = new Set(["connecting", "reconnecting", "stale", "stopped"]);

/**
 * Critical: every feed is connected. A feed that stays connecting, reconnecting, stale or stopped longer
 * than `grace_ms` is down, and a faulted one at once; live and degraded feeds are ok.
 */
export const feedConnectedCheck = defineHealthCheck({
  name: "feed-connected",
  description: "Critical: each feed is connected (down when faulted, or not live for grace_ms)",
  severity: "critical",
  config: configSchema,
  setup(ctx) {
    const notLiveSince = new Map<string, number>();
    return {
      check(now) {
        const out: HealthResult[] = [];
        for (const f of ctx.view.feeds()) {
          if (f.state === "live" || f.state === "degraded") {
            notLiveSince.delete(f.id);
            out.push({ subject: f.id, status: "ok", reason: "" });
            continue;
          }
          const since = notLiveSince.get(f.id) ?? now;
          notLiveSince.set(f.id, since);
          const why = f.reasons.length > 0 ? `: ${f.reasons.join("; ")}` : "";
          if (!transient.has(f.state)) {
            out.push({ subject: f.id, status: "down", reason: `feed is ${f.state}${why}` });
          } else if (now - since > ctx.config.grace_ms) {
            out.push({ subject: f.id, status: "down", reason: `feed ${f.state} for ${Math.round((now - since) / 1000)} s (grace_ms ${ctx.config.grace_ms})${why}` });
          } else {
            out.push({ subject: f.id, status: "ok", reason: `${f.state} within grace` });
          }
        }
        const ids = new Set(ctx.view.feeds().map((f) => f.id));
        for (const id of notLiveSince.keys()) if (!ids.has(id)) notLiveSince.delete(id);
        return out;
      },
    };
  },
});
