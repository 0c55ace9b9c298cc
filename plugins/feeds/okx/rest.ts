/**
 * OKX REST: instrument metadata (`GET /api/v5/public/instruments`, cached per endpoint and type) and book
 * snapshots (`GET /api/v5/market/books`). Requests go through `ctx.fetch` (recorded and replayable).
 */
import type { Fetch } from "../../../core/transport.ts";
import { okxInstrumentFrom, okxInstType, type OkxInstrument } from "./instruments.ts";
import type { OkxInstrumentRow, OkxRestInstruments } from "./messages.ts";

interface CacheEntry {
  readonly at: number;
  readonly rows: ReadonlyMap<string, OkxInstrumentRow>;
}

/** Shared by every OKX feed instance of the process: a reload or a second feed does not refetch. */
const instrumentCache = new Map<string, CacheEntry>();

/** Forgets cached instrument metadata (tests). */
export function clearOkxInstrumentCache(): void {
  instrumentCache.clear();
}

export interface OkxRestOptions {
  readonly fetch: Fetch;
  readonly restUrl: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

async function requestJson(o: OkxRestOptions, path: string): Promise<unknown> {
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(Math.max(1, o.timeoutMs))]);
  const res = await o.fetch(`${o.restUrl.replace(/\/+$/, "")}${path}`, { signal });
  if (!res.ok) throw new Error(`GET ${path} answered HTTP ${res.status}`);
  return (await res.json()) as unknown;
}

/** The venue answered, but with an error code: the ids asked about cannot be used (no retry helps). */
class OkxRefusal extends Error {}

/** The instrument list of one type (options: of one family, which OKX requires for them). */
async function requestList(o: OkxRestOptions, query: string, now: number, ttlMs: number): Promise<ReadonlyMap<string, OkxInstrumentRow>> {
  const cacheKey = `${o.restUrl}|${query}`;
  const hit = instrumentCache.get(cacheKey);
  if (hit !== undefined && now - hit.at < ttlMs) return hit.rows;
  const path = `/api/v5/public/instruments?${query}`;
  const body = (await requestJson(o, path)) as OkxRestInstruments;
  if (typeof body !== "object" || body === null || !Array.isArray(body.data)) throw new Error(`GET ${path} answered without a data list`);
  if (body.code !== "0") throw new OkxRefusal(`GET ${path} answered code ${String(body.code)}: ${String(body.msg ?? "")}`);
  const rows = new Map(body.data.map((r) => [r.instId, r] as const));
  instrumentCache.set(cacheKey, { at: now, rows });
  return rows;
}

/** Known instruments with their contract facts, and why the others cannot be used. */
export interface OkxInstrumentsResult {
  readonly known: Map<string, OkxInstrument>;
  readonly rejected: Map<string, string>;
}

/**
 * Looks every configured id up in the venue's instrument list. Throws when the venue cannot be asked
 * (network, HTTP error): the caller retries. A list the venue refuses with an error code rejects its ids.
 */
export async function requestOkxInstruments(o: OkxRestOptions, instIds: readonly string[], now: number, ttlMs: number): Promise<OkxInstrumentsResult> {
  const known = new Map<string, OkxInstrument>();
  const rejected = new Map<string, string>();
  const byQuery = new Map<string, string[]>();
  for (const id of instIds) {
    const t = okxInstType(id);
    if (t === undefined) {
      rejected.set(id, `${id} is not an OKX instrument id (expected e.g. BTC-USDT-SWAP, BTC-USD-SWAP, BTC-USDT)`);
      continue;
    }
    const query = t === "OPTION" ? `instType=OPTION&instFamily=${id.split("-").slice(0, 2).join("-")}` : `instType=${t}`;
    let list = byQuery.get(query);
    if (list === undefined) byQuery.set(query, (list = []));
    list.push(id);
  }
  for (const [query, ids] of byQuery) {
    let rows: ReadonlyMap<string, OkxInstrumentRow>;
    try {
      rows = await requestList(o, query, now, ttlMs);
    } catch (error) {
      if (!(error instanceof OkxRefusal)) throw error;
      for (const id of ids) rejected.set(id, `${id}: ${error.message}`);
      continue;
    }
    for (const id of ids) {
      const row = rows.get(id);
      if (row === undefined) rejected.set(id, `${id} is not listed by OKX (GET /api/v5/public/instruments?${query}); instrument ids are case-sensitive`);
      else if (row.state !== undefined && row.state !== "live" && row.state !== "") rejected.set(id, `${id} is ${row.state} on OKX, not live`);
      else known.set(id, okxInstrumentFrom(id, row));
    }
  }
  return { known, rejected };
}

/** `GET /api/v5/market/books?instId=…&sz=…` as parsed JSON. */
export function requestOkxBooks(o: OkxRestOptions, instId: string, depth: number): Promise<unknown> {
  return requestJson(o, `/api/v5/market/books?instId=${encodeURIComponent(instId)}&sz=${depth}`);
}
