import { describe, expect, it } from "bun:test";
import { Bus } from "../bus.ts";
import type { Opportunity } from "../events.ts";
import { createOpportunityLedger } from "./ledger.ts";

const opp = (id: string, strategy: string, profitUsd: number): Opportunity => ({
  id, strategy, kind: "k", legs: [], edgeBps: 10, sizeUsd: 100, profitUsd, peakEdgeBps: 10, openedAt: 0, updatedAt: 0, severity: "info",
});

describe("createOpportunityLedger", () => {
  it("does follow opens, updates and closes, rank by profit, and count suppressions per strategy and reason", () => {
    const bus = new Bus();
    const ledger = createOpportunityLedger(bus);
    bus.emit("opportunity.open", opp("a", "s1", 1));
    bus.emit("opportunity.open", opp("b", "s2", 5));
    bus.emit("opportunity.update", opp("a", "s1", 9));
    bus.emit("opportunity.open", opp("c", "s1", 2));
    bus.emit("opportunity.close", { ...opp("c", "s1", 2), closedAt: 1, durationMs: 1, reason: "edge_gone" });
    for (const reason of ["stale", "stale", "crossed"] as const) bus.emit("signal.suppressed", { strategy: "s1", reason, subject: "x", ts: 0 });
    expect(ledger.opportunities().map((o) => o.id)).toEqual(["a", "b"]);
    expect(ledger.stats()).toEqual({
      open: { s1: 1, s2: 1 },
      suppressed: [
        { strategy: "s1", reason: "stale", count: 2 },
        { strategy: "s1", reason: "crossed", count: 1 },
      ],
    });
    ledger.stop();
    bus.emit("opportunity.open", opp("d", "s1", 1));
    expect(ledger.opportunities()).toHaveLength(2);
  });
});
