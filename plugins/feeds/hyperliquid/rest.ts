/**
 * Hyperliquid `POST /info`: the coin lists a subscription is checked against before it is sent (the venue
 * closes the whole socket on an unknown coin, killing every other stream on it). Requests go through
 * `ctx.fetch` (recorded and replayable).
 */
import type { Fetch } from "../../../core/transport.ts";
import { hlCoin, hlDex, type HlCoin } from "./coins.ts";
import type { HlMeta, HlPerpDexs } from "./messages.ts";

export interface HlInfoOptions {
  readonly fetch: Fetch;
  readonly infoUrl: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** One `/info` request; throws on network or HTTP errors (the caller retries). */
export async function requestHlInfo(o: HlInfoOptions, body: Record<string, unknown>): Promise<unknown> {
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(Math.max(1, o.timeoutMs))]);
  const res = await o.fetch(o.infoUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });
  if (!res.ok) throw new Error(`POST /info ${JSON.stringify(body)} answered HTTP ${res.status}`);
  return (await res.json()) as unknown;
}

function universe(meta: unknown, what: string): Map<string, { delisted: boolean }> {
  const m = meta as HlMeta;
  if (typeof m !== "object" || m === null || !Array.isArray(m.universe)) throw new Error(`${what} answered without a universe`);
  return new Map(m.universe.map((a) => [a.name, { delisted: a.isDelisted === true }] as const));
}

/** Usable coins with their names and scales, and why the others cannot be used. */
export interface HlCoinsResult {
  readonly known: Map<string, HlCoin>;
  readonly rejected: Map<string, string>;
}

function closest(coin: string, names: Iterable<string>): string | undefined {
  const lower = coin.toLowerCase();
  for (const n of names) if (n.toLowerCase() === lower) return n;
  return undefined;
}

/**
 * Checks every configured coin: first-dex coins against `meta`, builder coins (`xyz:SP500`) against
 * `perpDexs` and that dex's `meta`.
 */
export async function requestHlCoins(o: HlInfoOptions, coins: readonly string[]): Promise<HlCoinsResult> {
  const known = new Map<string, HlCoin>();
  const rejected = new Map<string, string>();
  const byDex = new Map<string, string[]>();
  for (const c of coins) {
    const dex = hlDex(c);
    let list = byDex.get(dex);
    if (list === undefined) byDex.set(dex, (list = []));
    list.push(c);
  }
  let dexNames: Set<string> | undefined;
  for (const [dex, list] of byDex) {
    if (dex !== "") {
      if (dexNames === undefined) {
        const dexs = (await requestHlInfo(o, { type: "perpDexs" })) as HlPerpDexs;
        if (!Array.isArray(dexs)) throw new Error("perpDexs answered without a list");
        dexNames = new Set(dexs.filter((d): d is { name: string } => d !== null && typeof d?.name === "string").map((d) => d.name));
      }
      if (!dexNames.has(dex)) {
        for (const c of list) rejected.set(c, `${c}: "${dex}" is not a Hyperliquid builder dex (perpDexs lists ${[...dexNames].join(", ") || "none"})`);
        continue;
      }
    }
    const meta = (await requestHlInfo(o, dex === "" ? { type: "meta" } : { type: "meta", dex })) as HlMeta;
    const names = universe(meta, dex === "" ? "meta" : `meta for dex ${dex}`);
    const collateral = dex === "" || meta.collateralToken === undefined || meta.collateralToken === 0 ? "USDC" : null;
    for (const c of list) {
      const name = names.has(c) ? c : dex !== "" && names.has(c.slice(dex.length + 1)) ? c.slice(dex.length + 1) : undefined;
      const asset = name === undefined ? undefined : names.get(name);
      if (asset === undefined) {
        const hint = closest(c, names.keys());
        const where = dex === "" ? 'POST /info {"type":"meta"}' : `POST /info {"type":"meta","dex":"${dex}"}`;
        const builderHint = dex === "" && !c.includes(":") ? "; builder-deployed perps need their dex prefix (xyz:SP500)" : "";
        rejected.set(c, `${c} is not a Hyperliquid perp (${where})${hint === undefined ? "" : `; names are case-sensitive: did you mean "${hint}"?`}${builderHint}`);
      } else if (asset.delisted) {
        rejected.set(c, `${c} is delisted on Hyperliquid`);
      } else {
        known.set(c, hlCoin(c, collateral));
      }
    }
  }
  return { known, rejected };
}
