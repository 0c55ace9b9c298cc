import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { listedTwice, notionalFeeEntries } from "./table.ts";

describe("notionalFeeEntries", () => {
  it("does default both fees, refuse a negative taker fee and allow a maker rebate", () => {
    const schema = v.strictObject(notionalFeeEntries(5, 2));
    expect(v.parse(schema, {})).toEqual({ taker_fee_bps: 5, maker_fee_bps: 2 });
    expect(v.parse(schema, { maker_fee_bps: -1 })).toEqual({ taker_fee_bps: 5, maker_fee_bps: -1 });
    expect(v.safeParse(schema, { taker_fee_bps: -0.5 }).success).toBe(false);
  });
});

describe("listedTwice", () => {
  it("does name each repeated entry once, and nothing for a list without repeats", () => {
    expect(listedTwice("instruments", ["A", "B", "A", "A", "C", "B"])).toEqual(["instruments lists A, B more than once"]);
    expect(listedTwice("markets", ["A", "B"])).toEqual([]);
    expect(listedTwice("markets", [])).toEqual([]);
  });
});
