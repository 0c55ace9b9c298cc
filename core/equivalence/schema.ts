/**
 * The equivalence registry's TOML shape (valibot, strict: unknown keys are errors) and its cross-field
 * checks. A registry lists groups of markets on different platforms that settle on the same event; a
 * market's `inverted = true` says its YES is the group's NO.
 */
import * as v from "valibot";

/** An instant: a TOML offset date-time (or date), or the same as an ISO-8601 string. */
const instant = v.pipe(
  v.union([v.date(), v.string()]),
  v.transform((x) => (x instanceof Date ? x.getTime() : Date.parse(x))),
  v.check((ms) => Number.isFinite(ms), "expected a date-time such as 2026-12-18T19:00:00Z"),
);

const idText = (what: string) => v.pipe(v.string(), v.minLength(1, `${what} must not be empty`));

/** One market of a group. */
export const equivalentMarketSchema = v.strictObject({
  feed: v.pipe(idText("feed"), v.description("feed instance id carrying the market ([feeds.<id>] of the bot config)")),
  market: v.pipe(idText("market"), v.description("the venue's market id: a condition id, a ticker, a market number")),
  inverted: v.optional(v.pipe(v.boolean(), v.description("true when this market's YES is the group's NO. Default false.")), false),
  yes: v.optional(v.pipe(idText("yes"), v.description("instrument id of the YES book; default from the feed's market.new"))),
  no: v.optional(v.pipe(idText("no"), v.description("instrument id of the NO book; default from the feed's market.new"))),
  title: v.optional(v.pipe(v.string(), v.description("the venue's own wording, for the person reviewing the entry"))),
});

/** One group of equivalent markets. */
export const equivalenceGroupSchema = v.strictObject({
  name: v.pipe(idText("name"), v.regex(/^[A-Za-z0-9_.:-]+$/, "a name of letters, digits, _ . : -"), v.description("unique name of the group")),
  question: v.optional(v.pipe(v.string(), v.description("the proposition the group's YES stands for"))),
  resolution: v.pipe(idText("resolution"), v.description("how each venue resolves it (sources, cut-off times): what a person checked")),
  expires: v.pipe(instant, v.description("after this instant the group is ignored (settlement, or a date to re-check it)")),
  markets: v.pipe(v.array(equivalentMarketSchema), v.minLength(2, "a group needs at least two markets"), v.description("the equivalent markets")),
});

/** The whole file. */
export const equivalenceFileSchema = v.strictObject({
  groups: v.optional(v.array(equivalenceGroupSchema), []),
});

/** A validated registry file, as parsed (expiries in epoch ms). */
export type EquivalenceFile = v.InferOutput<typeof equivalenceFileSchema>;

/** A problem of the parsed file, at a key path. */
export interface PathProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Cross-field checks: unique names, each market once, YES and NO given together. One sentence each. */
export function checkEquivalenceFile(file: EquivalenceFile): PathProblem[] {
  const problems: PathProblem[] = [];
  const names = new Map<string, number>();
  file.groups.forEach((g, i) => {
    const first = names.get(g.name);
    if (first !== undefined) problems.push({ path: ["groups", i, "name"], message: `group name "${g.name}" is already used by groups[${first}]` });
    else names.set(g.name, i);
    const seen = new Map<string, number>();
    g.markets.forEach((m, j) => {
      const key = `${m.feed}\u0000${m.market}`;
      const at = seen.get(key);
      if (at !== undefined) problems.push({ path: ["groups", i, "markets", j, "market"], message: `market ${m.market} on feed ${m.feed} is listed twice in this group (markets[${at}])` });
      else seen.set(key, j);
      if ((m.yes === undefined) !== (m.no === undefined)) problems.push({ path: ["groups", i, "markets", j, m.yes === undefined ? "no" : "yes"], message: "give both yes and no instrument ids, or neither (then the feed's market.new supplies them)" });
      if (m.yes !== undefined && m.yes === m.no) problems.push({ path: ["groups", i, "markets", j, "no"], message: "yes and no name the same instrument" });
    });
    if (new Set(g.markets.map((m) => m.feed)).size < 2) problems.push({ path: ["groups", i, "markets"], message: "a group compares platforms: list markets of at least two feeds" });
  });
  return problems;
}
