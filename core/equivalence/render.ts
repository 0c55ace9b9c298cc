/**
 * Writes matcher proposals as commented-out registry entries (pure). Each `[[groups]]` block is
 * prefixed with `# `, its explanation with `## `: removing one leading `# ` from a block's lines confirms
 * it and leaves the explanation as comments. Only confirmed (uncommented) entries feed strategies.
 */
import type { MarketNew } from "../events.ts";
import type { Candidate, CatalogMarket } from "./match.ts";

const DAY = 86_400_000;

/** A catalog entry from a feed's `market.new` (`meta.endDate` as ISO text or epoch ms). */
export function catalogFromMarketNew(m: MarketNew): CatalogMarket {
  const meta = m.meta ?? {};
  const raw = meta.endDate ?? meta.endDateIso ?? meta.end_date ?? meta.close_time ?? meta.closeTime;
  const end = typeof raw === "number" ? raw : typeof raw === "string" ? Date.parse(raw) : Number.NaN;
  return {
    feed: m.feed,
    market: m.instrument,
    question: m.question,
    outcomes: m.outcomes,
    ...(Number.isFinite(end) ? { endDate: end } : {}),
  };
}

const str = (s: string): string => JSON.stringify(s);

function slug(text: string, max: number): string {
  return text.replace(/[^A-Za-z0-9_.:-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, max) || "x";
}

/** A group name unique in `taken` (registry names: letters, digits, `_ . : -`). */
function nameOf(c: Candidate, taken: Set<string>): string {
  const base = `${slug(c.a.feed, 12)}.${slug(c.a.market, 28)}--${slug(c.b.feed, 12)}.${slug(c.b.market, 28)}`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * The proposals as a TOML document of commented-out groups.
 *
 * @example
 * await Bun.write("equivalences.proposed.toml", renderProposals(proposePairs(catalog), Date.now()));
 */
export function renderProposals(candidates: readonly Candidate[], now: number, header = "proposed by `bun run bot match`"): string {
  const taken = new Set<string>();
  const lines: string[] = [
    `# ${header} on ${iso(now)}: ${candidates.length} candidate pair${candidates.length === 1 ? "" : "s"}, best first.`,
    "# Nothing here is traded. To confirm a pair: check that both venues resolve it the same way (source,",
    "# cut-off time, edge cases), write that in `resolution`, set `expires`, and remove the leading \"# \" from",
    "# the block's lines (the \"## \" explanation stays a comment). Then copy it into the registry file.",
    "",
  ];
  for (const c of candidates) {
    const ends = [c.a.endDate, c.b.endDate].filter((x): x is number => x !== undefined);
    const expires = ends.length > 0 ? Math.max(...ends) + DAY : now + 7 * DAY;
    lines.push(
      `## score ${c.score.toFixed(3)}: ${c.reasons.join("; ")}`,
      `## ${c.a.feed}: ${c.a.question.replace(/\n/g, " ")}`,
      `## ${c.b.feed}: ${c.b.question.replace(/\n/g, " ")}`,
      "# [[groups]]",
      `# name = ${str(nameOf(c, taken))}`,
      `# question = ${str(c.a.question)}`,
      `# resolution = ${str("TO CHECK before confirming: each venue's resolution source and cut-off time")}`,
      `# expires = ${iso(expires)}${ends.length > 0 ? "" : "  # no end date known: re-check within a week"}`,
      "# [[groups.markets]]",
      `# feed = ${str(c.a.feed)}`,
      `# market = ${str(c.a.market)}`,
      `# title = ${str(c.a.question)}`,
      "# [[groups.markets]]",
      `# feed = ${str(c.b.feed)}`,
      `# market = ${str(c.b.market)}`,
      `# title = ${str(c.b.question)}`,
      `# inverted = ${c.inverted}`,
      "",
    );
  }
  return lines.join("\n");
}

/** Confirms every proposal of a rendered document (what a person does block by block; used by tests). */
export function uncommentAll(text: string): string {
  return text
    .split("\n")
    .map((l) => (l.startsWith("# [[") || /^# [a-z_]+ = /.test(l) ? l.slice(2) : l))
    .join("\n");
}
