/**
 * Title normalization for the market matcher (pure). Two venues word the same question differently
 * ("Bitcoin above $100k on Dec 31, 2026?" / "Will BTC be over 100,000 USD on December 31 2026"), so a
 * title becomes: content words (lower case, synonyms folded, plurals cut, filler dropped), the facts
 * that make two questions different even when their words agree (every number, with `k`/`m`/`%`/`,`
 * forms folded; months; years) and the comparison direction (above / below).
 */

/** What the matcher compares of one title. */
export interface NormalizedTitle {
  /** Content words, folded. */
  readonly words: readonly string[];
  /** Numbers other than years, as canonical text (`100000`, `4.25`). */
  readonly numbers: readonly string[];
  /** Years named (2000–2100). */
  readonly years: readonly string[];
  /** Months named, `m1`…`m12`. */
  readonly months: readonly string[];
  /** `gt` (above, over, at least…), `lt` (below, under…), or undefined. */
  readonly direction: "gt" | "lt" | undefined;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};

/** Words that only frame a question. */
const FILLER = new Set([
  "will", "the", "a", "an", "be", "by", "of", "in", "on", "at", "to", "for", "is", "are", "does", "do", "did",
  "this", "that", "than", "before", "after", "end", "and", "or", "its", "it", "as", "what", "which", "who",
  "how", "any", "price", "usd", "dollar", "dollars", "close", "closing", "market", "yes", "no", "question", "resolve",
  "happen", "there", "has", "have", "been", "per", "from", "with", "us", "u", "s", "st", "nd", "rd", "th", "et", "pt",
]);

/** Folded synonyms (after lower-casing and plural cutting). */
const SYNONYMS: Readonly<Record<string, string>> = {
  btc: "bitcoin", xbt: "bitcoin", eth: "ethereum", ether: "ethereum", sol: "solana",
  fed: "fed", federal: "fed", reserve: "fed", fomc: "fed",
  cut: "cut", lower: "cut", reduce: "cut", decrease: "cut", hike: "hike", raise: "hike", increase: "hike",
  win: "win", won: "win", winner: "win", victory: "win", elected: "win", election: "election",
  presidential: "president", presidency: "president", potus: "president",
  rate: "rate", interest: "rate",
  reach: "reach", hit: "reach", touch: "reach",
  cpi: "inflation", inflation: "inflation",
  gdp: "gdp", unemployment: "unemployment", jobless: "unemployment",
  nominee: "nominee", nomination: "nominee", race: "election", contest: "election",
  final: "championship", title: "championship", champion: "win", champ: "win",
  eastern: "east", western: "west",
  us: "us", usa: "us", america: "us",
};

const GT = new Set(["above", "over", "exceed", "exceeds", "exceeding", "greater", "more", "higher", "least", "atleast", "reach", "hit", "surpass", "top"]);
const LT = new Set(["below", "under", "less", "lower", "fewer", "beneath"]);

function canonicalNumber(text: string): string {
  const n = Number(text);
  return Number.isFinite(n) ? String(n) : text;
}

/** `$100k` → 100000, `1.5m` → 1500000, `100,000` → 100000, `4.00%` → 4; other text unchanged. */
function numberOf(raw: string): string | undefined {
  const m = /^\$?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(k|m|bn|b|%)?$/.exec(raw);
  if (m === null) return undefined;
  let n = Number(m[1]!.replaceAll(",", ""));
  const unit = m[2];
  if (unit === "k") n *= 1e3;
  else if (unit === "m") n *= 1e6;
  else if (unit === "b" || unit === "bn") n *= 1e9;
  return canonicalNumber(String(n));
}

/**
 * Normalizes one market title.
 *
 * @example
 * normalizeTitle("Will BTC be above $100k on Dec 31, 2026?");
 * // { words: ["bitcoin"], numbers: ["100000", "31"], years: ["2026"], months: ["m12"], direction: "gt" }
 */
export function normalizeTitle(title: string): NormalizedTitle {
  const words: string[] = [];
  const numbers: string[] = [];
  const years: string[] = [];
  const months: string[] = [];
  let direction: "gt" | "lt" | undefined;
  const text = title
    .toLowerCase()
    .replace(/(\d{4})-(\d{1,2})-(\d{1,2})/g, (_, y: string, mo: string, d: string) => ` ${y} m${Number(mo)} ${Number(d)} `) // ISO dates
    .replace(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, (_, mo: string, d: string, y: string) => ` m${Number(mo)} ${Number(d)} ${y} `) // US dates
    .replace(/(\d)(st|nd|rd|th)\b/g, "$1")
    .replace(/[’']s\b/g, "")
    .replace(/[^a-z0-9$.,%\s-]/g, " ")
    .replace(/(\d),(?!\d{3})/g, "$1 ") // "31, 2026": a comma that is not a thousands separator
    .replace(/\.(\s|$)/g, " ")
    .replace(/-/g, " ");
  for (const raw of text.split(/\s+/)) {
    if (raw === "" || raw === "$") continue;
    if (/^m\d{1,2}$/.test(raw)) {
      months.push(raw);
      continue;
    }
    const num = numberOf(raw.replace(/,$/, ""));
    if (num !== undefined) {
      const n = Number(num);
      if (Number.isInteger(n) && n >= 2000 && n <= 2100) years.push(num);
      else numbers.push(num);
      continue;
    }
    let w = raw.replace(/[$.,%]/g, "");
    if (w === "") continue;
    const month = MONTHS[w];
    if (month !== undefined) {
      months.push(`m${month}`);
      continue;
    }
    if (GT.has(w)) direction ??= "gt";
    else if (LT.has(w)) direction ??= "lt";
    if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
    w = SYNONYMS[w] ?? w;
    if (FILLER.has(w) || GT.has(w) || LT.has(w)) continue;
    words.push(w);
  }
  return { words, numbers: numbers.sort(), years: years.sort(), months: months.sort(), direction };
}

/** Outcome names, folded for comparison. */
export function normalizeOutcome(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}
