import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { createOpportunityTracker, subjectOf } from "./opportunities.ts";
import { defineStrategy } from "./plugin.ts";
import { bpsFee } from "./signals/fees.ts";
import { solveTwoVenue } from "./signals/kinds.ts";
import { sizeLimits, strategyKnobs, trackerOptions } from "./signals/knobs.ts";
import { levelBook } from "./signals/level-book.ts";

// Type-level tests: `bun test` runs them, `tsc` (CI's type check) proves the @ts-expect-error lines fail.
describe("strategy API types", () => {
  it("infers the config from the schema and takes solver results as outcomes", () => {
    const plugin = defineStrategy({
      name: "t",
      description: "types",
      config: v.strictObject({ ...strategyKnobs, depth: v.number() }),
      setup(ctx) {
        const depth: number = ctx.config.depth;
        const feeds: readonly string[] = ctx.config.feeds;
        // @ts-expect-error: a knob that does not exist is a compile error
        void ctx.config.min_edge;
        const opps = createOpportunityTracker(ctx, trackerOptions(ctx.config));
        const book = levelBook({ bids: [[1, 1]], asks: [[1, 1]] });
        const buy = { book, side: "buy" as const, fee: bpsFee(1) };
        const sell = { book, side: "sell" as const, fee: bpsFee(1) };
        opps.evaluate(subjectOf("pair", [buy, sell]), solveTwoVenue(buy, sell, sizeLimits(ctx.config)));
        // @ts-expect-error: an outcome is a solver result, not a bare number
        opps.evaluate(subjectOf("pair", [buy, sell]), 12);
        // @ts-expect-error: suppression reasons are a closed set
        opps.suppress(subjectOf("pair", [buy, sell]), "because");
        void depth;
        void feeds;
        return {};
      },
    });
    expect(plugin.kind).toBe("strategy");
  });
});
