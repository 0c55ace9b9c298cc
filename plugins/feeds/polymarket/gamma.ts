/**
 * Gamma REST (market metadata, no auth): keyset paging of `/events/keyset` (events with their markets,
 * `next_cursor` omitted on the last page) for discovery, and `/markets?condition_ids=…&clob_token_ids=…`
 * for static lists. Rate-limited below the documented `/events` 500/10 s and `/markets` 300/10 s.
 */
import { FeedError } from "../../../core/errors.ts";
import type { GammaEvent, GammaEventsPage, GammaMarket } from "./messages.ts";
import { SlidingWindowLimiter } from "./rate-limit.ts";
import { type HttpOptions, requestJson } from "./rest.ts";

/** Server-side pre-filters of the events listing (the rest is filtered client-side). */
export interface EventsQuery {
  /** Page size (keyset events max 500). */
  readonly limit: number;
  /** Event liquidity ≥ this (an event has at least the liquidity of its best market). */
  readonly liquidityMin?: number;
  readonly tagId?: string;
}

export class GammaClient {
  readonly baseUrl: string;
  readonly limiter: SlidingWindowLimiter;
  #o: HttpOptions;
  /** Requests made (tests, progress). */
  requests = 0;

  constructor(baseUrl: string, o: HttpOptions, requestsPer10s: number) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#o = o;
    this.limiter = new SlidingWindowLimiter(o.clock, requestsPer10s, 10_000);
  }

  /** One keyset page of open, active events. */
  async requestEventsPage(q: EventsQuery, cursor: string | undefined): Promise<GammaEventsPage> {
    const p = new URLSearchParams({ limit: String(q.limit), closed: "false", active: "true" });
    if (q.liquidityMin !== undefined && q.liquidityMin > 0) p.set("liquidity_min", String(q.liquidityMin));
    if (q.tagId !== undefined) p.set("tag_id", q.tagId);
    if (cursor !== undefined) p.set("after_cursor", cursor);
    this.requests++;
    const page = await requestJson<GammaEventsPage>(`${this.baseUrl}/events/keyset?${p}`, { method: "GET" }, this.#o, this.limiter);
    if (typeof page !== "object" || page === null || !Array.isArray(page.events)) {
      throw new FeedError("POLY_GAMMA_SHAPE", "/events/keyset: expected { events: [...] }", { retryable: true });
    }
    return page;
  }

  /**
   * Every page of the listing, in order; `onPage` sees each (progress logs). Stops at the page without
   * `next_cursor`, or when a cursor repeats (a venue bug must not loop forever).
   */
  async requestAllEvents(q: EventsQuery, onPage?: (events: readonly GammaEvent[], page: number) => void): Promise<GammaEvent[]> {
    const all: GammaEvent[] = [];
    const cursors = new Set<string>();
    let cursor: string | undefined;
    for (let page = 1; ; page++) {
      const r = await this.requestEventsPage(q, cursor);
      all.push(...r.events);
      onPage?.(r.events, page);
      if (r.next_cursor === undefined || r.next_cursor === "" || r.events.length === 0 || cursors.has(r.next_cursor)) return all;
      cursors.add(r.next_cursor);
      cursor = r.next_cursor;
    }
  }

  /** Markets by condition ids and/or token ids (static lists), 50 ids per request. */
  async requestMarkets(conditionIds: readonly string[], tokenIds: readonly string[]): Promise<GammaMarket[]> {
    const out: GammaMarket[] = [];
    const ask = async (key: "condition_ids" | "clob_token_ids", ids: readonly string[]) => {
      for (let i = 0; i < ids.length; i += 50) {
        const chunk = ids.slice(i, i + 50);
        const p = new URLSearchParams({ limit: String(chunk.length * 2), closed: "false" });
        for (const id of chunk) p.append(key, id);
        this.requests++;
        const page = await requestJson<unknown>(`${this.baseUrl}/markets?${p}`, { method: "GET" }, this.#o, this.limiter);
        if (!Array.isArray(page)) throw new FeedError("POLY_GAMMA_SHAPE", "/markets: expected a JSON array", { retryable: true });
        out.push(...(page as GammaMarket[]));
      }
    };
    await ask("condition_ids", conditionIds);
    await ask("clob_token_ids", tokenIds);
    return out;
  }

  stop(): void {
    this.limiter.stop();
  }
}
