/**
 * The knobs every built-in strategy shares (SURFACE.md), as valibot schema entries, so users can move
 * between strategies and their own: spread them into a strict object.
 *
 * @example
 * const config = v.strictObject({ ...strategyKnobs, max_spread_bps: v.number() });
 * const opps = createOpportunityTracker(ctx, trackerOptions(ctx.config));
 */
import * as v from "valibot";
import type { Severity } from "../events.ts";

const nonNegative = (what: string) => v.pipe(v.number(), v.finite(), v.minValue(0, `${what} must be 0 or more`));

/** Shared strategy knobs (snake_case, units in the names). */
export const strategyKnobs = {
  /** Feed instance ids the strategy reads. */
  feeds: v.pipe(v.array(v.string()), v.minLength(1, "list at least one feed id"), v.description("feed instance ids to read")),
  /** Venue ids or keys; omitted = all the feeds carry. */
  instruments: v.optional(v.pipe(v.array(v.string()), v.description("venue ids or keys; omitted = all the feeds carry"))),
  /** Net of fees; equality meets it. Default 0. */
  min_edge_bps: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(-10_000), v.description("least edge after fees, bps")), 0),
  /** Most capital a signal may use (SIGNALS.md); omitted = the books' depth only. */
  size_usd: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0, "size_usd must be positive"), v.description("most capital a signal may use, USD"))),
  /** Least capital worth an alert. Default 0. */
  min_size_usd: v.optional(v.pipe(nonNegative("min_size_usd"), v.description("least capital worth an alert, USD")), 0),
  /** How long the edge must hold before an opportunity opens. Default 0. */
  min_duration_ms: v.optional(v.pipe(nonNegative("min_duration_ms"), v.description("debounce before opening, ms")), 0),
  /** No second open alert for the same opportunity within this time. Default 0. */
  cooldown_ms: v.optional(v.pipe(nonNegative("cooldown_ms"), v.description("least time between two alerts of one opportunity, ms")), 0),
  /** Severity of the alerts. Default `info`. */
  severity: v.optional(v.picklist(["info", "warning", "critical"]), "info"),
} as const;

/**
 * The knobs of condition alerts (no sizing, no edge): feeds, instruments, debounce, cooldown, severity.
 *
 * @example
 * const config = v.strictObject({ ...alertKnobs, window_ms: v.number() });
 */
export const alertKnobs = {
  feeds: strategyKnobs.feeds,
  instruments: strategyKnobs.instruments,
  min_duration_ms: strategyKnobs.min_duration_ms,
  cooldown_ms: strategyKnobs.cooldown_ms,
  severity: strategyKnobs.severity,
} as const;

/** The parsed shared knobs. */
export interface StrategyKnobs {
  readonly feeds: readonly string[];
  readonly instruments?: readonly string[] | undefined;
  readonly min_edge_bps: number;
  readonly size_usd?: number | undefined;
  readonly min_size_usd: number;
  readonly min_duration_ms: number;
  readonly cooldown_ms: number;
  readonly severity: Severity;
}

/** Tracker options from the shared knobs. */
export function trackerOptions(c: Pick<StrategyKnobs, "min_duration_ms" | "cooldown_ms" | "severity">): {
  minDurationMs: number;
  cooldownMs: number;
  severity: Severity;
} {
  return { minDurationMs: c.min_duration_ms, cooldownMs: c.cooldown_ms, severity: c.severity };
}

/** Size limits (core/signals) from the shared knobs. */
export function sizeLimits(c: Pick<StrategyKnobs, "min_edge_bps" | "size_usd" | "min_size_usd">): {
  minEdgeBps: number;
  sizeUsd?: number;
  minSizeUsd: number;
} {
  return { minEdgeBps: c.min_edge_bps, ...(c.size_usd === undefined ? {} : { sizeUsd: c.size_usd }), minSizeUsd: c.min_size_usd };
}

/**
 * The `instruments` knob as a test of one instrument: true when the knob is omitted, or when its venue
 * id or its key is listed.
 *
 * @example
 * const wants = instrumentFilter(c.instruments);
 * if (!wants(book.instrument, book.key)) return;
 */
export function instrumentFilter(instruments: readonly string[] | undefined): (id: string, key: string) => boolean {
  if (instruments === undefined) return () => true;
  const wanted = new Set(instruments);
  return (id, key) => wanted.has(id) || wanted.has(key);
}
