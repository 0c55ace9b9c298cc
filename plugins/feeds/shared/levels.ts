/**
 * Book levels sent as `[price, size]` decimal strings (the shape several venues use). PURE: no I/O, no
 * clock; safe to import from any feed's parse.ts.
 */
import type { Level } from "../../../core/events.ts";

/** One `[price, size]` level as the venue sends it. */
export type StringLevel = readonly [price: string, size: string];

/** Whether `raw` is an array of `[string, string]` pairs (extra elements are allowed and ignored). */
export function isStringLevels(raw: unknown): raw is StringLevel[] {
  if (!Array.isArray(raw)) return false;
  for (const l of raw) if (!Array.isArray(l) || typeof l[0] !== "string" || typeof l[1] !== "string") return false;
  return true;
}

/**
 * Converts `[price, size]` strings to numeric levels; undefined when one is not a positive price and a
 * size ≥ 0 (size 0 removes the level in a delta).
 *
 * @example
 * stringLevels([["100.5", "2"], ["100", "0"]]); // [[100.5, 2], [100, 0]]
 */
export function stringLevels(raw: readonly StringLevel[]): Level[] | undefined {
  const out: Level[] = new Array<Level>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!;
    const price = +l[0];
    const size = +l[1];
    if (!(price > 0) || !(size >= 0)) return undefined;
    out[i] = [price, size];
  }
  return out;
}
