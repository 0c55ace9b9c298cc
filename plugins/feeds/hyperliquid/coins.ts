/**
 * Hyperliquid coin names ↔ normalized keys, and the unit scale of `k`-prefixed coins. Pure.
 *
 * - `BTC` → `BTC-USDC-PERP` (perps settle in USDC; SURFACE.md).
 * - `kPEPE` is a contract of 1000 PEPE: key `PEPE-USDC-PERP`, prices ÷ 1000, sizes × 1000, so it pairs
 *   with other venues' per-PEPE quotes.
 * - Builder-deployed perps `xyz:SP500` → `xyz.SP500-USDC-PERP`: the dex stays in the key because two dexes
 *   may list the same name on different oracles; they are different markets. A dex whose collateral is not
 *   USDC (`collateral` null) has no normalized key: the coin itself is the key.
 */
import { formatInstrumentKey } from "../../../core/instruments.ts";

/** How one configured coin is named and scaled. */
export interface HlCoin {
  /** The coin as configured and as the venue names it (`BTC`, `kPEPE`, `xyz:SP500`). */
  readonly instrument: string;
  readonly key: string;
  /** Builder dex name, or "" for the first dex. */
  readonly dex: string;
  /** Base units per venue unit: 1000 for `k` coins, else 1. */
  readonly scale: number;
}

const K_COIN = /^k([A-Z][A-Z0-9]*)$/;
const PLAIN = /^[A-Za-z0-9]+$/;

/** The builder dex of a coin (`xyz:SP500` → `xyz`), "" for the first dex. */
export function hlDex(coin: string): string {
  const i = coin.indexOf(":");
  return i < 0 ? "" : coin.slice(0, i);
}

/**
 * Names and scales one coin.
 *
 * @example
 * hlCoin("kPEPE"); // { instrument: "kPEPE", key: "PEPE-USDC-PERP", dex: "", scale: 1000 }
 */
export function hlCoin(coin: string, collateral: string | null = "USDC"): HlCoin {
  const dex = hlDex(coin);
  const name = dex === "" ? coin : coin.slice(dex.length + 1);
  const k = K_COIN.exec(name);
  const base = k !== null ? k[1]! : name;
  const scale = k !== null ? 1000 : 1;
  if (collateral === null || !PLAIN.test(base) || !/^[A-Z0-9]+$/.test(collateral) || (dex !== "" && !PLAIN.test(dex))) return { instrument: coin, key: coin, dex, scale };
  const key = formatInstrumentKey({ base: dex === "" ? base : `${dex}.${base}`, quote: collateral, kind: "PERP" });
  return { instrument: coin, key, dex, scale };
}

/** The coin of a normalized key on the first dex (`PEPE-USDC-PERP` → undefined unless `kPEPE` is listed). */
export function hlCoinOfKey(key: string, listed: ReadonlySet<string>): string | undefined {
  const m = /^([A-Za-z0-9.]+)-USDC-PERP$/.exec(key);
  if (m === null) return undefined;
  const base = m[1]!;
  const dot = base.indexOf(".");
  const coin = dot < 0 ? base : `${base.slice(0, dot)}:${base.slice(dot + 1)}`;
  if (listed.has(coin)) return coin;
  const k = dot < 0 ? `k${coin}` : `${base.slice(0, dot)}:k${base.slice(dot + 1)}`;
  return listed.has(k) ? k : undefined;
}
