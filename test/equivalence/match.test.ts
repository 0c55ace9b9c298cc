import { describe, expect, it } from "bun:test";
import { DEFAULT_MIN_SCORE, proposePairs, scorePair, type CatalogMarket } from "../../core/equivalence/match.ts";
import { normalizeTitle } from "../../core/equivalence/normalize.ts";
import { parseEquivalences } from "../../core/equivalence/registry.ts";
import { catalogFromMarketNew, renderProposals, uncommentAll } from "../../core/equivalence/render.ts";
import { fakeCatalog, type FakeMarket } from "./fake-catalog.ts";

const DEC31 = Date.UTC(2026, 11, 31, 23, 59);
const m = (feed: string, market: string, question: string, endDate = DEC31, outcomes = ["Yes", "No"]): CatalogMarket => ({ feed, market, question, outcomes, endDate });

describe("normalizeTitle", () => {
  it("does fold numbers, dates, synonyms and direction the same way across wordings", () => {
    const a = normalizeTitle("Will Bitcoin be above $100,000 on December 31, 2026?");
    const b = normalizeTitle("BTC above 100k on Dec 31 2026?");
    const c = normalizeTitle("Bitcoin price over 100000 USD at close of 2026-12-31");
    for (const x of [b, c]) expect(x).toEqual(a);
    expect(a).toEqual({ words: ["bitcoin"], numbers: ["100000", "31"], years: ["2026"], months: ["m12"], direction: "gt" });
    expect(normalizeTitle("CPI above 3.00% in Oct 2026?").numbers).toEqual(["3"]);
  });
});

describe("scorePair", () => {
  it("does score a paraphrase high and explain why", () => {
    const c = scorePair(m("a", "1", "Will the Fed cut interest rates at the December 2026 FOMC meeting?"), m("b", "2", "Fed rate cut in Dec 2026?", DEC31 + 3_600_000));
    expect(c.score).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
    expect(c.reasons.join("; ")).toMatch(/^title 0\.\d\d; end dates 1 h apart; outcomes Yes\/No on both$/);
  });

  it("does cap near-twins that settle differently: strike, threshold, date, direction, subject, end date", () => {
    const base = m("a", "1", "Will Bitcoin be above $100,000 on December 31, 2026?");
    const twins: [CatalogMarket, RegExp][] = [
      [m("b", "2", "BTC above 105k on Dec 31 2026?"), /numbers differ: 100000 31 vs 105000 31/],
      [m("b", "3", "BTC above 100k on Dec 30 2026?"), /numbers differ/],
      [m("b", "4", "BTC below 100k on Dec 31 2026?"), /directions differ: gt vs lt/],
      [m("b", "5", "ETH above 100k on Dec 31 2026?"), /words differ: bitcoin vs ethereum/],
      [m("b", "6", "BTC above 100k on Dec 31 2027?", DEC31 + 365 * 86_400_000), /years differ.*end dates 365\.0 days apart/],
      [m("b", "7", "BTC above 100k on Dec 31 2026?", DEC31 + 10 * 86_400_000), /end dates 10\.0 days apart/],
    ];
    for (const [b, why] of twins) {
      const c = scorePair(base, b);
      expect(c.score).toBeLessThanOrEqual(0.5);
      expect(c.reasons.join("; ")).toMatch(why);
    }
  });

  it("does see swapped named outcomes as an inverted pair", () => {
    const c = scorePair(m("a", "1", "2028 presidential election: Moreau vs Kessler", DEC31, ["Moreau", "Kessler"]), m("b", "2", "Moreau vs Kessler 2028 presidential election", DEC31, ["Kessler", "Moreau"]));
    expect(c.inverted).toBe(true);
    expect(c.score).toBeGreaterThanOrEqual(DEFAULT_MIN_SCORE);
  });
});

describe("proposePairs on a fake catalog of 500 markets per venue", () => {
  const catalog = fakeCatalog({ perVenue: 500, shared: 60, pairs: 150 });
  const byId = new Map<string, FakeMarket>(catalog.map((x) => [`${x.feed}/${x.market}`, x]));
  const pairs = proposePairs(catalog);
  const truth = new Set<string>();
  const feeds = ["kalshi", "poly", "predict"];
  for (const a of catalog) for (const b of catalog) if (a.feed < b.feed && a.event === b.event) truth.add(`${a.feed}/${a.market}|${b.feed}/${b.market}`);

  it("does hold 500 markets per venue, planted twins and hard negatives", () => {
    for (const f of feeds) expect(catalog.filter((x) => x.feed === f)).toHaveLength(500);
    expect(truth.size).toBe(60 * 3 + 150);
    // most markets have a near-twin on another venue: same family, different strike, threshold, date or subject
    const family = (e: string) => e.split(":").slice(0, 2).join(":");
    const twins = catalog.filter((a) => catalog.some((b) => b.feed !== a.feed && b.event !== a.event && family(b.event) === family(a.event)));
    expect(twins.length).toBeGreaterThan(1200);
  });

  it("does find every planted pair, with no false pair above its default score", () => {
    const found = new Set<string>();
    const wrong: string[] = [];
    for (const p of pairs) {
      const [a, b] = p.a.feed < p.b.feed ? [p.a, p.b] : [p.b, p.a];
      const id = `${a.feed}/${a.market}|${b.feed}/${b.market}`;
      if (truth.has(id)) found.add(id);
      else wrong.push(`${p.score.toFixed(3)} ${a.question} ~ ${b.question} (${p.reasons.join("; ")})`);
    }
    expect(wrong).toEqual([]);
    const missed = [...truth].filter((t) => !found.has(t)).map((t) => t.split("|").map((x) => byId.get(x)!.question).join(" ~ "));
    expect(missed).toEqual([]);
  });

  it("does orient named-outcome pairs and write a proposal file that loads, commented and confirmed", () => {
    const inverted = pairs.filter((p) => p.inverted);
    expect(inverted.length).toBeGreaterThan(0);
    for (const p of inverted) expect((p.a.feed === "kalshi") !== (p.b.feed === "kalshi")).toBe(true);
    const text = renderProposals(pairs, Date.UTC(2026, 10, 24));
    expect(parseEquivalences(text, "proposed.toml").groups).toEqual([]);
    const confirmed = parseEquivalences(uncommentAll(text), "proposed.toml");
    expect(confirmed.groups).toHaveLength(pairs.length);
    const g = confirmed.groups[0]!;
    expect(g.markets.map((x) => [x.feed, x.market])).toEqual([[pairs[0]!.a.feed, pairs[0]!.a.market], [pairs[0]!.b.feed, pairs[0]!.b.market]]);
    expect(g.markets[1]!.inverted).toBe(pairs[0]!.inverted);
    expect(g.expiresAt).toBe(Math.max(pairs[0]!.a.endDate!, pairs[0]!.b.endDate!) + 86_400_000);
    expect(text).toContain(`## score ${pairs[0]!.score.toFixed(3)}: title`);
  });

  it("does read catalog entries from market.new", () => {
    expect(catalogFromMarketNew({ feed: "pm", instrument: "0x1", key: "0x1", tsEvent: 0, tsRecv: 0, question: "Q?", outcomes: ["Yes", "No"], instruments: ["a", "b"], meta: { endDate: "2026-12-31T12:00:00Z" } })).toEqual({ feed: "pm", market: "0x1", question: "Q?", outcomes: ["Yes", "No"], endDate: Date.parse("2026-12-31T12:00:00Z") });
  });
});
