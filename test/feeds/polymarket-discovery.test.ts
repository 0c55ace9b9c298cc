import { afterEach, describe, expect, it } from "bun:test";
import type { GammaEventSpec, GammaMarketSpec } from "../fakes/polymarket/gamma.ts";
import { fakeUrls, type PolyKit, startPoly } from "./polymarket-kit.ts";

let kit: PolyKit | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const discovery = `[feeds.pm.discovery]
min_liquidity_usd = 10000
max_days_to_resolution = 7
min_price = 0.01
max_price = 0.99
min_volume_24h_usd = 100
page_size = 50
progress_every_pages = 2`;

/** 300 single-market events, one filter failing per residue, and 20 negRisk events of 5 outcomes. */
function universe(k: { clob: PolyKit["clob"]; gamma: PolyKit["gamma"] }): { plain: Mutable<GammaMarketSpec>[]; negRisk: GammaEventSpec[] } {
  const plain: Mutable<GammaMarketSpec>[] = [];
  for (let i = 0; i < 300; i++) {
    const market = k.clob.addMarket();
    market.seed(0.4, 3);
    const s: Mutable<GammaMarketSpec> = { market, liquidity: 20_000, volume24hr: 1_000, yesPrice: 0.4, endInDays: 3 };
    switch (i % 10) {
      case 0: s.liquidity = 5_000; break;
      case 1: s.endInDays = 10; break;
      case 2: s.yesPrice = 0.995; break;
      case 3: s.yesPrice = 0.005; break;
      case 4: s.volume24hr = 10; break;
      case 5: s.acceptingOrders = false; break;
      case 6: s.closed = true; break;
      case 7: s.active = false; break;
      case 8: s.endInDays = -1; break;
      case 9: break; // passes every filter
    }
    plain.push(s);
    k.gamma.add({ id: `p${i}`, markets: [s] });
  }
  const negRisk: GammaEventSpec[] = [];
  for (let e = 0; e < 20; e++) {
    const markets: Mutable<GammaMarketSpec>[] = [];
    for (let j = 0; j < 5; j++) {
      const market = k.clob.addMarket({ negRisk: true });
      market.seed(0.2, 3);
      // long shots: too cheap and too thin to pass on their own
      markets.push({ market, liquidity: 1_000, yesPrice: 0.004, volume24hr: 1_000, endInDays: 5 });
    }
    const kind = e % 4;
    if (kind === 0) {
      Object.assign(markets[0]!, { liquidity: 80_000, yesPrice: 0.6 });
      markets[4]!.closed = true; // resolved No: left out
    } else if (kind === 2) {
      for (const m of markets) Object.assign(m, { liquidity: 30_000, yesPrice: 0.2 });
    } else if (kind === 3) {
      Object.assign(markets[1]!, { liquidity: 30_000, yesPrice: 0.5 });
      markets[4]!.negRiskOther = true;
    }
    negRisk.push(k.gamma.add({ id: `n${e}`, negRisk: true, negRiskAugmented: kind === 3, markets }));
  }
  return { plain, negRisk };
}

