import * as v from "valibot";
import { defineHealthCheck } from "../../../core/plugin.ts";
import type { HealthResult } from "../../../core/health/types.ts";
import { degradedIf } from "../../../core/health/verdicts.ts";

const configSchema = v.strictObject({
  max_age_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.description("A book unchanged for this long is old, ms. Default: [health] max_quote_age_ms (10000).")),
  ),
});

/**
 * Info: books unchanged for longer than `max_quote_age_ms`. A notice, not a failure: a quiet
 * prediction-market book is normal, and the strategies' own gates decide what is usable.
 */
export const quoteAgeCheck = defineHealthCheck({
  name: "quote-age",
  description: "Info: books unchanged for longer than max_quote_age_ms",
  severity: "info",
  config: configSchema,
  setup(ctx) {
    return {
      check(now) {
        const max = ctx.config.max_age_ms ?? ctx.settings.health.maxQuoteAgeMs;
        const old = new Map<string, { count: number; oldest: string; age: number }>();
        for (const book of ctx.store.books()) {
          const age = now - book.tsRecv;
          if (age <= max) continue;
          const o = old.get(book.feed);
          if (o === undefined) old.set(book.feed, { count: 1, oldest: book.instrument, age });
          else {
            o.count++;
            if (age > o.age) {
              o.age = age;
              o.oldest = book.instrument;
            }
          }
        }
        const out: HealthResult[] = [];
        for (const f of ctx.view.feeds()) {
          const o = old.get(f.id);
          out.push(degradedIf(f.id, o === undefined ? undefined : `${o.count} quote(s) older than ${max / 1000} s (oldest ${o.oldest}: ${(o.age / 1000).toFixed(1)} s)`));
        }
        return out;
      },
    };
  },
});
