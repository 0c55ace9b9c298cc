/**
 * Probable REST answers → domain events. PURE: no I/O, no clock. Each outcome token has its own book
 * (a CLOB like Polymarket's): bids best first, asks best first, prices in USD (0–1), sizes in shares.
 */
import type { BookSnapshot, Level } from "../../../core/events.ts";
import type { ProbableBook, ProbableLevel, ProbableMarket } from "./messages.ts";

/** What the feed needs of one binary market. */
export interface ProbableMarketInfo {
  readonly id: string;
  readonly question: string;
  readonly outcomes: readonly [string, string];
  /** YES token, NO token. */
  readonly tokens: readonly [string, string];
  readonly endDate?: string;
  readonly slug?: string;
  readonly conditionId?: string;
}

function levels(raw: readonly ProbableLevel[] | undefined, side: "bid" | "ask"): Level[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: Level[] = [];
  for (const l of raw) {
    const p = Number(l?.price);
    const s = Number(l?.size);
    if (typeof l?.price !== "string" || typeof l?.size !== "string" || !Number.isFinite(p) || !Number.isFinite(s) || p < 0 || p > 1 || s < 0) return undefined;
    out.push([p, s]);
  }
  // best first whatever order the venue sent
  return out.sort((a, b) => (side === "bid" ? b[0] - a[0] : a[0] - b[0]));
}

/** A token's book as a snapshot, or a reason it is not one. */
export function parseProbableBook(raw: unknown, feed: string, token: string, key: string, tsRecv: number): BookSnapshot | string {
  if (typeof raw !== "object" || raw === null) return "book: not an object";
  const b = raw as ProbableBook;
  if (typeof b.asset_id === "string" && b.asset_id !== token) return `book: asset_id ${b.asset_id} is not ${token}`;
  const bids = levels(b.bids, "bid");
  const asks = levels(b.asks, "ask");
  if (bids === undefined || asks === undefined) return "book: bad levels";
  const tick = Number(b.tick_size);
  // a polled book is the venue's state as of the answer: its age is the poll's
  return { feed, instrument: token, key, tsEvent: tsRecv, tsRecv, bids, asks, source: "rest", ...(Number.isFinite(tick) && tick > 0 ? { tickSize: tick } : {}) };
}

function list(x: readonly string[] | string | undefined): string[] | undefined {
  if (Array.isArray(x)) return x.map(String);
  if (typeof x === "string") {
    try {
      const v: unknown = JSON.parse(x);
      return Array.isArray(v) ? v.map(String) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A binary market from the market API, or a reason it cannot be used. */
export function parseProbableMarket(raw: unknown): ProbableMarketInfo | string {
  if (typeof raw !== "object" || raw === null) return "market: not an object";
  const m = raw as ProbableMarket;
  const tokens = list(m.clobTokenIds);
  const outcomes = list(m.outcomes) ?? ["Yes", "No"];
  if (tokens === undefined || tokens.length !== 2 || outcomes.length !== 2) return `market ${String(m.id)}: not a two-outcome market with two clobTokenIds`;
  const end = m.endDate ?? m.end_date_iso ?? m.end_date;
  return {
    id: String(m.id),
    question: m.question ?? `Probable market ${String(m.id)}`,
    outcomes: [outcomes[0]!, outcomes[1]!],
    tokens: [tokens[0]!, tokens[1]!],
    ...(end === undefined ? {} : { endDate: end }),
    ...(m.market_slug === undefined ? {} : { slug: m.market_slug }),
    ...(m.condition_id === undefined ? {} : { conditionId: m.condition_id }),
  };
}
