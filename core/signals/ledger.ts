/**
 * The bot-wide view of opportunities and suppressions, kept from the bus alone (a side tap: it owns no
 * strategy state). The runtime creates one; `/api/opportunities`, `RuntimeView.opportunities()` and the
 * metrics `edgewatch_opportunities_open{strategy}` and `edgewatch_signals_suppressed_total{strategy,reason}`
 * read it.
 */
import type { Bus, Unsubscribe } from "../bus.ts";
import type { Opportunity } from "../events.ts";
import type { SignalSuppressed } from "./gate.ts";

/** Counters for metrics. */
export interface LedgerStats {
  /** Open opportunities per strategy id. */
  readonly open: Readonly<Record<string, number>>;
  /** Suppressions per strategy id and reason, since start. */
  readonly suppressed: readonly { readonly strategy: string; readonly reason: string; readonly count: number }[];
}

/** Open opportunities and suppression counts of every strategy. */
export interface OpportunityLedger {
  /** Open opportunities, most profitable first. */
  opportunities(): Opportunity[];
  stats(): LedgerStats;
  /** Stops listening. */
  stop(): void;
}

/**
 * Follows `opportunity.*` and `signal.suppressed` on the bus.
 *
 * @example
 * const ledger = createOpportunityLedger(bus);
 * view.opportunities = () => ledger.opportunities();
 */
export function createOpportunityLedger(bus: Bus, owner = "ledger"): OpportunityLedger {
  const open = new Map<string, Opportunity>();
  const suppressed = new Map<string, { strategy: string; reason: string; count: number }>();
  const offs: Unsubscribe[] = [
    bus.on("opportunity.open", (o) => open.set(o.id, o), owner),
    bus.on("opportunity.update", (o) => open.set(o.id, o), owner),
    bus.on("opportunity.close", (o) => open.delete(o.id), owner),
    bus.on(
      "signal.suppressed",
      (s: SignalSuppressed) => {
        const k = `${s.strategy}\u0000${s.reason}`;
        const row = suppressed.get(k);
        if (row === undefined) suppressed.set(k, { strategy: s.strategy, reason: s.reason, count: 1 });
        else row.count++;
      },
      owner,
    ),
  ];
  return {
    opportunities: () => [...open.values()].sort((a, b) => b.profitUsd - a.profitUsd),
    stats() {
      const perStrategy: Record<string, number> = {};
      for (const o of open.values()) perStrategy[o.strategy] = (perStrategy[o.strategy] ?? 0) + 1;
      return { open: perStrategy, suppressed: [...suppressed.values()].map((r) => ({ ...r })) };
    },
    stop() {
      for (const off of offs) off();
    },
  };
}
