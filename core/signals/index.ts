/**
 * Signal arithmetic (SIGNALS.md): fee models, book walking, executable size q* per kind, and the
 * independent reference functions the tests compare against.
 */
export { type BpsFee, type CurveFee, type FeeModel, bpsFee, curveFee, feePerUnit, noFee } from "./fees.ts";
export { type LegInput, type TradeSide, bookSideOf, legDepth, usableLevel, walkLeg } from "./walk.ts";
export { type Binding, type Objective, type SolvedSize, solveSize } from "./solve.ts";
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
export {
  type RefLeg,
  type RefLevels,
  type RefLimits,
  type RefSignal,
  refBuyAll,
  refSplitSell,
  refTwoVenue,
  refWalk,
} from "./reference.ts";
