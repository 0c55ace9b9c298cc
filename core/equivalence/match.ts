/**
 * The market matcher (pure): proposes pairs of markets on different feeds that look like the same
 * question, from their titles, end dates and outcome names, each with a score in [0, 1] and the reasons.
 * It only proposes: the pairs are written as commented-out registry entries for a person to confirm.
 *
 * Score = 0.65 × title similarity (IDF-weighted cosine of the folded words) + 0.25 × end-date proximity
 * + 0.10 × outcome agreement, minus small penalties for facts named on one side only. A different
 * number (strike, threshold, day), month, year or direction, or end dates more than `maxEndGapMs`
 * apart, caps the score at 0.5: those are the near-twins that settle differently.
 */
import { type NormalizedTitle, normalizeOutcome, normalizeTitle } from "./normalize.ts";

/** One market of a venue's catalog. */
export interface CatalogMarket {
  /** Feed instance id. */
  readonly feed: string;
  /** The venue's market id. */
  readonly market: string;
  readonly question: string;
  /** Outcome names in the venue's order (YES first for binary markets). */
  readonly outcomes: readonly string[];
  /** Epoch ms when the market closes or resolves, when known. */
  readonly endDate?: number;
}

/** A proposed pair. */
export interface Candidate {
  readonly a: CatalogMarket;
  readonly b: CatalogMarket;
  readonly score: number;
  /** True when `b`'s first outcome is `a`'s second (its YES is `a`'s NO). */
  readonly inverted: boolean;
  readonly reasons: readonly string[];
}

/** Matcher settings. */
export interface MatchOptions {
  /** Least score proposed (default `DEFAULT_MIN_SCORE`). */
  readonly minScore?: number;
  /** End dates further apart than this are different markets (default 3 days). */
  readonly maxEndGapMs?: number;
}

/** The default least score of a proposal. */
export const DEFAULT_MIN_SCORE = 0.75;
const DAY = 86_400_000;
const HARD_CAP = 0.5;

interface Prepared {
  readonly m: CatalogMarket;
  readonly t: NormalizedTitle;
  readonly vec: Map<string, number>;
  readonly norm: number;
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function cosine(a: Prepared, b: Prepared): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let dot = 0;
  const [small, big] = a.vec.size <= b.vec.size ? [a.vec, b.vec] : [b.vec, a.vec];
  for (const [w, x] of small) {
    const y = big.get(w);
    if (y !== undefined) dot += x * y;
  }
  return dot / (a.norm * b.norm);
}

/**
 * Words each side has and the other lacks. One side adding words is wording ("… at the FOMC meeting");
 * both sides naming something the other does not ("presidential" / "Senate", two teams) is a different
 * question, when each side's own words carry at least 10 % of its title's weight.
 */
function substitution(a: Prepared, b: Prepared): string | undefined {
  let onlyA = 0;
  let onlyB = 0;
  const namesA: string[] = [];
  const namesB: string[] = [];
  for (const [w, x] of a.vec) if (!b.vec.has(w)) (onlyA += x * x), namesA.push(w);
  for (const [w, y] of b.vec) if (!a.vec.has(w)) (onlyB += y * y), namesB.push(w);
  if (namesA.length === 0 || namesB.length === 0) return undefined;
  if (onlyA < 0.1 * a.norm * a.norm || onlyB < 0.1 * b.norm * b.norm) return undefined;
  return `words differ: ${namesA.join(" ")} vs ${namesB.join(" ")}`;
}

/** Compares the facts that make near-twins different; returns hard mismatches and soft penalties. */
function facts(a: NormalizedTitle, b: NormalizedTitle): { hard: string[]; soft: number; notes: string[] } {
  const hard: string[] = [];
  const notes: string[] = [];
  let soft = 0;
  if (!same(a.numbers, b.numbers)) hard.push(`numbers differ: ${a.numbers.join(" ") || "none"} vs ${b.numbers.join(" ") || "none"}`);
  for (const [what, x, y] of [["months", a.months, b.months], ["years", a.years, b.years]] as const) {
    if (x.length > 0 && y.length > 0 && !same(x, y)) hard.push(`${what} differ: ${x.join(" ")} vs ${y.join(" ")}`);
    else if (x.length !== y.length) {
      soft += 0.05;
      notes.push(`${what} named on one side only`);
    }
  }
  if (a.direction !== undefined && b.direction !== undefined && a.direction !== b.direction) hard.push(`directions differ: ${a.direction} vs ${b.direction}`);
  else if (a.direction !== b.direction) {
    soft += 0.05;
    notes.push("direction named on one side only");
  }
  return { hard, soft, notes };
}

/** End-date proximity in [0, 1], or a hard mismatch. */
function endDates(a: CatalogMarket, b: CatalogMarket, maxGap: number): { score: number; hard?: string; note: string } {
  if (a.endDate === undefined || b.endDate === undefined) return { score: 0.5, note: "end date unknown on one side" };
  const gap = Math.abs(a.endDate - b.endDate);
  const hours = Math.round(gap / 3_600_000);
  if (gap > maxGap) return { score: 0, hard: `end dates ${(gap / DAY).toFixed(1)} days apart`, note: "" };
  if (gap <= DAY) return { score: 1, note: `end dates ${hours} h apart` };
  return { score: Math.max(0, 1 - (gap - DAY) / Math.max(DAY, maxGap - DAY)), note: `end dates ${hours} h apart` };
}

