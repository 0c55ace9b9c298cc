import { describe, expect, it } from "bun:test";
import type { Opportunity, OpportunityLeg } from "../events.ts";
import { describeOpportunity, opportunityName } from "./describe.ts";

const leg = (instrument: string): OpportunityLeg => ({ feed: "f", instrument, key: instrument, side: "buy", size: 2, vwap: 0.4, worstPrice: 0.41, feeUsd: 0.012, notionalUsd: 0.8 });
const opp = (legs: OpportunityLeg[], details?: Record<string, unknown>): Opportunity => ({
  id: "s:k:x", strategy: "s", kind: "buy_both", legs, edgeBps: 12.345, sizeUsd: 100, profitUsd: 0.12345, peakEdgeBps: 12.345, openedAt: 0, updatedAt: 0, severity: "info",
  ...(details === undefined ? {} : { details }),
});

describe("describeOpportunity", () => {
  it("does title with the name, edge, size and profit and list every leg", () => {
    const d = describeOpportunity(opp([leg("Y"), leg("N")], { market: "fed-cut" }));
    expect(d.title).toBe("buy_both fed-cut: 12.3 bps on $100.00 (profit $0.12)");
    expect(d.text.split("\n")).toEqual(["buy 2 Y on f @ 0.4 (worst 0.41, fee $0.01)", "buy 2 N on f @ 0.4 (worst 0.41, fee $0.01)", "strategy s"]);
  });
  it("does name many legs by the first and a count", () => {
    expect(opportunityName(opp([leg("A"), leg("B"), leg("C")]))).toBe("A +2");
  });
});
