/**
 * The market catalog of one Polymarket feed: what strategies need to know about each subscribed market
 * (question, slug, outcomes and token ids in outcome order, end date, negRisk event and its flags, fees,
 * tick size, minimum order size). Entries come from Gamma (discovery and static lists), the CLOB socket
 * (`new_market`) and REST books (`min_order_size`, `neg_risk`, `tick_size` as the venue writes them).
 *
 * Strategies read it two ways: each entry is the `meta` of the `market.new` event the feed emits for the
 * market (Gamma casing, so `binary-arb` reads it as is), and `polymarketCatalog(feedId)` returns a reader.
 */
import type { GammaEvent, GammaFeeSchedule, GammaMarket } from "./messages.ts";
import type { HashMeta } from "./hash.ts";

/** One market. Field names follow Gamma so the entry can travel as `market.new` `meta` unchanged. */
export interface CatalogEntry {
  /** Gamma market id. */
  readonly id: string;
  /** Condition id (`0x` + 64 hex): the market's instrument id in `market.new`. */
  readonly conditionId: string;
  readonly question: string;
  readonly slug?: string;
  /** Outcome names; `clobTokenIds` is in the same order (YES first for binary markets). */
  readonly outcomes: readonly string[];
  readonly clobTokenIds: readonly string[];
  /** ISO-8601 end date. */
  readonly endDate?: string;
  readonly negRisk: boolean;
  readonly negRiskMarketID?: string;
  /** The event's outcomes are not exhaustive (an "Other" may be named later). */
  readonly negRiskAugmented: boolean;
  /** This outcome is the placeholder "Other". */
  readonly negRiskOther: boolean;
  readonly eventId?: string;
  readonly eventSlug?: string;
  /** Open markets of its negRisk event that the feed subscribes (the event is complete with all of them). */
  readonly eventMarketCount?: number;
  readonly feesEnabled?: boolean;
  readonly feeType?: string | null;
  readonly feeSchedule?: GammaFeeSchedule | null;
  readonly makerBaseFee?: number;
  readonly takerBaseFee?: number;
  readonly orderPriceMinTickSize?: number;
  readonly orderMinSize?: number;
  readonly liquidityNum?: number;
  readonly volume24hr?: number;
  readonly acceptingOrders?: boolean;
  readonly tags?: readonly string[];
  /** Where the entry came from. */
  readonly source: "gamma" | "ws" | "static";
}

/** What strategies and tools read. */
export interface CatalogReader {
  /** By condition id. */
  market(conditionId: string): CatalogEntry | undefined;
  /** The market a token belongs to. */
  marketOfToken(token: string): CatalogEntry | undefined;
  /** Every market, in insertion order. */
  markets(): CatalogEntry[];
  /** The markets of one negRisk event (by `negRiskMarketID`). */
  eventMarkets(negRiskMarketID: string): CatalogEntry[];
  readonly size: number;
}

