import { describe, expect, it } from "bun:test";
import { bookHash, isVerifiableHash, verifyBookHash } from "./hash.ts";

// The official SDKs' worked example (py-clob-client tests/test_utilities.py).
const sdkExample = {
  market: "0xaabbcc",
  asset_id: "100",
  timestamp: "123456789",
  bids: [{ price: "0.3", size: "100" }, { price: "0.4", size: "100" }],
  asks: [{ price: "0.6", size: "100" }, { price: "0.7", size: "100" }],
  min_order_size: "100",
  tick_size: "0.01",
  neg_risk: false,
  last_trade_price: "0.5",
};

// The live REST capture quoted in polymarket_gamma.md (its own hash).
const restCapture = {
  market: "0x9d839bf0aa31324b9848f5b89841b779238a7c07dee2f7fca675d934e8ab5bf2",
  asset_id: "72610532355343625199299853218161700546393390326785971247545541945337255643692",
  timestamp: "1785734468581",
  hash: "d7df883ae546b09533a4f485bfae0810da1af04e",
  bids: [{ price: "0.001", size: "667.12" }, { price: "0.002", size: "6.99" }],
  asks: [],
  min_order_size: "5",
  tick_size: "0.001",
  neg_risk: true,
  last_trade_price: "",
};

describe("bookHash", () => {
  it("reproduces the SDK worked example", () => {
    expect(bookHash(sdkExample)).toBe("0458ea5755c9f73d64a14636fa5c36ed460ec394");
  });

  it("reproduces a live REST book's own hash", () => {
    expect(bookHash(restCapture)).toBe(restCapture.hash);
    expect(verifyBookHash(restCapture, undefined)).toBe("ok");
  });

  it("depends on wire order and every field", () => {
    expect(bookHash({ ...sdkExample, bids: [...sdkExample.bids].reverse() })).not.toBe("0458ea5755c9f73d64a14636fa5c36ed460ec394");
    expect(bookHash({ ...sdkExample, neg_risk: true })).not.toBe("0458ea5755c9f73d64a14636fa5c36ed460ec394");
  });
});

describe("verifyBookHash", () => {
  const ws = { ...sdkExample, hash: "0458ea5755c9f73d64a14636fa5c36ed460ec394", min_order_size: undefined, neg_risk: undefined };
  it("takes min_order_size and neg_risk from metadata for a WS book", () => {
    expect(verifyBookHash(ws, { minOrderSize: "100", negRisk: false })).toBe("ok");
    expect(verifyBookHash(ws, { minOrderSize: "100", negRisk: true })).toBe("mismatch");
    expect(verifyBookHash({ ...ws, bids: [{ price: "0.3", size: "101" }, sdkExample.bids[1]!] }, { minOrderSize: "100", negRisk: false })).toBe("mismatch");
  });

  it("does not judge what it cannot verify", () => {
    expect(verifyBookHash(ws, undefined)).toBe("unverifiable");
    expect(verifyBookHash({ ...ws, hash: "0x0...." }, { minOrderSize: "100", negRisk: false })).toBe("unverifiable");
    expect(verifyBookHash({ ...ws, tick_size: undefined }, { minOrderSize: "100", negRisk: false })).toBe("unverifiable");
    expect(isVerifiableHash("56621a121a47ed9333273e21c83b660cff37ae50")).toBe(true);
    expect(isVerifiableHash("0xabc123...")).toBe(false);
  });
});
