import { describe, expect, it } from "bun:test";
import { editDistance, suggest } from "./suggest.ts";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("notifier", "notifiers")).toBe(1);
  });

  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("cooldwon_ms", "cooldown_ms")).toBe(1);
  });

  it("does not edit a substring twice (optimal string alignment)", () => {
    expect(editDistance("ca", "abc")).toBe(3);
  });

  it("is symmetric", () => {
    expect(editDistance("min_edge_bps", "min_egde_bp")).toBe(editDistance("min_egde_bp", "min_edge_bps"));
  });
});

describe("suggest", () => {
  const keys = ["plugin", "ws_url", "rest_url", "channels", "instruments", "min_edge_bps", "cooldown_ms", "notifiers"];

  it("returns the nearest close candidate", () => {
    expect(suggest("notifer", keys)).toBe("notifiers");
    expect(suggest("instrument", keys)).toBe("instruments");
    expect(suggest("min_egde_bps", keys)).toBe("min_edge_bps");
    expect(suggest("wsurl", keys)).toBe("ws_url");
  });

  it("ignores case when comparing", () => {
    expect(suggest("Cooldown_MS", keys)).toBe("cooldown_ms");
  });

  it("returns undefined when nothing is close", () => {
    expect(suggest("size_usd", keys)).toBeUndefined();
    expect(suggest("x", ["y"])).toBeUndefined();
    expect(suggest("anything", [])).toBeUndefined();
  });

  it("breaks ties in favour of the first candidate", () => {
    expect(suggest("cat", ["bat", "cut"])).toBe("bat");
    expect(suggest("cat", ["cut", "bat"])).toBe("cut");
  });

  it("prefers a closer later candidate over an earlier one", () => {
    expect(suggest("channel", ["channels_x", "channels"])).toBe("channels");
  });

  it("accepts any iterable", () => {
    expect(suggest("plugn", new Set(keys))).toBe("plugin");
    expect(suggest("plugn", new Map([["plugin", 1]]).keys())).toBe("plugin");
  });
});