function jsonArray(s: string | undefined): string[] {
  if (s === undefined || s === "") return [];
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Outcome prices of a Gamma market as numbers (`outcomePrices` is a string holding a JSON array). */
export function outcomePrices(m: GammaMarket): number[] {
  return jsonArray(m.outcomePrices).map(Number);
}

/** Token ids of a Gamma market, in outcome order. */
export function tokenIds(m: GammaMarket): string[] {
  return jsonArray(m.clobTokenIds);
}

function tagNames(tags: GammaEvent["tags"]): string[] | undefined {
  return tags === undefined ? undefined : tags.map((t) => t.slug ?? t.label ?? t.id);
}

/**
 * A catalog entry from a Gamma market and its event (the event from the listing, or the market's own
 * `events[0]`). Undefined when the market has no condition id or no token ids (not tradable on the CLOB).
 */
export function entryFromGamma(m: GammaMarket, event: GammaEvent | undefined, extra: { eventMarketCount?: number; source?: CatalogEntry["source"] } = {}): CatalogEntry | undefined {
  const tokens = tokenIds(m);
  if (m.conditionId === undefined || m.conditionId === "" || tokens.length === 0) return undefined;
  const ev = event ?? m.events?.[0];
  const negRisk = m.negRisk === true || ev?.negRisk === true || ev?.enableNegRisk === true;
  const entry: Record<string, unknown> = {
    id: m.id,
    conditionId: m.conditionId,
    question: m.question ?? "",
    slug: m.slug,
    outcomes: jsonArray(m.outcomes),
    clobTokenIds: tokens,
    endDate: m.endDate,
    negRisk,
    negRiskMarketID: m.negRiskMarketID ?? ev?.negRiskMarketID,
    negRiskAugmented: ev?.negRiskAugmented === true,
    negRiskOther: m.negRiskOther === true,
    eventId: ev?.id,
    eventSlug: ev?.slug,
    eventMarketCount: extra.eventMarketCount,
    feesEnabled: m.feesEnabled,
    feeType: m.feeType,
    feeSchedule: m.feeSchedule,
    makerBaseFee: m.makerBaseFee,
    takerBaseFee: m.takerBaseFee,
    orderPriceMinTickSize: m.orderPriceMinTickSize,
    orderMinSize: m.orderMinSize,
    liquidityNum: m.liquidityNum ?? (m.liquidity === undefined ? undefined : Number(m.liquidity)),
    volume24hr: m.volume24hr,
    acceptingOrders: m.acceptingOrders,
    tags: tagNames(ev?.tags ?? m.tags),
    source: extra.source ?? "gamma",
  };
  for (const k of Object.keys(entry)) if (entry[k] === undefined) delete entry[k];
  return entry as unknown as CatalogEntry;
}

/** Book facts as the CLOB writes them (for the book hash). */
interface BookFacts {
  minOrderSize: string;
  negRisk: boolean;
}

/** The catalog of one feed instance. */
export class PolymarketCatalog implements CatalogReader {
  #byCondition = new Map<string, CatalogEntry>();
  #byToken = new Map<string, CatalogEntry>();
  #facts = new Map<string, BookFacts>();

  get size(): number {
    return this.#byCondition.size;
  }

  market(conditionId: string): CatalogEntry | undefined {
    return this.#byCondition.get(conditionId);
  }

  marketOfToken(token: string): CatalogEntry | undefined {
    return this.#byToken.get(token);
  }

  markets(): CatalogEntry[] {
    return [...this.#byCondition.values()];
  }

  eventMarkets(negRiskMarketID: string): CatalogEntry[] {
    return this.markets().filter((m) => m.negRiskMarketID === negRiskMarketID);
  }

  /** Adds or replaces an entry; true when it is new or changed (the feed re-emits `market.new`). */
  upsert(entry: CatalogEntry): boolean {
    const old = this.#byCondition.get(entry.conditionId);
    if (old !== undefined && JSON.stringify(old) === JSON.stringify(entry)) return false;
    if (old !== undefined) for (const t of old.clobTokenIds) this.#byToken.delete(t);
    this.#byCondition.set(entry.conditionId, entry);
    for (const t of entry.clobTokenIds) this.#byToken.set(t, entry);
    return true;
  }

  /** Forgets a market (no longer subscribed). */
  remove(conditionId: string): CatalogEntry | undefined {
    const old = this.#byCondition.get(conditionId);
    if (old === undefined) return undefined;
    this.#byCondition.delete(conditionId);
    for (const t of old.clobTokenIds) {
      this.#byToken.delete(t);
      this.#facts.delete(t);
    }
    return old;
  }

  /** Records `min_order_size` / `neg_risk` exactly as a REST book wrote them. */
  setBookFacts(token: string, minOrderSize: string, negRisk: boolean): void {
    this.#facts.set(token, { minOrderSize, negRisk });
  }

  /** What the WS book hash of `token` needs from metadata, or undefined when unknown. */
  hashMeta(token: string): HashMeta | undefined {
    const f = this.#facts.get(token);
    if (f !== undefined) return f;
    const m = this.#byToken.get(token);
    if (m === undefined || m.orderMinSize === undefined) return undefined;
    return { minOrderSize: String(m.orderMinSize), negRisk: m.negRisk };
  }
}

const readers = new Map<string, CatalogReader>();

/**
 * The catalog of a running Polymarket feed instance, by its id (`[feeds.<id>]`), or undefined when no
 * such feed runs.
 *
 * @example
 * const cat = polymarketCatalog("polymarket");
 * const m = cat?.marketOfToken(token); // m.question, m.negRiskMarketID, m.feeSchedule …
 */
export function polymarketCatalog(feed: string): CatalogReader | undefined {
  return readers.get(feed);
}

/** Publishes a feed instance's catalog (setup) and withdraws it (stop). */
export function publishCatalog(feed: string, catalog: CatalogReader | undefined): void {
  if (catalog === undefined) readers.delete(feed);
  else readers.set(feed, catalog);
}
