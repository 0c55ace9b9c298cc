import { describe, expect, it } from "bun:test";
import { degradedIf, firstSeen } from "./verdicts.ts";

describe("degradedIf", () => {
  it("does give degraded with the reason, or ok with an empty reason", () => {
    expect(degradedIf("feed-a", "no message for 31 s")).toEqual({ subject: "feed-a", status: "degraded", reason: "no message for 31 s" });
    expect(degradedIf("feed-a", undefined)).toEqual({ subject: "feed-a", status: "ok", reason: "" });
  });
});

describe("firstSeen", () => {
  it("does remember the first time per subject", () => {
    const since = firstSeen();
    expect(since("a", 100)).toBe(100);
    expect(since("a", 250)).toBe(100);
    expect(since("b", 250)).toBe(250);
    expect(firstSeen()("a", 400)).toBe(400);
  });
});
