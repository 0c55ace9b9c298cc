/**
 * A fake catalog of prediction markets on three venues, each venue wording its titles its own way
 * (numbers as $100,000 / 100k / 100000, dates as "Dec 31, 2026" / "2026-12-31" / "December 31 2026",
 * synonyms, word order). Every market carries the key of the event it settles on, so a test knows the
 * truth: two markets are equivalent exactly when their keys are equal. Events come in families (same
 * template and subject, neighbouring strikes, thresholds and dates), so most markets have near-twins
 * that settle differently: the hard negatives.
 */
import type { CatalogMarket } from "../../core/equivalence/match.ts";
import { seeded } from "../fakes/binance/book-truth.ts";

export interface FakeMarket extends CatalogMarket {
  /** The event it settles on. */
  readonly event: string;
}

interface Event {
  readonly key: string;
  readonly end: number;
  /** The title on venue 0, 1, 2. */
  readonly titles: readonly [string, string, string];
  /** Named binary outcomes (an election between two people) instead of Yes/No. */
  readonly named?: readonly [string, string];
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const SHORT = MONTHS.map((m) => m.slice(0, 3));
const ASSETS: readonly [string, string][] = [["Bitcoin", "BTC"], ["Ethereum", "ETH"], ["Solana", "SOL"]];
const PEOPLE = ["Alice Moreau", "Bruno Kessler", "Carmen Ortega", "Dmitri Volkov", "Elena Sato", "Farid Haddad", "Grace Lindqvist", "Hugo Brandt", "Ines Duarte", "Jonas Weber", "Kira Tanaka", "Luis Romero", "Marta Silva", "Nils Berg", "Olga Petrova", "Pablo Reyes", "Quinn Murphy", "Rosa Conti", "Samir Khan", "Tara Walsh"];
const OFFICES = ["presidential", "Senate", "mayoral", "gubernatorial"];
const TEAMS = ["Lakers", "Celtics", "Warriors", "Bulls", "Knicks", "Heat", "Nuggets", "Suns"];
const LEAGUES: readonly [string, string][] = [["NBA Finals", "NBA championship"], ["Eastern Conference", "East conference title"]];

const ymd = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d, 23, 59);
const iso = (y: number, m: number, d: number): string => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
const comma = (n: number): string => n.toLocaleString("en-US");

