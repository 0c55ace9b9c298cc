/**
 * Bybit `tickers`: a snapshot, then deltas carrying only the fields that changed. The merged ticker per
 * symbol gives the funding event (rate, next funding time, mark and index) and, when no order book is
 * subscribed, the top of book.
 */
import type { TopOfBook } from "../../../core/book/book.ts";
import type { Funding } from "../../../core/events.ts";
import type { BybitTickerData } from "./messages.ts";
import type { BybitMarket } from "./parse.ts";

/** Merges ticker snapshots and deltas per symbol. */
export class BybitTickerCache {
  readonly #state = new Map<string, Record<string, string>>();

  /** Applies a snapshot (replaces) or a delta (merges); returns the merged ticker, or undefined for a delta before any snapshot. */
  apply(type: "snapshot" | "delta", data: BybitTickerData): Readonly<Record<string, string>> | undefined {
    const prev = this.#state.get(data.symbol);
    if (type === "delta" && prev === undefined) return undefined;
    const next: Record<string, string> = type === "snapshot" ? {} : prev!;
    for (const [k, v] of Object.entries(data)) if (typeof v === "string") next[k] = v;
    this.#state.set(data.symbol, next);
    return next;
  }

  /** Forgets a symbol (resubscribed: a fresh snapshot follows). */
  forget(symbol: string): void {
    this.#state.delete(symbol);
  }
}

function num(s: string | undefined): number | undefined {
  if (s === undefined || s === "") return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** The funding event of a merged ticker, or undefined when it carries no funding rate (spot, dated futures). */
export function bybitFunding(t: Readonly<Record<string, string>>, market: BybitMarket, feed: string, ts: number, tsRecv: number): Funding | undefined {
  const rate = num(t.fundingRate);
  if (rate === undefined) return undefined;
  const hours = num(t.fundingIntervalHour);
  return {
    feed, instrument: market.instrument, key: market.key, tsEvent: ts, tsRecv, rate,
    nextFundingTime: num(t.nextFundingTime), intervalMs: hours === undefined ? undefined : hours * 3_600_000,
    markPrice: num(t.markPrice), indexPrice: num(t.indexPrice),
  };
}

/** The top of book of a merged ticker (bid1/ask1). */
export function bybitTop(t: Readonly<Record<string, string>>, market: BybitMarket, feed: string, ts: number, tsRecv: number): TopOfBook | undefined {
  const bid = num(t.bid1Price);
  const ask = num(t.ask1Price);
  if (bid === undefined && ask === undefined) return undefined;
  return { feed, instrument: market.instrument, key: market.key, tsEvent: ts, tsRecv, bid: bid ?? null, ask: ask ?? null, bidSize: bid === undefined ? 0 : (num(t.bid1Size) ?? 0), askSize: ask === undefined ? 0 : (num(t.ask1Size) ?? 0) };
}
