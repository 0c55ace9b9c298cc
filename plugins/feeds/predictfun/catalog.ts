/**
 * Predict.fun REST (with `x-api-key`): `GET /v1/markets/{id}` for `market.new` (title, outcomes, price
 * precision, fee rate) and `GET /v1/markets/{id}/orderbook` for a book that did not arrive on the socket.
 */
import type { MarketNew } from "../../../core/events.ts";
import type { Fetch } from "../../../core/transport.ts";
import type { PredictMarketRest, PredictOrderbook } from "./messages.ts";
import { predictBookOf, predictInstruments } from "./parse.ts";

function headers(apiKey: string | undefined): Record<string, string> {
  return apiKey === undefined ? {} : { "x-api-key": apiKey };
}

async function getData(fetch: Fetch, url: string, apiKey: string | undefined, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { headers: headers(apiKey), signal });
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url.replace(/\?.*$/, "")}`);
  const body = (await res.json()) as { success?: boolean; data?: unknown };
  if (body?.success !== true) throw new Error(`no data from ${url.replace(/\?.*$/, "")}`);
  return body.data;
}

/** One market's details. */
export async function requestPredictMarket(fetch: Fetch, restUrl: string, apiKey: string | undefined, id: string, signal?: AbortSignal): Promise<PredictMarketRest | undefined> {
  const data = (await getData(fetch, `${restUrl.replace(/\/$/, "")}/v1/markets/${id}`, apiKey, signal)) as PredictMarketRest | undefined;
  return typeof data === "object" && data !== null ? data : undefined;
}

/** One market's whole book. */
export async function requestPredictBook(fetch: Fetch, restUrl: string, apiKey: string | undefined, id: string, signal?: AbortSignal): Promise<PredictOrderbook | undefined> {
  return predictBookOf(await getData(fetch, `${restUrl.replace(/\/$/, "")}/v1/markets/${id}/orderbook`, apiKey, signal));
}

/** The `market.new` of a market (pure). */
export function predictMarketNew(feed: string, id: string, rest: PredictMarketRest | undefined, feeRate: number, now: number): MarketNew {
  const ids = predictInstruments(id);
  const names = (rest?.outcomes ?? []).map((o) => o.name).filter((n): n is string => typeof n === "string");
  const rate = typeof rest?.feeRateBps === "number" ? rest.feeRateBps / 1e4 : feeRate;
  const end = rest?.endsAt ?? rest?.endDate;
  return {
    feed,
    instrument: id,
    key: id,
    tsEvent: now,
    tsRecv: now,
    question: rest?.question ?? rest?.title ?? `Predict.fun market ${id}`,
    outcomes: names.length === 2 ? names : ["Yes", "No"],
    instruments: [ids.yes, ids.no],
    meta: {
      venue: "predictfun",
      feeModel: { kind: "min_side", rate },
      ...(typeof rest?.decimalPrecision === "number" ? { decimalPrecision: rest.decimalPrecision } : {}),
      ...(end === undefined ? {} : { endDate: end }),
      ...(rest?.status === undefined ? {} : { status: rest.status }),
      ...(rest?.isNegRisk === undefined ? {} : { negRisk: rest.isNegRisk }),
    },
  };
}
