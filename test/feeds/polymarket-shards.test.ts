import { afterEach, describe, expect, it } from "bun:test";
import { fakeUrls, type PolyKit, startPoly } from "./polymarket-kit.ts";

let kit: PolyKit | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

/** N single-market events that all pass discovery. */
async function startMany(markets: number, lines: string, burstLimit = 20): Promise<PolyKit> {
  kit = await startPoly(
    (u) => `${fakeUrls(u)}
snapshot_timeout_ms = 0
rest_poll_ms = 0
${lines}
[feeds.pm.discovery]
min_liquidity_usd = 0
page_size = 500`,
    {
      burstLimit,
      prepare(clob, gamma) {
        for (let i = 0; i < markets; i++) {
          const market = clob.addMarket();
          market.seed(0.5, 2);
          gamma.add({ id: String(i), markets: [{ market }] });
        }
      },
    },
  );
  return kit;
}

describe("polymarket sharding (fake CLOB)", () => {
  it("brings 10,000 assets live over 50 connections of 200, opened with a stagger, none refused", async () => {
    const k = await startMany(5_000, "max_assets_per_connection = 200\nconnect_stagger_ms = 300");
    await k.drive(() => k.feed.universe.last !== undefined, "discovery");
    const tokens = k.feed.tokens();
    expect(tokens).toHaveLength(10_000);
    await k.drive(() => k.feed.books.counters.books >= 10_000 && k.allLive(tokens), "10,000 books live", 60_000, 250);
    const conns = k.feed.ws.connections();
    expect(conns).toHaveLength(50);
    expect(conns.every((c) => c.state === "live" && c.subscriptions === 100)).toBe(true); // 100 markets = 200 tokens
    expect(k.clob.venue.refusals).toBe(0);
    expect(k.clob.venue.live().every((c) => c.subscriptions.size === 200 && c.refusedIds.length === 0)).toBe(true);
    // the connection layer's verdict (the store may add health notices: quiet books age on the test clock)
    expect(k.feed.ws.status().state).toBe("live");
    // a sample of books equals the venue's
    for (const m of k.clob.markets.filter((_, i) => i % 500 === 0)) expect(k.matches(m, m.yes) && k.matches(m, m.no)).toBe(true);
  }, 30_000);

  it("rides out HTTP 429 when connections are opened in a burst", async () => {
    const k = await startMany(200, "max_assets_per_connection = 20\nconnect_stagger_ms = 0\nreconnect_min_ms = 500", 5);
    await k.drive(() => k.feed.universe.last !== undefined, "discovery");
    await k.drive(() => k.allLive(k.feed.tokens()) && k.feed.ws.connections().every((c) => c.state === "live"), "all live", 120_000, 250);
    expect(k.feed.ws.connections()).toHaveLength(20);
    expect(k.clob.venue.refusals).toBeGreaterThan(0);
    expect(k.seen("feed.status").some((s) => s.reasons.some((r) => r.includes("HTTP 429")))).toBe(true);
    expect(k.feed.ws.status().state).toBe("live");
  });

  it("subscribes and unsubscribes on live sockets with operation frames, and compacts shards", async () => {
    const k = await startMany(10, "max_assets_per_connection = 8\nconnect_stagger_ms = 10");
    await k.drive(() => k.feed.universe.last !== undefined && k.allLive(k.feed.tokens()), "live");
    expect(k.clob.venue.live().map((c) => c.subscriptions.size)).toEqual([8, 8, 4]);
    const first = k.clob.venue.live()[0]!;
    // the first frame of a socket is the initial subscription; later ones are operations
    expect(JSON.parse(first.subscribeFrames[0]!)).toMatchObject({ type: "market", initial_dump: true, custom_feature_enabled: true });
    // a new market appears on Gamma: the next discovery subscribes it on the live socket with room
    const extra = k.clob.addMarket();
    extra.seed(0.5, 2);
    k.gamma.add({ id: "extra", markets: [{ market: extra }] });
    expect((await k.feed.discover()).added).toBe(2);
    await k.drive(() => k.allLive([extra.yes, extra.no]), "added live");
    const third = k.clob.venue.live().find((c) => c.subscriptions.has(extra.yes))!;
    expect(JSON.parse(third.subscribeFrames.at(-1)!)).toEqual({ assets_ids: [extra.yes, extra.no], operation: "subscribe", custom_feature_enabled: true });
    // drop most of shard 0: compaction moves shard 2's tokens down, without reconnecting anything
    const drop = [...first.subscriptions].slice(0, 6);
    k.feed.unsubscribe(drop);
    k.feed.ws.compact();
    await k.drive(() => k.clob.venue.live().length === 2 && k.allLive(k.feed.tokens()), "compacted");
    expect(JSON.parse(first.subscribeFrames.find((f) => f.includes("unsubscribe"))!)).toEqual({ assets_ids: drop, operation: "unsubscribe" });
    expect(k.clob.venue.live().map((c) => c.subscriptions.size)).toEqual([8, 8]);
    for (const m of k.clob.markets) {
      const holders = k.clob.venue.live().filter((c) => c.subscriptions.has(m.yes) || c.subscriptions.has(m.no));
      expect(holders.every((c) => c.subscriptions.has(m.yes) && c.subscriptions.has(m.no))).toBe(true);
    }
    expect(k.feed.ws.stats().reconnects).toBe(0);
    for (const m of k.clob.markets) {
      for (const t of [m.yes, m.no]) if (k.feed.tokens().includes(t)) expect(k.matches(m, t)).toBe(true);
    }
  });
});
