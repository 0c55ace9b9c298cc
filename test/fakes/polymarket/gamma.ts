/**
 * A fake Gamma API mounted on a fake venue's HTTP server: `GET /events/keyset` (keyset paging:
 * `next_cursor` only on full pages, `offset` refused with 422, `limit` capped at 500, `closed`/`active`/
 * `liquidity_min` honoured) and `GET /markets` by repeated `condition_ids` / `clob_token_ids`. Market
 * objects carry Gamma's real types: `outcomes`, `outcomePrices` and `clobTokenIds` are strings holding
 * JSON arrays; `liquidity` is a string and `liquidityNum` a number.
 */
import type { GammaEvent, GammaMarket, GammaTag } from "../../../plugins/feeds/polymarket/messages.ts";
import type { FakeVenue } from "../fake-venue.ts";
import type { FakeMarket } from "./model.ts";

/** What a test sets per market (the rest gets sensible defaults). */
export interface GammaMarketSpec {
  readonly market: FakeMarket;
  readonly question?: string;
  readonly yesPrice?: number;
  readonly liquidity?: number;
  readonly volume24hr?: number;
  /** Days from the fake's clock to the end date (may be negative). */
  readonly endInDays?: number | null;
  readonly active?: boolean;
  readonly closed?: boolean;
  readonly acceptingOrders?: boolean;
  readonly negRiskOther?: boolean;
  readonly feesEnabled?: boolean;
  readonly feeSchedule?: { exponent: number; rate: number; takerOnly: boolean; rebateRate: number } | null;
}

export interface GammaEventSpec {
  readonly id: string;
  readonly title?: string;
  readonly negRisk?: boolean;
  readonly negRiskAugmented?: boolean;
  readonly tags?: readonly string[];
  readonly closed?: boolean;
  readonly markets: readonly GammaMarketSpec[];
}

const DAY = 86_400_000;

export class FakeGamma {
  readonly events: GammaEventSpec[] = [];
  /** Requests served, by route, and the query strings seen. */
  readonly requests = { events: 0, markets: 0, queries: [] as string[] };
  #now: () => number;

  constructor(venue: FakeVenue, now: () => number) {
    this.#now = now;
    venue.route("GET", "/events/keyset", (_req, url) => this.#events(url));
    venue.route("GET", "/markets", (_req, url) => this.#markets(url));
  }

  add(e: GammaEventSpec): GammaEventSpec {
    this.events.push(e);
    return e;
  }

  /** The Gamma JSON of one market (its event embedded without markets, as Gamma does). */
  market(s: GammaMarketSpec, e: GammaEventSpec): GammaMarket {
    const m = s.market;
    const p = s.yesPrice ?? 0.5;
    const liquidity = s.liquidity ?? 50_000;
    const end = s.endInDays === null ? undefined : new Date(this.#now() + (s.endInDays ?? 3) * DAY).toISOString();
    return {
      id: String(1_000_000 + m.index),
      question: s.question ?? `Fake market ${m.index}?`,
      conditionId: m.conditionId,
      slug: `fake-market-${m.index}`,
      ...(end === undefined ? {} : { endDate: end }),
      outcomes: '["Yes", "No"]',
      outcomePrices: JSON.stringify([String(p), String(Math.round((1 - p) * 1e4) / 1e4)]),
      clobTokenIds: JSON.stringify([m.yes, m.no]),
      liquidity: String(liquidity),
      liquidityNum: liquidity,
      volume24hr: s.volume24hr ?? 5_000,
      active: s.active ?? true,
      closed: s.closed ?? false,
      archived: false,
      acceptingOrders: s.acceptingOrders ?? true,
      enableOrderBook: true,
      negRisk: e.negRisk === true,
      ...(e.negRisk === true ? { negRiskMarketID: `0xevent${e.id}` } : {}),
      negRiskOther: s.negRiskOther ?? false,
      orderPriceMinTickSize: Number(m.tickSize),
      orderMinSize: Number(m.minOrderSize),
      feesEnabled: s.feesEnabled ?? false,
      feeSchedule: s.feeSchedule ?? null,
      events: [this.#eventHead(e)],
    };
  }

  event(e: GammaEventSpec): GammaEvent {
    return { ...this.#eventHead(e), markets: e.markets.map((s) => this.market(s, e)) };
  }

  #eventHead(e: GammaEventSpec): GammaEvent {
    const tags: GammaTag[] = (e.tags ?? []).map((t, i) => ({ id: String(100 + i), label: t, slug: t.toLowerCase() }));
    const liquidity = e.markets.reduce((sum, s) => sum + (s.liquidity ?? 50_000), 0);
    return {
      id: e.id,
      slug: `fake-event-${e.id}`,
      title: e.title ?? `Fake event ${e.id}`,
      active: true,
      closed: e.closed ?? false,
      negRisk: e.negRisk === true,
      enableNegRisk: e.negRisk === true,
      negRiskAugmented: e.negRiskAugmented ?? false,
      ...(e.negRisk === true ? { negRiskMarketID: `0xevent${e.id}` } : {}),
      liquidity,
      tags,
    };
  }

  #events(url: URL): Response {
    this.requests.events++;
    this.requests.queries.push(url.search);
    const q = url.searchParams;
    if (q.has("offset")) return Response.json({ type: "validation error", error: "offset is not allowed on keyset endpoints" }, { status: 422 });
    const limit = Math.min(500, Number(q.get("limit") ?? 20));
    const start = q.has("after_cursor") ? Number(atob(q.get("after_cursor")!)) : 0;
    const liqMin = Number(q.get("liquidity_min") ?? 0);
    const open = this.events.filter((e) => (q.get("closed") !== "false" || e.closed !== true) && this.#eventHead(e).liquidity! >= liqMin);
    const page = open.slice(start, start + limit).map((e) => this.event(e));
    const body: { events: GammaEvent[]; next_cursor?: string } = { events: page };
    if (page.length === limit) body.next_cursor = btoa(String(start + limit));
    return Response.json(body);
  }

  #markets(url: URL): Response {
    this.requests.markets++;
    const conds = new Set(url.searchParams.getAll("condition_ids"));
    const tokens = new Set(url.searchParams.getAll("clob_token_ids"));
    const out: GammaMarket[] = [];
    for (const e of this.events) {
      for (const s of e.markets) {
        if (conds.has(s.market.conditionId) || tokens.has(s.market.yes) || tokens.has(s.market.no)) out.push(this.market(s, e));
      }
    }
    return Response.json(out);
  }
}
