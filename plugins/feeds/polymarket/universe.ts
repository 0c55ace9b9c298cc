/**
 * What the feed subscribes: the static `markets`/`assets` lists (metadata from Gamma) plus what discovery
 * selects. New or changed markets go into the catalog and out as `market.new` (meta = the catalog
 * entry); markets that no longer pass are unsubscribed (their shards stay up for the others) and the
 * shards are compacted.
 */
import type { ScopedBus } from "../../../core/bus.ts";
import type { Clock } from "../../../core/clock.ts";
import { describeError } from "../../../core/errors.ts";
import type { Logger } from "../../../core/log.ts";
import { type CatalogEntry, entryFromGamma, type PolymarketCatalog } from "./catalog.ts";
import { type DiscoveryFilters, type RejectReason, selectMarkets } from "./discovery.ts";
import type { GammaClient } from "./gamma.ts";
import type { GammaEvent } from "./messages.ts";

/** The socket side the universe drives. */
export interface Subscriber {
  subscribe(tokens: readonly string[]): void;
  unsubscribe(tokens: readonly string[]): void;
  compact(): void;
}

export interface UniverseOptions {
  readonly feed: string;
  readonly catalog: PolymarketCatalog;
  readonly gamma: GammaClient;
  readonly ws: Subscriber;
  readonly bus: ScopedBus;
  readonly clock: Clock;
  readonly log: Logger;
  /** Tokens dropped from the subscription (books forget them). */
  readonly onDropped?: (tokens: readonly string[]) => void;
}

/** Figures of the last discovery (logs, tests). */
export interface DiscoveryReport {
  readonly pages: number;
  readonly events: number;
  readonly markets: number;
  readonly selected: number;
  readonly assets: number;
  readonly added: number;
  readonly removed: number;
  readonly negRiskEvents: number;
  readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
}

const fmt = (n: number) => n.toLocaleString("en-US");

export class Universe {
  #o: UniverseOptions;
  /** Condition ids from the static `markets` list and markets of static `assets` (never dropped). */
  #pinned = new Set<string>();
  /** Tokens subscribed because of the static lists. */
  #pinnedTokens = new Set<string>();
  /** Condition ids selected by the last discovery. */
  #discovered = new Set<string>();
  #running: Promise<DiscoveryReport> | undefined;
  last: DiscoveryReport | undefined;

  constructor(options: UniverseOptions) {
    this.#o = options;
  }

