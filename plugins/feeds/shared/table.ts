/**
 * Pieces of the `[feeds.<id>]` tables several feeds share: the fee keys of fee-per-notional venues and
 * the "listed more than once" cross-field check.
 */
import * as v from "valibot";

/**
 * `taker_fee_bps` (≥ 0) and `maker_fee_bps` (negative = rebate), bps of notional, with the venue's
 * documented defaults; spread into a feed's strict table.
 *
 * @example
 * const table = v.strictObject({ ...wsConfigEntries, ...notionalFeeEntries(5, 2) });
 */
export function notionalFeeEntries(takerDefaultBps: number, makerDefaultBps: number) {
  return {
    taker_fee_bps: v.optional(v.pipe(v.number(), v.minValue(0), v.description(`Taker fee, bps of notional (default ${takerDefaultBps})`)), takerDefaultBps),
    maker_fee_bps: v.optional(v.pipe(v.number(), v.description(`Maker fee, bps of notional, negative = rebate (default ${makerDefaultBps})`)), makerDefaultBps),
  };
}

/**
 * The problem of a list naming an entry more than once (each repeated entry named once), or none.
 *
 * @example
 * problems.push(...listedTwice("instruments", ["A", "B", "A"])); // "instruments lists A more than once"
 */
export function listedTwice(key: string, list: readonly string[]): string[] {
  const dup = list.filter((x, i) => list.indexOf(x) !== i);
  return dup.length > 0 ? [`${key} lists ${[...new Set(dup)].join(", ")} more than once`] : [];
}
