/**
 * Default alert wording for an opportunity: a title with the edge and size, one line per leg of the
 * execution plan. Pure; strategies may pass their own title and text instead.
 */
import type { Opportunity, OpportunityLeg } from "../events.ts";

function num(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(8)).toString() : String(x);
}

/** `buy 120 yes-token on pm @ 0.41 (worst 0.42, fee $0.12)`. */
export function describeLeg(l: OpportunityLeg): string {
  return `${l.side} ${num(l.size)} ${l.instrument} on ${l.feed} @ ${num(l.vwap)} (worst ${num(l.worstPrice)}, fee $${l.feeUsd.toFixed(2)})`;
}

/** What an opportunity is about, in a few words: its market, event or key, else its first instrument. */
export function opportunityName(o: Opportunity): string {
  const d = o.details ?? {};
  for (const k of ["market", "event", "key"]) if (typeof d[k] === "string" && d[k] !== "") return d[k] as string;
  const first = o.legs[0]?.instrument ?? "";
  return o.legs.length > 2 ? `${first} +${o.legs.length - 1}` : first;
}

/** Title and text of an opportunity alert. */
export function describeOpportunity(o: Opportunity): { title: string; text: string } {
  const title = `${o.kind} ${opportunityName(o)}: ${o.edgeBps.toFixed(1)} bps on $${o.sizeUsd.toFixed(2)} (profit $${o.profitUsd.toFixed(2)})`;
  // The title already says what and how much: the text adds the plan, leg by leg, and who found it.
  const text = [...o.legs.map(describeLeg), `strategy ${o.strategy}`].join("\n");
  return { title, text };
}
