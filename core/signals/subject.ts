/** The identity of an opportunity: strategy + kind + legs (venue, instrument, side). */
import type { LegRef } from "./gate.ts";

/** What an opportunity is about: its kind and its legs (venue, instrument, side). Its identity. */
export interface Subject {
  /** `buy_all`, `split_sell`, `negrisk`, `perp_spread`…: shown in `/api/opportunities`. */
  readonly kind: string;
  readonly legs: readonly (LegRef & { readonly side: "buy" | "sell" })[];
}

/** Identity: strategy + kind + legs; long identities (negRisk events) are hashed to stay readable. */
export function opportunityId(strategy: string, subject: Subject): string {
  const legs = subject.legs.map((l) => `${l.side}:${l.feed}:${l.instrument}`).join("|");
  const full = `${strategy}:${subject.kind}:${legs}`;
  return full.length <= 160 ? full : `${strategy}:${subject.kind}:${Bun.hash(legs).toString(16)}`;
}

/**
 * A subject from solver legs (each with a `book` and a `side`).
 *
 * @example
 * const legs = [{ book: yes, side: "buy", fee }, { book: no, side: "buy", fee }] as const;
 * opps.evaluate(subjectOf("buy_all", legs), solveBuyAll(legs, limits));
 */
export function subjectOf(kind: string, legs: readonly { readonly book: LegRef; readonly side: "buy" | "sell" }[]): Subject {
  return { kind, legs: legs.map((l) => ({ feed: l.book.feed, instrument: l.book.instrument, side: l.side })) };
}
