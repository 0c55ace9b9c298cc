/**
 * What cross-platform knows about one venue market, from its feed's `market.new` (pure). Feeds of
 * prediction venues put a venue-free `feeModel` (core/signals `FeeModel`) and `minOrderSize` in `meta`;
 * Polymarket's Gamma fields (`feesEnabled`, `feeSchedule`, `feeType`, `orderMinSize`) are read as
 * binary-arb reads them.
 */
import type { MarketNew } from "../../core/events.ts";
import { type FeeModel, bpsFee, curveFee, minSideFee } from "../../core/signals/fees.ts";
import { feeFromMeta } from "../binary-arb/meta.ts";
import type { CrossPlatformConfig } from "./config.ts";

/** One binary market of one feed. */
export interface VenueMarket {
  readonly feed: string;
  readonly market: string;
  readonly yes: string;
  readonly no: string;
  /** Undefined: the venue charges a fee nobody told us (`fee_unknown`). */
  readonly fee: FeeModel | undefined;
  readonly minOrderSize: number;
  readonly question: string;
}

function num(x: unknown): number | undefined {
  if (typeof x === "number" && Number.isFinite(x)) return x;
  if (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))) return Number(x);
  return undefined;
}

/** A `FeeModel` written in `meta.feeModel`, when it is one. */
export function feeModelOf(x: unknown): FeeModel | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const m = x as Record<string, unknown>;
  const rate = num(m.rate);
  if (m.kind === "curve" && rate !== undefined) return curveFee(rate, num(m.exponent) ?? 1);
  if (m.kind === "min_side" && rate !== undefined) return minSideFee(rate);
  const bps = num(m.bps);
  if (m.kind === "bps" && bps !== undefined) return bpsFee(bps);
  return undefined;
}

/** The fee of a feed from the strategy's `fees` table, when it names the feed. */
export function configuredFee(c: Pick<CrossPlatformConfig, "fees">, feed: string): FeeModel | undefined {
  const f = c.fees[feed];
  if (f === undefined) return undefined;
  switch (f.model) {
    case "curve":
      return curveFee(f.rate, f.exponent);
    case "min_side":
      return minSideFee(f.rate);
    case "bps":
      return bpsFee(f.rate);
  }
}

/** A binary market from `market.new`, or undefined when it does not have exactly two instruments. */
export function venueMarketOf(m: MarketNew, override: FeeModel | undefined): VenueMarket | undefined {
  if (m.instruments.length !== 2) return undefined;
  const meta = m.meta ?? {};
  const fee = override ?? feeModelOf(meta.feeModel) ?? feeFromMeta(meta, undefined);
  return {
    feed: m.feed,
    market: m.instrument,
    yes: m.instruments[0]!,
    no: m.instruments[1]!,
    fee,
    minOrderSize: num(meta.minOrderSize ?? meta.orderMinSize ?? meta.min_order_size) ?? 0,
    question: m.question,
  };
}
