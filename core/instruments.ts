/**
 * Normalized instrument keys and quote-currency conversion.
 *
 * A key names one market the same way on every venue: `BASE-QUOTE-KIND`, optionally followed by
 * kind-specific parts (`BTC-USD-FUT-20260327`). The quote currency is part of the key and is never
 * equated with another one: `BTC-USDT-PERP`, `BTC-USDC-PERP` and `BTC-USD-PERP` are three markets.
 * Comparing across quote currencies needs an explicit `quote_rates` entry (`QuoteRates`).
 * Each feed plugin maps its venue's ids to keys; core knows no venue.
 */
import * as v from "valibot";
import type { MarketStore } from "./market.ts";

/** A normalized key, `BASE-QUOTE-KIND[-…]` (`BTC-USDT-PERP`). */
export type InstrumentKey = string;

/** Market kinds a key may name. */
export type InstrumentKind = "PERP" | "SPOT" | "FUT" | "OPT";

const KINDS: ReadonlySet<string> = new Set(["PERP", "SPOT", "FUT", "OPT"]);
const PART = /^[A-Za-z0-9.]+$/;
const CURRENCY = /^[A-Z0-9]+$/;

/** The parts of a key. */
export interface ParsedKey {
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
  /** Kind-specific parts after the kind (expiry, strike, …), possibly empty. */
  readonly extra: readonly string[];
}

/**
 * Splits a key into its parts, or undefined when it is not `BASE-QUOTE-KIND[-…]`.
 *
 * @example
 * parseInstrumentKey("BTC-USDT-PERP"); // { base: "BTC", quote: "USDT", kind: "PERP", extra: [] }
 */
export function parseInstrumentKey(key: string): ParsedKey | undefined {
  const parts = key.split("-");
  if (parts.length < 3) return undefined;
  const [base, quote, kind, ...extra] = parts as [string, string, string, ...string[]];
  if (!PART.test(base) || !CURRENCY.test(quote) || !KINDS.has(kind)) return undefined;
  if (extra.some((p) => !PART.test(p))) return undefined;
  return { base, quote, kind: kind as InstrumentKind, extra };
}

/**
 * Builds a key from its parts (the inverse of `parseInstrumentKey`).
 *
 * @example
 * formatInstrumentKey({ base: "BTC", quote: "USDC", kind: "PERP" }); // "BTC-USDC-PERP"
 */
export function formatInstrumentKey(p: { base: string; quote: string; kind: InstrumentKind; extra?: readonly string[] }): InstrumentKey {
  const parts = [p.base, p.quote, p.kind, ...(p.extra ?? [])];
  const key = parts.join("-");
  if (parseInstrumentKey(key) === undefined) throw new RangeError(`not a valid instrument key: ${JSON.stringify(key)}`);
  return key;
}

/** The quote currency of a key, or undefined when the key is not normalized. */
export function quoteCurrency(key: string): string | undefined {
  return parseInstrumentKey(key)?.quote;
}

/**
 * True when two keys name the same market apart from the quote currency (`BTC-USDT-PERP` and
 * `BTC-USDC-PERP`): pairable through a quote rate.
 */
export function sameMarketExceptQuote(a: string, b: string): boolean {
  const pa = parseInstrumentKey(a);
  const pb = parseInstrumentKey(b);
  if (pa === undefined || pb === undefined) return false;
  return pa.base === pb.base && pa.kind === pb.kind && pa.extra.join("-") === pb.extra.join("-");
}

/**
 * Valibot schema of a `quote_rates` table: keys `FROM_TO` (`USDC_USDT`), values a fixed positive rate
 * (1 FROM = rate TO) or `"feed:instrument"` to follow that live quote's mid.
 *
 * @example
 * quote_rates = { USDC_USDT = 1.0, USD_USDT = "venue_a:USDT-USD" }
 */
export const quoteRatesSchema = v.record(
  v.pipe(v.string(), v.regex(/^[A-Z0-9]+_[A-Z0-9]+$/, "a quote rate key is FROM_TO in capitals, e.g. USDC_USDT")),
  v.union([
    v.pipe(v.number(), v.finite(), v.gtValue(0, "a fixed quote rate must be positive")),
    v.pipe(v.string(), v.regex(/^[^:\s]+:\S+$/, 'a live quote rate is "feed:instrument"')),
  ]),
);

/** A `quote_rates` table as configured. */
export type QuoteRatesConfig = Readonly<Record<string, number | string>>;

interface Rate {
  readonly fixed: number;
  readonly feed: string | undefined;
  readonly instrument: string | undefined;
}

/**
 * Converts prices between quote currencies, only through configured rates: same currency → as is;
 * `FROM_TO` configured → × rate; `TO_FROM` configured → ÷ rate; anything else → undefined (never
 * assumed equal). A live rate follows the mid of a quote and is undefined while that quote is missing,
 * one-sided or not fresh (`store.fresh`).
 *
 * @example
 * const rates = new QuoteRates({ USDC_USDT: 1.0002 }, ctx.store);
 * rates.convert(100_000, "USDC", "USDT"); // 100020
 * rates.convert(100_000, "USD", "USDT");  // undefined: no rate configured
 */
export class QuoteRates {
  readonly #rates = new Map<string, Rate>();
  readonly #store: MarketStore | undefined;

  constructor(config: QuoteRatesConfig = {}, store?: MarketStore) {
    this.#store = store;
    for (const [name, value] of Object.entries(config)) {
      const pair = name.split("_");
      if (pair.length !== 2 || pair[0] === "" || pair[1] === "") throw new RangeError(`quote rate key ${JSON.stringify(name)} is not FROM_TO`);
      if (typeof value === "number") {
        if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`quote rate ${name} must be a positive number`);
        this.#rates.set(name, { fixed: value, feed: undefined, instrument: undefined });
      } else {
        const i = value.indexOf(":");
        if (i <= 0 || i === value.length - 1) throw new RangeError(`quote rate ${name} must be a number or "feed:instrument"`);
        if (store === undefined) throw new RangeError(`quote rate ${name} follows a live quote but no market store was given`);
        this.#rates.set(name, { fixed: Number.NaN, feed: value.slice(0, i), instrument: value.slice(i + 1) });
      }
    }
  }

  /** How many `to` one `from` is worth now, or undefined when no usable rate exists. */
  rate(from: string, to: string): number | undefined {
    if (from === to) return 1;
    const direct = this.#rates.get(`${from}_${to}`);
    if (direct !== undefined) return this.#value(direct);
    const inverse = this.#rates.get(`${to}_${from}`);
    if (inverse !== undefined) {
      const r = this.#value(inverse);
      return r === undefined ? undefined : 1 / r;
    }
    return undefined;
  }

  /** `price` in `from` expressed in `to`, or undefined when no rate is configured or usable. */
  convert(price: number, from: string, to: string): number | undefined {
    const r = this.rate(from, to);
    return r === undefined ? undefined : price * r;
  }

  /** Whether a rate between the two currencies is configured (usable or not right now). */
  has(from: string, to: string): boolean {
    return from === to || this.#rates.has(`${from}_${to}`) || this.#rates.has(`${to}_${from}`);
  }

  #value(r: Rate): number | undefined {
    if (r.feed === undefined || r.instrument === undefined) return r.fixed;
    const store = this.#store!;
    if (!store.fresh(r.feed, r.instrument).ok) return undefined;
    const mid = store.quote(r.feed, r.instrument)?.mid;
    return mid === null || mid === undefined || !(mid > 0) ? undefined : mid;
  }
}
