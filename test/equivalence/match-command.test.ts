import { describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { matchCommand, parseMatchArgs } from "../../core/equivalence/match-command.ts";
import { parseEquivalences } from "../../core/equivalence/registry.ts";
import { uncommentAll } from "../../core/equivalence/render.ts";
import { createRegistry } from "../../core/registry.ts";
import { fakeCatalog } from "./fake-catalog.ts";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { registry: createRegistry([]), out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

describe("bot match", () => {
  it("does propose pairs from saved catalogs into a file that loads, leaving out confirmed pairs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "match-"));
    const catalog = fakeCatalog({ perVenue: 120, shared: 10, pairs: 30, seed: 7 }).map(({ event: _e, ...m }) => ({ ...m, endDate: new Date(m.endDate!).toISOString() }));
    writeFileSync(join(dir, "a.json"), JSON.stringify(catalog.filter((m) => m.feed === "poly")));
    writeFileSync(join(dir, "b.json"), JSON.stringify(catalog.filter((m) => m.feed !== "poly")));
    const first = io();
    expect(await matchCommand(["--catalog", join(dir, "a.json"), "--catalog", join(dir, "b.json"), "--out", join(dir, "proposed.toml")], first.io)).toBe(0);
    expect(first.err.at(-1)).toMatch(/^360 markets from 3 feed\(s\); 60 candidate pair\(s\) at score ≥ 0\.75 → /);
    const text = readFileSync(join(dir, "proposed.toml"), "utf8");
    expect(parseEquivalences(text, "proposed.toml").groups).toHaveLength(0);
    const confirmed = uncommentAll(text);
    expect(parseEquivalences(confirmed, "proposed.toml").groups).toHaveLength(60);
    writeFileSync(join(dir, "equivalences.toml"), confirmed);
    const again = io();
    expect(await matchCommand(["--catalog", join(dir, "a.json"), "--catalog", join(dir, "b.json"), "--registry", join(dir, "equivalences.toml")], again.io)).toBe(0);
    expect(again.err.at(-1)).toMatch(/; 0 candidate pair\(s\)/);
    expect(parseEquivalences(again.out.join("\n"), "stdout").groups).toHaveLength(0);
  });

  it("does refuse wrong usage with exit 2", async () => {
    expect(parseMatchArgs([])).toBe("give --config <file.toml> or --catalog <file.json>");
    expect(parseMatchArgs(["--min-score", "x"])).toBe('--min-score expects a number, found "x"');
    const r = io();
    expect(await matchCommand(["--bogus", "1"], r.io)).toBe(2);
    expect(r.err[0]).toMatch(/^unknown option --bogus/);
  });
});
