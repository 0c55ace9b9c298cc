import { describe, expect, it } from "bun:test";
import { createHmac } from "node:crypto";
import { makeDigest } from "../../../core/alerts/digest.ts";
import { numbered, opportunityAlert } from "../../../test/alerts/kit.ts";
import { formatBody } from "./format.ts";
import { signPayload, verifySignature } from "./signature.ts";

const secret = "0123456789abcdef-secret";

describe("webhook signature", () => {
  it("is the hex HMAC-SHA256 of timestamp.body, verifiable and tamper-evident", () => {
    const body = JSON.stringify({ a: 1 });
    const sig = signPayload(secret, 1_700_000_000_000, body);
    expect(sig).toBe(`sha256=${createHmac("sha256", secret).update(`1700000000000.${body}`).digest("hex")}`);
    expect(verifySignature(secret, 1_700_000_000_000, body, sig, 300_000, 1_700_000_100_000)).toBe(true);
    expect(verifySignature(secret, 1_700_000_000_000, body.replace("1", "2"), sig, 300_000, 1_700_000_100_000)).toBe(false);
    expect(verifySignature(secret, 1_700_000_000_001, body, sig, 300_000, 1_700_000_100_000)).toBe(false);
    expect(verifySignature("another-secret-of-16", 1_700_000_000_000, body, sig, 300_000, 1_700_000_100_000)).toBe(false);
    // a replay long after the fact
    expect(verifySignature(secret, 1_700_000_000_000, body, sig, 300_000, 1_700_001_000_000)).toBe(false);
  });
});

describe("webhook format", () => {
  it("wraps alerts in a versioned envelope with display facts, and digests with every item", () => {
    const body = formatBody(opportunityAlert());
    expect(body).toMatchObject({ version: 1, kind: "opportunity", summary: { edge: "12.3 bps", age: "350 ms" } });
    expect(body.alert?.opportunity?.legs).toHaveLength(2);
    const digest = formatBody(makeDigest("d1", [numbered(1), numbered(2)], 0));
    expect(digest.items?.map((a) => a.title)).toEqual(["A1#", "A2#"]);
    expect(digest.alert).toBeUndefined();
  });
});
