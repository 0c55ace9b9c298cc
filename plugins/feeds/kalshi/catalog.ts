/**
 * Kalshi market metadata for `market.new`: `GET {rest_url}/markets/{ticker}` (public, no auth) gives the
 * title and close time; the event carries the two book instruments, `Yes`/`No` outcomes and, in `meta`,
 * the venue-free `feeModel` and `endDate` that cross-platform strategies and the matcher read.
 */
import type { MarketNew } from "../../../core/events.ts";
import type { Fetch } from "../../../core/transport.ts";
import { kalshiInstruments } from "./book-state.ts";
import type { KalshiMarketRest } from "./messages.ts";

/** Reads one market's metadata; undefined when the venue does not answer with one. */
export async function requestKalshiMarket(fetch: Fetch, restUrl: string, ticker: string, signal?: AbortSignal): Promise<KalshiMarketRest | undefined> {
  const res = await fetch(`${restUrl.replace(/\/$/, "")}/markets/${encodeURIComponent(ticker)}`, { signal });
  if (!res.ok) return undefined;
  const body = (await res.json()) as { market?: KalshiMarketRest };
  return typeof body?.market?.ticker === "string" ? body.market : undefined;
}

/** The `market.new` of a market (pure). */
export function kalshiMarketNew(feed: string, ticker: string, rest: KalshiMarketRest | undefined, feeRate: number, now: number): MarketNew {
  const ids = kalshiInstruments(ticker);
  const title = rest?.title ?? ticker;
  const sub = rest?.yes_sub_title ?? rest?.subtitle;
  return {
    feed,
    instrument: ticker,
    key: ticker,
    tsEvent: now,
    tsRecv: now,
    question: sub !== undefined && sub !== "" && !title.includes(sub) ? `${title} (${sub})` : title,
    outcomes: ["Yes", "No"],
    instruments: [ids.yes, ids.no],
    meta: {
      venue: "kalshi",
      feeModel: { kind: "curve", rate: feeRate, exponent: 1 },
      minOrderSize: 1,
      ...(rest?.close_time === undefined ? {} : { endDate: rest.close_time }),
      ...(rest?.event_ticker === undefined ? {} : { eventTicker: rest.event_ticker }),
      ...(rest?.status === undefined ? {} : { status: rest.status }),
      ...(rest?.rules_primary === undefined ? {} : { rules: rest.rules_primary }),
    },
  };
}
