/**
 * Which markets discovery subscribes (pure): the config filters applied to Gamma events and their
 * markets. A negRisk event is selected whole or not at all — when any of its markets passes, every open
 * outcome is taken whatever its own price or liquidity, and closed outcomes (resolved No) are left out:
 * a half-subscribed event makes the sum of YES asks look like an edge (SIGNALS.md).
 */
import { type CatalogEntry, entryFromGamma, outcomePrices, tokenIds } from "./catalog.ts";
import type { GammaEvent, GammaMarket } from "./messages.ts";

/** The `[feeds.<id>.discovery]` filters, in code units. */
export interface DiscoveryFilters {
  readonly minLiquidityUsd: number;
  /** Markets resolving within this many days (from now); undefined = any end date. */
  readonly maxDaysToResolution: number | undefined;
  /** YES price bounds (Gamma `outcomePrices[0]`): leaves out markets all but decided. */
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly minVolume24hUsd: number;
  /** The event must carry one of these tags (slug, label or id; case-insensitive); empty = any. */
  readonly tags: readonly string[];
  /** Events with any of these tags are left out. */
  readonly excludeTags: readonly string[];
  /** Only markets accepting orders. */
  readonly acceptingOrders: boolean;
  /** Most markets selected (whole events only); 0 = no limit. */
  readonly maxMarkets: number;
}

/** Why a market did not pass (counted per reason in the progress log). */
export type RejectReason =
  | "closed"
  | "inactive"
  | "no_order_book"
  | "not_accepting_orders"
  | "liquidity"
  | "volume"
  | "price"
  | "end_date"
  | "tags"
  | "max_markets";

const DAY_MS = 86_400_000;

function hasTag(event: GammaEvent | undefined, wanted: readonly string[]): boolean {
  const lower = wanted.map((t) => t.toLowerCase());
  for (const t of event?.tags ?? []) {
    for (const name of [t.slug, t.label, t.id]) if (name !== undefined && lower.includes(name.toLowerCase())) return true;
  }
  return false;
}

/** True when a market is open for trading on the CLOB (not closed, not archived, has an order book). */
export function isOpen(m: GammaMarket): boolean {
  return m.closed !== true && m.archived !== true && m.active !== false && tokenIds(m).length > 0 && m.enableOrderBook !== false;
}

/** The first filter a market fails, or undefined when it passes every one. `now` in epoch ms. */
export function rejectReason(m: GammaMarket, event: GammaEvent | undefined, f: DiscoveryFilters, now: number): RejectReason | undefined {
  if (m.closed === true || m.archived === true) return "closed";
  if (m.active !== true) return "inactive";
  if (m.enableOrderBook === false || tokenIds(m).length === 0) return "no_order_book";
  if (f.acceptingOrders && m.acceptingOrders !== true) return "not_accepting_orders";
  if (f.tags.length > 0 && !hasTag(event, f.tags)) return "tags";
  if (f.excludeTags.length > 0 && hasTag(event, f.excludeTags)) return "tags";
  const liquidity = m.liquidityNum ?? (m.liquidity === undefined ? 0 : Number(m.liquidity));
  if (!(liquidity >= f.minLiquidityUsd)) return "liquidity";
  if (!((m.volume24hr ?? 0) >= f.minVolume24hUsd)) return "volume";
  const price = outcomePrices(m)[0];
  if (price === undefined || !(price >= f.minPrice && price <= f.maxPrice)) return "price";
  if (f.maxDaysToResolution !== undefined) {
    const end = m.endDate === undefined ? Number.NaN : Date.parse(m.endDate);
    if (!(end >= now && end - now <= f.maxDaysToResolution * DAY_MS)) return "end_date";
  }
  return undefined;
}

/** What one discovery pass selected, with counts for the log. */
export interface Selection {
  readonly entries: CatalogEntry[];
  /** Markets read. */
  readonly markets: number;
  /** Markets that passed the filters themselves. */
  readonly passed: number;
  /** Open outcomes added because their negRisk event had a passing market. */
  readonly addedByEvent: number;
  readonly negRiskEvents: number;
  readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
}

function isNegRiskEvent(e: GammaEvent): boolean {
  return e.negRisk === true || e.enableNegRisk === true || (e.markets ?? []).some((m) => m.negRisk === true);
}

/**
 * Applies the filters to Gamma events (with their markets).
 *
 * @example
 * const sel = selectMarkets(events, filters, clock.now());
 * ws.subscribe(sel.entries.flatMap((e) => e.clobTokenIds));
 */
export function selectMarkets(events: readonly GammaEvent[], f: DiscoveryFilters, now: number): Selection {
  const entries: CatalogEntry[] = [];
  const rejected: Partial<Record<RejectReason, number>> = {};
  const reject = (r: RejectReason, n = 1) => (rejected[r] = (rejected[r] ?? 0) + n);
  const seen = new Set<string>();
  let markets = 0;
  let passed = 0;
  let addedByEvent = 0;
  let negRiskEvents = 0;
  for (const e of events) {
    const ms = e.markets ?? [];
    markets += ms.length;
    const reasons = ms.map((m) => rejectReason(m, e, f, now));
    const passing = reasons.filter((r) => r === undefined).length;
    for (const r of reasons) if (r !== undefined) reject(r);
    if (passing === 0) continue;
    let chosen: GammaMarket[];
    if (isNegRiskEvent(e)) {
      // whole or nothing: every open outcome, whatever its own price or liquidity
      chosen = ms.filter(isOpen);
      negRiskEvents++;
      addedByEvent += chosen.length - passing;
    } else {
      chosen = ms.filter((_, i) => reasons[i] === undefined);
    }
    chosen = chosen.filter((m) => m.conditionId !== undefined && !seen.has(m.conditionId));
    if (f.maxMarkets > 0 && entries.length + chosen.length > f.maxMarkets) {
      reject("max_markets", chosen.length);
      continue;
    }
    passed += passing;
    const count = isNegRiskEvent(e) ? chosen.length : undefined;
    for (const m of chosen) {
      const entry = entryFromGamma(m, e, count === undefined ? {} : { eventMarketCount: count });
      if (entry === undefined) continue;
      seen.add(entry.conditionId);
      entries.push(entry);
    }
  }
  return { entries, markets, passed, addedByEvent, negRiskEvents, rejected };
}
