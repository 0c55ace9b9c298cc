/**
 * OKX instrument ids ↔ normalized keys, and the contract facts (ctVal, linear/inverse, tick) the parser
 * needs to turn contracts into base units. Pure.
 */
import { formatInstrumentKey } from "../../../core/instruments.ts";
import type { OkxInstrumentRow } from "./messages.ts";

/** OKX instrument types, as `GET /api/v5/public/instruments?instType=` takes them. */
export type OkxInstType = "SPOT" | "SWAP" | "FUTURES" | "OPTION";

/** What the parser needs about one subscribed instrument. */
export interface OkxInstrument {
  /** The venue id as configured (`BTC-USDT-SWAP`). */
  readonly instrument: string;
  readonly key: string;
  readonly instType: OkxInstType;
  /** Base units per contract for linear contracts; quote units per contract for inverse ones; 1 for spot. */
  readonly ctVal: number;
  /** Inverse contracts (`BTC-USD-SWAP`): size in base = contracts × ctVal / price. */
  readonly inverse: boolean;
  readonly tickSize: number | undefined;
}

const FUTURES = /^([A-Z0-9]+)-([A-Z0-9]+)-(\d{6})$/;
const OPTION = /^([A-Z0-9]+)-([A-Z0-9]+)-(\d{6})-([0-9.]+)-([CP])$/;
const SWAP = /^([A-Z0-9]+)-([A-Z0-9]+)-SWAP$/;
const SPOT = /^([A-Z0-9]+)-([A-Z0-9]+)$/;

/** The instrument type an id names, or undefined when it has none of OKX's shapes. */
export function okxInstType(instId: string): OkxInstType | undefined {
  if (SWAP.test(instId)) return "SWAP";
  if (OPTION.test(instId)) return "OPTION";
  if (FUTURES.test(instId)) return "FUTURES";
  if (SPOT.test(instId)) return "SPOT";
  return undefined;
}

/**
 * The normalized key of an OKX id: `BTC-USDT-SWAP` → `BTC-USDT-PERP`, `BTC-USD-SWAP` → `BTC-USD-PERP`,
 * `BTC-USDT` → `BTC-USDT-SPOT`, `BTC-USD-220527` → `BTC-USD-FUT-20220527`,
 * `BTC-USD-221230-4000-C` → `BTC-USD-OPT-20221230-4000-C`. Unknown shapes keep the id.
 */
export function okxKey(instId: string): string {
  let m = SWAP.exec(instId);
  if (m !== null) return formatInstrumentKey({ base: m[1]!, quote: m[2]!, kind: "PERP" });
  m = OPTION.exec(instId);
  if (m !== null) return formatInstrumentKey({ base: m[1]!, quote: m[2]!, kind: "OPT", extra: [`20${m[3]}`, m[4]!, m[5]!] });
  m = FUTURES.exec(instId);
  if (m !== null) return formatInstrumentKey({ base: m[1]!, quote: m[2]!, kind: "FUT", extra: [`20${m[3]}`] });
  m = SPOT.exec(instId);
  if (m !== null) return formatInstrumentKey({ base: m[1]!, quote: m[2]!, kind: "SPOT" });
  return instId;
}

/**
 * The OKX id of a normalized key (the inverse of `okxKey`), or undefined for keys OKX cannot name.
 *
 * @example
 * okxInstId("BTC-USDT-PERP"); // "BTC-USDT-SWAP"
 */
export function okxInstId(key: string): string | undefined {
  const parts = key.split("-");
  const [base, quote, kind, ...extra] = parts;
  if (base === undefined || quote === undefined) return undefined;
  switch (kind) {
    case "PERP":
      return extra.length === 0 ? `${base}-${quote}-SWAP` : undefined;
    case "SPOT":
      return extra.length === 0 ? `${base}-${quote}` : undefined;
    case "FUT":
      return extra.length === 1 && /^20\d{6}$/.test(extra[0]!) ? `${base}-${quote}-${extra[0]!.slice(2)}` : undefined;
    case "OPT":
      return extra.length === 3 && /^20\d{6}$/.test(extra[0]!) ? `${base}-${quote}-${extra[0]!.slice(2)}-${extra[1]}-${extra[2]}` : undefined;
    default:
      return undefined;
  }
}

/** Builds the parser's facts from an instruments row. Spot trades in base units: ctVal 1. */
export function okxInstrumentFrom(instrument: string, row: OkxInstrumentRow): OkxInstrument {
  const instType = (okxInstType(row.instId) ?? "SPOT") as OkxInstType;
  const ctVal = instType === "SPOT" || row.ctVal === "" ? 1 : Number(row.ctVal);
  const tick = Number(row.tickSz);
  return {
    instrument,
    key: okxKey(instrument),
    instType,
    ctVal: Number.isFinite(ctVal) && ctVal > 0 ? ctVal : 1,
    inverse: row.ctType === "inverse",
    tickSize: Number.isFinite(tick) && tick > 0 ? tick : undefined,
  };
}

/** Contracts → base units (`px` is needed only for inverse contracts). */
export function okxBaseSize(inst: OkxInstrument, contracts: number, px: number): number {
  if (inst.inverse) return px > 0 ? (contracts * inst.ctVal) / px : 0;
  return contracts * inst.ctVal;
}
