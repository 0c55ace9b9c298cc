import { afterEach, describe, expect, it } from "bun:test";
import { clearSecrets, redact, redactDeep, registerSecret } from "./secrets.ts";

afterEach(() => clearSecrets());

describe("secrets", () => {
  it("redacts every registered value in text, longest first", () => {
    registerSecret("abcd1234");
    registerSecret("abcd1234-long");
    expect(redact("x abcd1234-long y abcd1234")).toBe("x *** y ***");
  });

  it("redacts string leaves without touching JSON structure or numbers", () => {
    registerSecret("6012");
    const v = { n: 6012.5, s: "tok 6012", a: ["6012", 1], nested: { t: "6012" } };
    const out = redactDeep(v);
    expect(out).toEqual({ n: 6012.5, s: "tok ***", a: ["***", 1], nested: { t: "***" } });
    expect(JSON.parse(JSON.stringify(out)).n).toBe(6012.5);
  });

  it("ignores values too short to hide", () => {
    registerSecret("ab");
    expect(redact("ab")).toBe("ab");
  });
});
