/**
 * Staleness gating (SIGNALS.md), in core so no strategy has to remember it: a leg may be used only
 * while `store.fresh(feed, instrument)` says so. Suppressions are counted per reason, once per episode
 * (a would-be signal that becomes suppressed counts 1 until it is usable again), and announced on the
 * bus as `signal.suppressed` so metrics (`edgewatch_signals_suppressed_total{strategy,reason}`) read
 * one stream for every strategy.
 */
import type { ScopedBus } from "../bus.ts";
import type { Clock } from "../clock.ts";
import type { MarketStore, SuppressionReason } from "../market.ts";

/** A would-be signal was held back. */
export interface SignalSuppressed {
  /** Strategy instance id. */
  readonly strategy: string;
  readonly reason: SuppressionReason;
  /** What was held back: an opportunity id or the strategy's own subject key. */
  readonly subject: string;
  readonly ts: number;
}

declare module "../events.ts" {
  interface EventMap {
    "signal.suppressed": SignalSuppressed;
  }
}

/** A leg to check: where its book or quote lives. */
export interface LegRef {
  readonly feed: string;
  readonly instrument: string;
  /** Check only the feed's state (trades of an instrument without a book). */
  readonly feedOnly?: boolean;
}

/** The verdict on a set of legs. */
export interface LegCheck {
  /** First reason found, or undefined when every leg may be used. */
  readonly reason: SuppressionReason | undefined;
  /** Every reason found, across legs, without repeats. */
  readonly reasons: readonly SuppressionReason[];
  /** Age of the oldest leg's data, ms (alerts carry it as `dataAgeMs`). */
  readonly ageMs: number;
}

/**
 * Checks every leg with `store.fresh`.
 *
 * @example
 * const c = checkLegs(ctx.store, [{ feed: "venue_a", instrument: "BTC-USDT-SWAP" }]);
 * if (c.reason !== undefined) return; // stale, resyncing, crossed, feed_down, late, no_book
 */
export function checkLegs(store: MarketStore, legs: readonly LegRef[]): LegCheck {
  let reasons: SuppressionReason[] | undefined;
  let ageMs = 0;
  for (const leg of legs) {
    if (leg.feedOnly === true) {
      const state = store.feedState(leg.feed);
      if (state === "live" || state === "degraded") continue;
      reasons ??= [];
      if (!reasons.includes("feed_down")) reasons.push("feed_down");
      continue;
    }
    const f = store.fresh(leg.feed, leg.instrument);
    if (f.ageMs > ageMs) ageMs = f.ageMs;
    if (f.ok) continue;
    reasons ??= [];
    for (const r of f.reasons) if (!reasons.includes(r)) reasons.push(r);
    if (f.reasons.length === 0 && !reasons.includes("stale")) reasons.push("stale");
  }
  return { reason: reasons?.[0], reasons: reasons ?? [], ageMs };
}

/** Counts suppressions of one strategy by reason, once per episode per subject. */
export interface SuppressionCounter {
  /**
   * Records that `subject` is held back for `reasons`; each reason counts (and is announced) only when
   * it starts. Returns the first reason, for convenience.
   */
  suppress(subject: string, reasons: readonly SuppressionReason[]): SuppressionReason | undefined;
  /** The subject is usable again (or its edge is gone): its next suppression counts anew. */
  clear(subject: string): void;
  /** Totals by reason since start. */
  counts(): Readonly<Partial<Record<SuppressionReason, number>>>;
}

/**
 * A suppression counter for one strategy instance.
 *
 * @example
 * const suppressed = createSuppressionCounter(ctx);
 * const c = checkLegs(ctx.store, legs);
 * if (c.reason !== undefined) { suppressed.suppress("BTC", c.reasons); return; }
 * suppressed.clear("BTC");
 */
export function createSuppressionCounter(ctx: { readonly id: string; readonly bus: ScopedBus; readonly clock: Clock }): SuppressionCounter {
  const active = new Map<string, Set<SuppressionReason>>();
  const totals: Partial<Record<SuppressionReason, number>> = {};
  return {
    suppress(subject, reasons) {
      let set = active.get(subject);
      if (set === undefined) {
        set = new Set();
        active.set(subject, set);
      }
      for (const reason of reasons) {
        if (set.has(reason)) continue;
        set.add(reason);
        totals[reason] = (totals[reason] ?? 0) + 1;
        ctx.bus.emit("signal.suppressed", { strategy: ctx.id, reason, subject, ts: ctx.clock.now() });
      }
      return reasons[0];
    },
    clear(subject) {
      active.delete(subject);
    },
    counts: () => ({ ...totals }),
  };
}
