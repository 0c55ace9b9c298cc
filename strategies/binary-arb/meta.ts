/**
 * Market metadata for binary-arb, read from `market.new` `meta` (pure). The prediction feed passes the
 * venue's market fields through in its own casing (Gamma names): `feesEnabled`, `feeSchedule
 * {rate, exponent}`, `feeType`, `orderMinSize`, `negRisk`, `negRiskMarketID`, `negRiskAugmented`,
 * `negRiskOther`, and `eventMarketCount` (how many markets the event has, so completeness can be proven).
 * Numbers may arrive as strings (the CLOB socket sends strings); both are accepted.
 */
import type { MarketNew } from "../../core/events.ts";
import { type FeeModel, curveFee } from "../../core/signals/fees.ts";

/** Documented taker rates per fee type (Polymarket fees page, 2026-07-30), exponent 1. */
export const documentedTakerRates: Readonly<Record<string, number>> = {
  crypto_fees: 0.07,
  sports_fees: 0.05,
  finance_fees: 0.04,
  politics_fees: 0.04,
  mentions_fees: 0.04,
  tech_fees: 0.04,
  economics_fees: 0.05,
  culture_fees: 0.05,
  weather_fees: 0.05,
  other_fees: 0.05,
  geopolitics_fees: 0,
};

/** What binary-arb knows about one binary market. */
export interface MarketInfo {
  readonly id: string;
  readonly feed: string;
  readonly name: string;
  readonly yes: string;
  readonly no: string;
  /** Undefined: fees are enabled but no rate is known (`fee_unknown`). */
  readonly fee: FeeModel | undefined;
  readonly minOrderSize: number;
  /** The negRisk event it belongs to, when it does. */
  readonly event?: NegRiskInfo;
  readonly url?: string;
}

/** A market's place in a negRisk event. */
export interface NegRiskInfo {
  readonly id: string;
  /** Markets in the event, when the feed says; unknown = completeness cannot be proven. */
  readonly size: number | undefined;
  /** The event is augmented (not exhaustive). */
  readonly augmented: boolean;
  /** This outcome is a placeholder "Other". */
  readonly other: boolean;
}

function num(x: unknown): number | undefined {
  if (typeof x === "number" && Number.isFinite(x)) return x;
  if (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))) return Number(x);
  return undefined;
}

function bool(x: unknown): boolean | undefined {
  if (typeof x === "boolean") return x;
  if (x === "true") return true;
  if (x === "false") return false;
  return undefined;
}

/**
 * The fee model from metadata: fees disabled → 0; a schedule → its curve; enabled without schedule →
 * the documented rate of its fee type; otherwise `fallback` (config), else undefined (unknown).
 */
export function feeFromMeta(meta: Readonly<Record<string, unknown>>, fallback: FeeModel | undefined): FeeModel | undefined {
  const enabled = bool(meta.feesEnabled ?? meta.fees_enabled);
  if (enabled === false) return curveFee(0, 1);
  const schedule = (meta.feeSchedule ?? meta.fee_schedule) as Record<string, unknown> | null | undefined;
  if (schedule !== null && typeof schedule === "object") {
    const rate = num(schedule.rate);
    const exponent = num(schedule.exponent) ?? 1;
    if (rate !== undefined) return curveFee(rate, exponent);
  }
  if (enabled === true) {
    const type = meta.feeType ?? meta.fee_type;
    const rate = typeof type === "string" ? documentedTakerRates[type] : undefined;
    return rate === undefined ? undefined : curveFee(rate, 1);
  }
  return fallback;
}

/** A binary market from a `market.new` event, or undefined when it is not a two-outcome market. */
export function marketFromNew(m: MarketNew, fallbackFee: FeeModel | undefined): MarketInfo | undefined {
  if (m.instruments.length !== 2) return undefined;
  const meta = m.meta ?? {};
  const negRisk = bool(meta.negRisk ?? meta.neg_risk) === true;
  const eventId = meta.negRiskMarketID ?? meta.neg_risk_market_id;
  const event: NegRiskInfo | undefined =
    negRisk && typeof eventId === "string" && eventId !== ""
      ? {
          id: eventId,
          size: num(meta.eventMarketCount),
          augmented: bool(meta.negRiskAugmented) === true,
          other: bool(meta.negRiskOther) === true,
        }
      : undefined;
  return {
    id: m.instrument,
    feed: m.feed,
    name: m.slug ?? m.question,
    yes: m.instruments[0]!,
    no: m.instruments[1]!,
    fee: feeFromMeta(meta, fallbackFee),
    minOrderSize: num(meta.orderMinSize ?? meta.min_order_size) ?? 0,
    ...(event === undefined ? {} : { event }),
  };
}
