import { describe, expect, it } from "bun:test";
import { isStringLevels, stringLevels } from "./levels.ts";

describe("string levels", () => {
  it("does accept [string, string] pairs only", () => {
    expect(isStringLevels([["1", "2"], ["3", "4", "extra"]])).toBe(true);
    expect(isStringLevels([])).toBe(true);
    expect(isStringLevels([["1", 2]])).toBe(false);
    expect(isStringLevels([[1, "2"]])).toBe(false);
    expect(isStringLevels(["1", "2"])).toBe(false);
    expect(isStringLevels({ 0: ["1", "2"] })).toBe(false);
  });

  it("does convert to numbers, keeping size 0 (a removal) and refusing a non-positive price or a bad size", () => {
    expect(stringLevels([["100.5", "2"], ["100", "0"]])).toEqual([[100.5, 2], [100, 0]]);
    expect(stringLevels([])).toEqual([]);
    expect(stringLevels([["0", "1"]])).toBeUndefined();
    expect(stringLevels([["-1", "1"]])).toBeUndefined();
    expect(stringLevels([["abc", "1"]])).toBeUndefined();
    expect(stringLevels([["1", "-2"]])).toBeUndefined();
    expect(stringLevels([["1", "x"]])).toBeUndefined();
  });
});
