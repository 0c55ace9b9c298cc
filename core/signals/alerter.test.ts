import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { defineStrategy } from "../plugin.ts";
import { testStrategy } from "../testing.ts";
import { type Alerter, type AlerterOptions, createAlerter } from "./alerter.ts";

async function withAlerter(options: AlerterOptions) {
  let alerter: Alerter | undefined;
  const plugin = defineStrategy({
    name: "al",
    description: "alerter test",
    config: v.strictObject({}),
    setup(ctx) {
      alerter = createAlerter(ctx, options);
      return {};
    },
  });
  const h = await testStrategy(plugin, {}, { live: ["a"] });
  h.book("a", "X", { bids: [[99, 1]], asks: [[101, 1]] });
  return { h, a: alerter! };
}
const legs = [{ feed: "a", instrument: "X" }];
const content = { title: "t", text: "x" };

describe("createAlerter", () => {
  it("does fire with a stable key, the data age, and hold repeats within the cooldown", async () => {
    const { h, a } = await withAlerter({ cooldownMs: 1000, severity: "warning" });
    h.advance(40);
    expect(a.fire("k", legs, content)).toBe(true);
    expect(a.fire("k", legs, content)).toBe(false);
    h.advance(1000);
    expect(a.fire("k", legs, content)).toBe(true);
    expect(h.alerts.map((x) => [x.key, x.severity, x.dataAgeMs])).toEqual([["al:k", "warning", 40], ["al:k", "warning", 1040]]);
    await h.stop();
  });

  it("does refuse and count a fire on a leg that is not fresh", async () => {
    const { h, a } = await withAlerter({});
    expect(a.fire("k", [{ feed: "a", instrument: "nope" }], content)).toBe(false);
    expect(a.stats().suppressed).toEqual({ no_book: 1 });
    await h.stop();
  });

  it("does alert on a condition only after it held minDurationMs, and cancel when it stops holding", async () => {
    const { h, a } = await withAlerter({ minDurationMs: 100, alertOnClear: true });
    a.condition("c", legs, true, () => content);
    h.advance(50);
    a.condition("c", legs, false, () => content);
    h.advance(100);
    expect(h.alerts).toHaveLength(0);
    a.condition("c", legs, true, () => content);
    h.advance(100);
    expect(a.active()).toEqual(["c"]);
    h.advance(400);
    a.condition("c", legs, false, () => content);
    expect(h.alerts.map((x) => [x.title, x.data?.durationMs])).toEqual([["t", undefined], ["cleared: t", 500]]);
    await h.stop();
  });
});