/** Outcome agreement in [0, 1] and the orientation it implies. */
function outcomes(a: CatalogMarket, b: CatalogMarket): { score: number; inverted: boolean; note: string } {
  const x = a.outcomes.map(normalizeOutcome);
  const y = b.outcomes.map(normalizeOutcome);
  if (x.length === 2 && y.length === 2) {
    if (x[0] === y[0] && x[1] === y[1]) return { score: 1, inverted: false, note: `outcomes ${a.outcomes.join("/")} on both` };
    if (x[0] === y[1] && x[1] === y[0]) return { score: 1, inverted: true, note: `outcomes swapped (${a.outcomes.join("/")} vs ${b.outcomes.join("/")}): inverted` };
  }
  return { score: 0, inverted: false, note: `outcomes differ (${a.outcomes.join("/")} vs ${b.outcomes.join("/")})` };
}

/** Scores one pair (exported for tests and for explaining a single pair). */
export function scorePair(a: CatalogMarket, b: CatalogMarket, options: MatchOptions = {}): Candidate {
  const pa = prepare([a, b]);
  return score(pa[0]!, pa[1]!, options.maxEndGapMs ?? 3 * DAY);
}

function score(a: Prepared, b: Prepared, maxGap: number): Candidate {
  const text = cosine(a, b);
  const f = facts(a.t, b.t);
  const swapped = substitution(a, b);
  if (swapped !== undefined) f.hard.unshift(swapped);
  const d = endDates(a.m, b.m, maxGap);
  const o = outcomes(a.m, b.m);
  let s = 0.65 * text + 0.25 * d.score + 0.1 * o.score - f.soft;
  const reasons = [`title ${text.toFixed(2)}`];
  if (d.note !== "") reasons.push(d.note);
  reasons.push(o.note, ...f.notes);
  const hard = [...f.hard, ...(d.hard === undefined ? [] : [d.hard])];
  if (hard.length > 0) {
    s = Math.min(s, HARD_CAP);
    reasons.push(...hard);
  }
  return { a: a.m, b: b.m, score: Math.max(0, Math.min(1, s)), inverted: o.inverted, reasons };
}

function prepare(markets: readonly CatalogMarket[]): Prepared[] {
  const titles = markets.map((m) => normalizeTitle(m.question));
  const df = new Map<string, number>();
  for (const t of titles) for (const w of new Set(t.words)) df.set(w, (df.get(w) ?? 0) + 1);
  const n = markets.length;
  return markets.map((m, i) => {
    const t = titles[i]!;
    const vec = new Map<string, number>();
    for (const w of new Set(t.words)) vec.set(w, Math.log(1 + n / (df.get(w) ?? 1)));
    let norm = 0;
    for (const x of vec.values()) norm += x * x;
    return { m, t, vec, norm: Math.sqrt(norm) };
  });
}

/**
 * Proposes one-to-one pairs between every two feeds of the catalog, best score first, each at least
 * `minScore`. A market is proposed at most once per other feed.
 *
 * @example
 * const pairs = proposePairs([...venueA, ...venueB]);
 * for (const p of pairs) console.log(p.score.toFixed(2), p.a.question, "~", p.b.question, p.reasons);
 */
export function proposePairs(markets: readonly CatalogMarket[], options: MatchOptions = {}): Candidate[] {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const maxGap = options.maxEndGapMs ?? 3 * DAY;
  const prepared = prepare(markets);
  const byFeed = new Map<string, Prepared[]>();
  for (const p of prepared) {
    let list = byFeed.get(p.m.feed);
    if (list === undefined) byFeed.set(p.m.feed, (list = []));
    list.push(p);
  }
  const feeds = [...byFeed.keys()].sort();
  const out: Candidate[] = [];
  for (let i = 0; i < feeds.length; i++) {
    for (let j = i + 1; j < feeds.length; j++) {
      const left = byFeed.get(feeds[i]!)!;
      const right = byFeed.get(feeds[j]!)!;
      const found: Candidate[] = [];
      for (const a of left) {
        for (const b of right) {
          // cheap bound first: without shared words the title term alone cannot reach the threshold
          const text = cosine(a, b);
          if (0.65 * text + 0.35 < minScore) continue;
          const c = score(a, b, maxGap);
          if (c.score >= minScore) found.push(c);
        }
      }
      found.sort((x, y) => y.score - x.score || x.a.market.localeCompare(y.a.market) || x.b.market.localeCompare(y.b.market));
      const usedA = new Set<string>();
      const usedB = new Set<string>();
      for (const c of found) {
        if (usedA.has(c.a.market) || usedB.has(c.b.market)) continue;
        usedA.add(c.a.market);
        usedB.add(c.b.market);
        out.push(c);
      }
    }
  }
  return out.sort((x, y) => y.score - x.score);
}
