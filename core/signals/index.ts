/**
 * Signal arithmetic (SIGNALS.md) and the strategy helpers built on it: fee models, book walking,
 * executable size q* per kind, shared config knobs, and plain gated alerts. The reference functions
 * the tests compare against are exported from `edgewatch/testing`.
 */
export { type BpsFee, type CurveFee, type FeeModel, type MinSideFee, bpsFee, curveFee, feePerUnit, minSideFee, noFee } from "./fees.ts";
export { type LegInput, type TradeSide, bookSideOf, legDepth, usableLevel, walkLeg } from "./walk.ts";
export { type Binding, type Objective, type SolvedSize, buyAllObjective, solveSize, splitSellObjective, twoVenueObjective } from "./solve.ts";
export {
  type NoSignalReason,
  type SizedSignal,
  type SizeLimits,
  type SolveResult,
  solveBuyAll,
  solveSplitSell,
  solveTwoVenue,
} from "./kinds.ts";
export { type LevelBookOptions, levelBook } from "./level-book.ts";
export { type StrategyKnobs, sizeLimits, strategyKnobs, trackerOptions } from "./knobs.ts";
export { type Alerter, type AlerterOptions, type AlertContent, createAlerter } from "./alerter.ts";
export { describeLeg, describeOpportunity, opportunityName } from "./describe.ts";
