import { describe, expect, it } from "bun:test";
import { type MarketTokens, SubscriptionUnits } from "./units.ts";

const markets: Record<string, MarketTokens> = {};
for (const c of ["a", "b"]) {
  const m = { conditionId: c, clobTokenIds: [`${c}Y`, `${c}N`] };
  markets[`${c}Y`] = m;
  markets[`${c}N`] = m;
}
const marketOf = (t: string) => markets[t];

describe("SubscriptionUnits", () => {
  it("makes one unit of a market's two tokens and lone units of the rest", () => {
    const u = new SubscriptionUnits();
    expect(u.add(["aY", "aN", "bY", "x"], marketOf)).toEqual(["m:a", "bY", "x"]);
    expect(u.tokensOf(["m:a", "x"])).toEqual(["aY", "aN", "x"]);
    expect(u.add(["aY", "bN"], marketOf)).toEqual(["bN"]); // aY already subscribed; bN alone (bY is its own unit)
    expect(u.tokenCount).toBe(5);
  });

  it("drops whole units and hands back the partner that stays", () => {
    const u = new SubscriptionUnits();
    u.add(["aY", "aN", "bY", "bN"], marketOf);
    const r = u.remove(["aN", "bY", "bN"]);
    expect(r).toEqual({ units: ["m:a", "m:b"], keep: ["aY"] });
    expect(u.tokensOf(r.units)).toEqual(["aY", "aN", "bY", "bN"]); // still encodable until forgotten
    u.forget(r.units);
    expect(u.tokens()).toEqual([]);
    expect(u.add(r.keep, () => undefined)).toEqual(["aY"]);
    expect(u.has("aY")).toBe(true);
  });
});