function events(): Event[] {
  const out: Event[] = [];
  for (const [name, ticker] of ASSETS) {
    const base = name === "Bitcoin" ? 100_000 : name === "Ethereum" ? 4_000 : 200;
    const step = base / 20;
    for (let k = -9; k <= 9; k++) {
      const strike = base + k * step;
      for (const [y, m, d] of [[2026, 12, 31], [2026, 12, 30], [2027, 3, 31], [2027, 6, 30], [2027, 9, 30], [2026, 11, 30], [2027, 1, 31], [2027, 12, 31]] as const) {
        for (const dir of ["above", "below"] as const) {
          const short = strike >= 1000 && strike % 1000 === 0 ? `${strike / 1000}k` : comma(strike);
          out.push({
            key: `crypto:${ticker}:${dir}:${strike}:${iso(y, m, d)}`,
            end: ymd(y, m, d),
            titles: [
              `Will ${name} be ${dir} $${comma(strike)} on ${MONTHS[m - 1]} ${d}, ${y}?`,
              `${ticker} ${dir === "above" ? "above" : "below"} ${short} on ${SHORT[m - 1]} ${d} ${y}?`,
              `${name} price ${dir === "above" ? "over" : "under"} ${strike} USD at close of ${iso(y, m, d)}`,
            ],
          });
        }
      }
    }
  }
  for (const action of ["cut", "hike"] as const) {
    for (const y of [2026, 2027, 2028]) {
      for (const m of [1, 3, 5, 6, 7, 9, 10, 12]) {
        out.push({
          key: `fed:${action}:${y}-${m}`,
          end: ymd(y, m, 18),
          titles: [
            `Will the Fed ${action} interest rates at the ${MONTHS[m - 1]} ${y} FOMC meeting?`,
            `Fed rate ${action} in ${SHORT[m - 1]} ${y}?`,
            `FOMC ${MONTHS[m - 1]} ${y}: will the Federal Reserve ${action} rates?`,
          ],
        });
      }
    }
  }
  for (const [ind, label, alt] of [["cpi", "CPI inflation", "inflation"], ["unemployment", "the unemployment rate", "unemployment"]] as const) {
    for (const x of ind === "cpi" ? [2.5, 2.75, 3, 3.25, 3.5] : [4, 4.25, 4.5, 4.75]) {
      for (const [y, m] of [[2026, 9], [2026, 10], [2026, 11], [2026, 12], [2027, 1], [2027, 2], [2027, 3], [2027, 4]] as const) {
        out.push({
          key: `${ind}:${x}:${y}-${m}`,
          end: ymd(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 15),
          titles: [
            `Will ${label} be above ${x}% for ${MONTHS[m - 1]} ${y}?`,
            `${alt.toUpperCase() === "INFLATION" ? "CPI" : "Unemployment"} above ${x.toFixed(2)}% in ${SHORT[m - 1]} ${y}?`,
            `${MONTHS[m - 1]} ${y} ${alt} over ${x}%`,
          ],
        });
      }
    }
  }
  for (let i = 0; i < PEOPLE.length; i++) {
    for (const office of OFFICES) {
      for (const y of [2027, 2028, 2029]) {
        const rival = PEOPLE[(i + 1) % PEOPLE.length]!;
        const who = PEOPLE[i]!;
        out.push({
          key: `elect:${who}:${office}:${y}`,
          end: ymd(y, 11, 8),
          titles: [`Will ${who} win the ${y} ${office} election?`, `${who} to win ${y} ${office} race`, `${y} ${office} election winner: ${who}?`],
          ...(office === "presidential" && i % 3 === 0 ? { named: [who, rival] as const } : {}),
        });
      }
    }
  }
  for (const team of TEAMS) {
    for (const [league, alt] of LEAGUES) {
      for (const y of [2026, 2027, 2028]) {
        out.push({
          key: `sport:${team}:${league}:${y}`,
          end: ymd(y, 6, 20),
          titles: [`Will the ${team} win the ${y} ${league}?`, `${team} to win ${y} ${alt}`, `${y} ${league}: ${team} champion?`],
        });
      }
    }
  }
  return out;
}

/**
 * Three venues (`poly`, `kalshi`, `predict`) with `perVenue` markets each; `shared` events are listed
 * on all three and `pairs` more on two of them; the rest are drawn from the same families.
 */
export function fakeCatalog(options: { perVenue: number; shared: number; pairs: number; seed?: number }): FakeMarket[] {
  const rand = seeded(options.seed ?? 42);
  const all = events();
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const feeds = ["poly", "kalshi", "predict"] as const;
  const lists: Event[][] = [[], [], []];
  let next = 0;
  for (let i = 0; i < options.shared; i++) {
    const e = all[next++]!;
    for (const l of lists) l.push(e);
  }
  for (let i = 0; i < options.pairs; i++) {
    const e = all[next++]!;
    const skip = i % 3;
    lists.forEach((l, v) => v !== skip && l.push(e));
  }
  // the rest: disjoint draws from the same families, so every venue is full of near-twins
  for (let v = 0; v < 3; v++) while (lists[v]!.length < options.perVenue) lists[v]!.push(all[next++]!);
  const out: FakeMarket[] = [];
  lists.forEach((l, v) => {
    for (const e of l) {
      const jitter = Math.round((rand() - 0.5) * 12 * 3_600_000); // venues close hours apart
      const named = e.named;
      out.push({
        feed: feeds[v]!,
        market: `${feeds[v]}-${out.length}`,
        question: e.titles[v]!,
        outcomes: named === undefined ? ["Yes", "No"] : v === 1 ? [named[1], named[0]] : [named[0], named[1]],
        endDate: e.end + jitter,
        event: e.key,
      });
    }
  });
  return out;
}