  /** Subscribes the static lists; metadata from Gamma (a Gamma failure still subscribes, without metadata). */
  async loadStatic(markets: readonly string[], assets: readonly string[]): Promise<void> {
    const o = this.#o;
    if (markets.length === 0 && assets.length === 0) return;
    for (const a of assets) this.#pinnedTokens.add(a);
    let found: CatalogEntry[] = [];
    try {
      const rows = await o.gamma.requestMarkets(markets, assets);
      found = rows.map((m) => entryFromGamma(m, undefined, { source: "static" })).filter((e): e is CatalogEntry => e !== undefined);
    } catch (error) {
      o.log.warn("static markets: Gamma metadata unavailable; subscribing without it", { error: describeError(error) });
    }
    const tokens = new Set(assets);
    for (const e of found) {
      const listed = markets.includes(e.conditionId);
      if (!listed && !e.clobTokenIds.some((t) => tokens.has(t))) continue;
      this.#pinned.add(e.conditionId);
      if (listed) for (const t of e.clobTokenIds) this.#pinnedTokens.add(t);
      this.#upsert(e);
    }
    const missing = markets.filter((m) => !this.#pinned.has(m));
    if (missing.length > 0) o.log.warn("static markets not found on Gamma (not subscribed)", { markets: missing.join(",") });
    o.ws.subscribe([...this.#pinnedTokens]);
  }

  /** Runs one discovery pass (a pass already running is joined, not repeated). */
  discover(filters: DiscoveryFilters, pageSize: number, progressEvery: number): Promise<DiscoveryReport> {
    this.#running ??= this.#discover(filters, pageSize, progressEvery).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #discover(f: DiscoveryFilters, pageSize: number, progressEvery: number): Promise<DiscoveryReport> {
    const o = this.#o;
    const started = o.clock.now();
    const chosen = new Map<string, CatalogEntry>();
    const rejected: Partial<Record<RejectReason, number>> = {};
    let events = 0;
    let markets = 0;
    let negRiskEvents = 0;
    let assets = 0;
    let pages = 0;
    const onPage = (page: readonly GammaEvent[], n: number) => {
      pages = n;
      events += page.length;
      const remaining = f.maxMarkets > 0 ? f.maxMarkets - chosen.size : 0;
      if (f.maxMarkets > 0 && remaining <= 0) {
        const n = page.reduce((sum, e) => sum + (e.markets?.length ?? 0), 0);
        markets += n;
        rejected.max_markets = (rejected.max_markets ?? 0) + n;
        return;
      }
      const sel = selectMarkets(page, { ...f, maxMarkets: remaining }, o.clock.now());
      markets += sel.markets;
      negRiskEvents += sel.negRiskEvents;
      for (const [k, v] of Object.entries(sel.rejected)) rejected[k as RejectReason] = (rejected[k as RejectReason] ?? 0) + v;
      for (const e of sel.entries) {
        if (!chosen.has(e.conditionId)) assets += e.clobTokenIds.length;
        chosen.set(e.conditionId, e);
      }
      if (progressEvery > 0 && n % progressEvery === 0) {
        o.log.info(`discovery: ${fmt(markets)} markets read, ${fmt(chosen.size)} selected, ${fmt(assets)} assets`, { pages: n, events });
      }
    };
    await o.gamma.requestAllEvents({ limit: pageSize, liquidityMin: f.minLiquidityUsd }, onPage);

    const added: string[] = [];
    for (const [id, e] of chosen) {
      if (!this.#discovered.has(id) && !this.#pinned.has(id)) added.push(...e.clobTokenIds);
      this.#upsert(e);
    }
    const removedTokens: string[] = [];
    for (const id of this.#discovered) {
      if (chosen.has(id) || this.#pinned.has(id)) continue;
      const old = o.catalog.remove(id);
      for (const t of old?.clobTokenIds ?? []) if (!this.#pinnedTokens.has(t)) removedTokens.push(t);
    }
    this.#discovered = new Set(chosen.keys());
    if (removedTokens.length > 0) {
      o.ws.unsubscribe(removedTokens);
      o.onDropped?.(removedTokens);
      o.ws.compact();
    }
    if (added.length > 0) o.ws.subscribe(added);
    const report: DiscoveryReport = {
      pages,
      events,
      markets,
      selected: chosen.size,
      assets,
      added: added.length,
      removed: removedTokens.length,
      negRiskEvents,
      rejected,
    };
    this.last = report;
    o.log.info(`discovery done: ${fmt(markets)} markets read, ${fmt(chosen.size)} selected (${fmt(negRiskEvents)} negRisk events whole), ${fmt(assets)} assets; +${fmt(added.length)} −${fmt(removedTokens.length)} tokens`, {
      pages,
      ms: o.clock.now() - started,
      rejected: JSON.stringify(rejected),
    });
    return report;
  }

  /** Drops a resolved market and its tokens (static or discovered: a resolved book never trades again). */
  dropMarket(conditionId: string): void {
    const o = this.#o;
    const old = o.catalog.remove(conditionId);
    this.#discovered.delete(conditionId);
    this.#pinned.delete(conditionId);
    const tokens = old?.clobTokenIds ?? [];
    for (const t of tokens) this.#pinnedTokens.delete(t);
    if (tokens.length === 0) return;
    o.ws.unsubscribe(tokens);
    o.onDropped?.(tokens);
  }

  #upsert(e: CatalogEntry): void {
    const o = this.#o;
    if (!o.catalog.upsert(e)) return;
    const now = o.clock.now();
    o.bus.emit("market.new", {
      feed: o.feed,
      instrument: e.conditionId,
      key: e.conditionId,
      tsEvent: now,
      tsRecv: now,
      question: e.question,
      ...(e.slug === undefined ? {} : { slug: e.slug }),
      outcomes: e.outcomes,
      instruments: e.clobTokenIds,
      meta: e as unknown as Readonly<Record<string, unknown>>,
    });
  }
}
