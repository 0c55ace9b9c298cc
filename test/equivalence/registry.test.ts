import { describe, expect, it } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, formatProblem } from "../../core/errors.ts";
import { activeGroups, loadEquivalences, parseEquivalences, watchFile } from "../../core/equivalence/registry.ts";

const good = `# two platforms, one event
[[groups]]
name = "fed-cut-2026-12"
question = "Fed cuts at the December 2026 meeting"
resolution = "Both settle on the FOMC statement of 2026-12-16"
expires = 2026-12-17T19:00:00Z

[[groups.markets]]
feed = "poly"
market = "0xabc"

[[groups.markets]]
feed = "kalshi"
market = "FED-26DEC-T4.00"
inverted = true
yes = "FED-26DEC-T4.00:yes"
no = "FED-26DEC-T4.00:no"
`;

function problems(source: string): string[] {
  try {
    parseEquivalences(source, "eq.toml");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

describe("parseEquivalences", () => {
  it("does load groups with orientation, notes, expiry and the header line", () => {
    const reg = parseEquivalences(good, "eq.toml");
    expect(reg.groups).toHaveLength(1);
    const g = reg.groups[0]!;
    expect(g).toMatchObject({ name: "fed-cut-2026-12", resolution: "Both settle on the FOMC statement of 2026-12-16", expiresAt: Date.parse("2026-12-17T19:00:00Z"), line: 2 });
    expect(g.markets).toEqual([
      { feed: "poly", market: "0xabc", inverted: false },
      { feed: "kalshi", market: "FED-26DEC-T4.00", inverted: true, yes: "FED-26DEC-T4.00:yes", no: "FED-26DEC-T4.00:no" },
    ]);
    expect(activeGroups(reg, Date.parse("2026-12-17T18:59:59Z"))).toHaveLength(1);
    expect(activeGroups(reg, Date.parse("2026-12-17T19:00:00Z"))).toHaveLength(0);
  });

  it("does accept an ISO string as expiry and an empty file", () => {
    expect(parseEquivalences(good.replace("2026-12-17T19:00:00Z", '"2026-12-17T19:00:00Z"'), "eq.toml").groups[0]!.expiresAt).toBe(Date.parse("2026-12-17T19:00:00Z"));
    expect(parseEquivalences("# nothing confirmed yet\n", "eq.toml").groups).toEqual([]);
  });

  it("does reject a bad file with every problem at file:line:col", () => {
    const bad = `[[groups]]
name = "a"
resolution = "x"
expires = "soon"

[[groups.markets]]
feed = "poly"
markt = "0x1"

[[groups.markets]]
feed = "kalshi"
market = "K"
inverted = "yes"
`;
    expect(problems(bad)).toEqual([
      'eq.toml:4:11: groups[0].expires: expected a date-time such as 2026-12-18T19:00:00Z',
      'eq.toml:6:10: groups[0].markets[0].market: expected required key \"market\", found nothing',
      'eq.toml:8:1: groups[0].markets[0].markt: expected a known key (feed, market, inverted, yes, no, title), found unknown key "markt" (did you mean "market"?)',
      'eq.toml:13:12: groups[0].markets[1].inverted: expected boolean, found "yes"',
    ]);
  });

  it("does reject duplicate names, a market listed twice, one feed only and half an instrument pair", () => {
    const src = `${good}
[[groups]]
name = "fed-cut-2026-12"
resolution = "x"
expires = 2027-01-01T00:00:00Z
[[groups.markets]]
feed = "poly"
market = "0x1"
yes = "Y"
[[groups.markets]]
feed = "poly"
market = "0x1"
`;
    const out = problems(src);
    expect(out).toEqual([
      'eq.toml:20:8: groups[1].name: group name "fed-cut-2026-12" is already used by groups[0]',
      "eq.toml:23:10: groups[1].markets: a group compares platforms: list markets of at least two feeds",
      "eq.toml:26:7: groups[1].markets[0].yes: give both yes and no instrument ids, or neither (then the feed's market.new supplies them)",
      "eq.toml:29:10: groups[1].markets[1].market: market 0x1 on feed poly is listed twice in this group (markets[0])",
    ]);
  });

  it("does report a TOML syntax error with its position", () => {
    expect(problems('[[groups]]\nname = "a\n')[0]).toMatch(/^eq\.toml:2:\d+: expected valid TOML, found a syntax error/);
  });
});

describe("loadEquivalences", () => {
  it("does read a file, name a missing one, and see it change on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eq-"));
    const path = join(dir, "equivalences.toml");
    await expect(loadEquivalences(path)).rejects.toThrow(/found no file/);
    writeFileSync(path, good);
    expect((await loadEquivalences(path)).groups).toHaveLength(1);
    let changes = 0;
    const stop = watchFile(path, () => changes++, 20);
    writeFileSync(path, "# emptied\n");
    const end = Date.now() + 3000;
    while (changes === 0 && Date.now() < end) await Bun.sleep(10);
    stop();
    expect(changes).toBeGreaterThan(0);
    expect((await loadEquivalences(path)).groups).toHaveLength(0);
  });
});
