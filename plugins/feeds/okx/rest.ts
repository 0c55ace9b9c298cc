/**
 * OKX REST: instrument metadata (`GET /api/v5/public/instruments`, cached per endpoint and type) and book
 * snapshots (`GET /api/v5/market/books`). Requests go through `ctx.fetch` (recorded and replayable).
 */
import type { Fetch } from "../../../core/transport.ts";
import { okxInstrumentFrom, okxInstType, type OkxInstType, type OkxInstrument } from "./instruments.ts";
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

async function requestType(o: OkxRestOptions, instType: OkxInstType, now: number, ttlMs: number): Promise<ReadonlyMap<string, OkxInstrumentRow>> {
  const cacheKey = `${o.restUrl}|${instType}`;
  const hit = instrumentCache.get(cacheKey);
  if (hit !== undefined && now - hit.at < ttlMs) return hit.rows;
  const body = (await requestJson(o, `/api/v5/public/instruments?instType=${instType}`)) as OkxRestInstruments;
  if (typeof body !== "object" || body === null || body.code !== "0" || !Array.isArray(body.data)) {
    throw new Error(`GET /api/v5/public/instruments?instType=${instType} answered code ${String(body?.code)} ${String(body?.msg ?? "")}`);
  }
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
 * (network, HTTP error): the caller retries.
 */
export async function requestOkxInstruments(o: OkxRestOptions, instIds: readonly string[], now: number, ttlMs: number): Promise<OkxInstrumentsResult> {
  const known = new Map<string, OkxInstrument>();
  const rejected = new Map<string, string>();
  const byType = new Map<OkxInstType, string[]>();
  for (const id of instIds) {
    const t = okxInstType(id);
    if (t === undefined) {
      rejected.set(id, `${id} is not an OKX instrument id (expected e.g. BTC-USDT-SWAP, BTC-USD-SWAP, BTC-USDT)`);
      continue;
    }
    let list = byType.get(t);
    if (list === undefined) byType.set(t, (list = []));
    list.push(id);
  }
  for (const [t, ids] of byType) {
    const rows = await requestType(o, t, now, ttlMs);
    for (const id of ids) {
      const row = rows.get(id);
      if (row === undefined) rejected.set(id, `${id} is not listed by OKX (GET /api/v5/public/instruments?instType=${t}); instrument ids are case-sensitive`);
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