describe("polymarket discovery (fake Gamma, 400 markets)", () => {
  it("applies every filter, takes negRisk events whole or not at all, and subscribes both tokens", async () => {
    let u!: ReturnType<typeof universe>;
    kit = await startPoly((urls) => `${fakeUrls(urls)}\nsnapshot_timeout_ms = 0\nrest_poll_ms = 0\n${discovery}`, { prepare: (clob, gamma) => (u = universe({ clob, gamma })) });
    const k = kit;
    await k.drive(() => k.feed.universe.last !== undefined, "discovery done");
    const r = k.feed.universe.last!;
    // 30 plain markets pass; negRisk: 5 events × 4 open outcomes, 5 × 5, 5 × 5 augmented; 5 events with no passing market
    expect(r.selected).toBe(30 + 20 + 25 + 25);
    expect(r.assets).toBe(2 * 100);
    expect(r.negRiskEvents).toBe(15);
    // events below min_liquidity_usd are left out by the server (liquidity_min): 30 plain, 5 negRisk × 5
    expect(r.markets).toBe(400 - 30 - 25);
    expect(k.gamma.requests.queries.every((q) => q.includes("liquidity_min=10000"))).toBe(true);
    // long shots of selected negRisk events count as rejected on their own (liquidity) yet are subscribed
    expect(r.rejected).toEqual({ closed: 30 + 5, inactive: 30, not_accepting_orders: 30, volume: 30, end_date: 60, price: 60, liquidity: 35 });
    // keyset paging: 285 events at 50 a page, the last page short
    expect(k.gamma.requests.events).toBe(6);
    expect(k.gamma.requests.queries.every((q) => !q.includes("offset"))).toBe(true);
    expect(k.log.lines.filter((l) => l.includes("markets read")).length).toBeGreaterThanOrEqual(3);

    const subscribed = new Set(k.feed.tokens());
    for (const [i, s] of u.plain.entries()) expect(subscribed.has(s.market.yes) && subscribed.has(s.market.no)).toBe(i % 10 === 9);
    for (const [e, ev] of u.negRisk.entries()) {
      const kind = e % 4;
      const got = ev.markets.map((s) => subscribed.has(s.market.yes) && subscribed.has(s.market.no));
      expect(got).toEqual(kind === 1 ? [false, false, false, false, false] : kind === 0 ? [true, true, true, true, false] : [true, true, true, true, true]);
    }
    // the catalog as market.new meta: complete-event count, augmented and Other flags
    const metaOf = (cond: string) => k.seen("market.new").findLast((n) => n.instrument === cond)?.meta as Record<string, unknown>;
    expect(metaOf(u.negRisk[0]!.markets[1]!.market.conditionId)).toMatchObject({ negRisk: true, negRiskMarketID: "0xeventn0", eventMarketCount: 4, negRiskAugmented: false });
    expect(metaOf(u.negRisk[3]!.markets[4]!.market.conditionId)).toMatchObject({ eventMarketCount: 5, negRiskAugmented: true, negRiskOther: true });
    expect(metaOf(u.plain[9]!.market.conditionId)).toMatchObject({ negRisk: false, orderMinSize: 5, orderPriceMinTickSize: 0.01, feesEnabled: false });
    // …and through the catalog reader
    const { polymarketCatalog } = await import("../../plugins/feeds/polymarket/index.ts");
    expect(polymarketCatalog("pm")?.eventMarkets("0xeventn2").length).toBe(5);
    expect(polymarketCatalog("pm")?.marketOfToken(u.plain[19]!.market.no)?.conditionId).toBe(u.plain[19]!.market.conditionId);
    await k.drive(() => k.allLive([...subscribed]), "all discovered books live");
  });

  it("unsubscribes markets that no longer pass, drops a closed outcome from its event, and leaves other shards alone", async () => {
    let u!: ReturnType<typeof universe>;
    kit = await startPoly((urls) => `${fakeUrls(urls)}\nsnapshot_timeout_ms = 0\nrest_poll_ms = 0\nmax_assets_per_connection = 40\n${discovery}`, {
      prepare: (clob, gamma) => (u = universe({ clob, gamma })),
    });
    const k = kit;
    await k.drive(() => k.feed.universe.last !== undefined, "discovery done");
    await k.drive(() => k.allLive(k.feed.tokens()), "live");
    const before = k.feed.ws.connections().map((c) => [c.id, c.generation]);
    u.plain[9]!.liquidity = 100; // no longer passes
    (u.negRisk[2]!.markets[3] as Mutable<GammaMarketSpec>).closed = true; // an outcome resolved No
    const gone = [u.plain[9]!.market, u.negRisk[2]!.markets[3]!.market];
    const ok = await k.rt.actions.run("pm.discover", k.rt.bus, k.rt.log);
    expect(ok).toBe(true);
    const subscribed = new Set(k.feed.tokens());
    for (const m of gone) expect(subscribed.has(m.yes) || subscribed.has(m.no)).toBe(false);
    expect(k.feed.universe.last).toMatchObject({ selected: 98, removed: 4, added: 0 });
    const meta = k.seen("market.new").findLast((n) => n.instrument === u.negRisk[2]!.markets[0]!.market.conditionId)?.meta as Record<string, unknown>;
    expect(meta.eventMarketCount).toBe(4);
    // the venue heard unsubscribe frames; no connection was reopened for it
    await k.drive(() => k.clob.venue.live().every((c) => gone.every((m) => !c.subscriptions.has(m.yes))), "venue unsubscribed");
    const after = new Map(k.feed.ws.connections().map((c) => [c.id, c.generation]));
    for (const [id, gen] of before) if (after.has(id as string)) expect(after.get(id as string)).toBe(gen as number);
    expect(k.feed.ws.stats().reconnects).toBe(0);
  });

  it("filters by tags and excluded tags", async () => {
    kit = await startPoly(
      (urls) => `${fakeUrls(urls)}\nsnapshot_timeout_ms = 0\nrest_poll_ms = 0\n[feeds.pm.discovery]\nmax_days_to_resolution = 30\ntags = ["crypto", "Politics"]\nexclude_tags = ["elections"]`,
      {
        prepare(clob, gamma) {
          const mk = () => ({ market: clob.addMarket() });
          gamma.add({ id: "c", tags: ["Crypto"], markets: [mk()] });
          gamma.add({ id: "p", tags: ["Politics"], markets: [mk()] });
          gamma.add({ id: "pe", tags: ["Politics", "Elections"], markets: [mk()] });
          gamma.add({ id: "s", tags: ["Sports"], markets: [mk()] });
          gamma.add({ id: "none", markets: [mk()] });
        },
      },
    );
    const k = kit;
    await k.drive(() => k.feed.universe.last !== undefined, "discovery done");
    expect(k.feed.catalog.markets().map((m) => m.eventId)).toEqual(["c", "p"]);
    expect(k.feed.universe.last?.rejected.tags).toBe(3);
  });
});
