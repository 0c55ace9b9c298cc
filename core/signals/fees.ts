/**
 * Taker fee models (SIGNALS.md). A fee is USD added to a cost or taken from proceeds, per level filled,
 * with no rounding. Within one level the price is constant, so a level's fee is linear in the amount
 * taken: `fee = amount × feePerUnit(model, price)`. That keeps every walked cost piecewise linear.
 */

/** Perp venues: `notional × bps / 10⁴`. */
export interface BpsFee {
  readonly kind: "bps";
  /** Taker fee in basis points of notional. */
  readonly bps: number;
}

/** Prediction markets: `shares × rate × (p × (1 − p))^exponent`. */
export interface CurveFee {
  readonly kind: "curve";
  /** The schedule's rate (0 when the market has fees disabled). */
  readonly rate: number;
  readonly exponent: number;
}

/**
 * Prediction markets that charge on the cheaper side: `shares × rate × min(p, 1 − p)` (a buy's fee in USD;
 * symmetric, so buying NO at 1 − p costs the same as selling YES at p).
 */
export interface MinSideFee {
  readonly kind: "min_side";
  readonly rate: number;
}

/** A fee model for one leg. */
export type FeeModel = BpsFee | CurveFee | MinSideFee;

/** No fee. */
export const noFee: FeeModel = Object.freeze({ kind: "bps", bps: 0 });

/**
 * A fee of `bps` basis points of notional.
 *
 * @example
 * const okxTaker = bpsFee(5); // 0.05 %
 */
export function bpsFee(bps: number): BpsFee {
  return { kind: "bps", bps };
}

/**
 * A prediction-market fee curve `shares × rate × (p × (1 − p))^exponent`.
 *
 * @example
 * const fee = curveFee(0.25, 2);
 */
export function curveFee(rate: number, exponent: number): CurveFee {
  return { kind: "curve", rate, exponent };
}

/**
 * A fee of `shares × rate × min(p, 1 − p)`.
 *
 * @example
 * const fee = minSideFee(0.005); // 0.5 % of the cheaper side
 */
export function minSideFee(rate: number): MinSideFee {
  return { kind: "min_side", rate };
}

/** Fee in USD for one base unit filled at `price`. */
export function feePerUnit(model: FeeModel, price: number): number {
  if (model.kind === "bps") return (price * model.bps) / 1e4;
  if (model.kind === "min_side") return model.rate * Math.min(price, 1 - price);
  if (model.rate === 0) return 0;
  return model.rate * Math.pow(price * (1 - price), model.exponent);
}
