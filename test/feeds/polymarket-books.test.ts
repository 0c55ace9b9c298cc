import { afterEach, describe, expect, it } from "bun:test";
import type { FakeMarket } from "../fakes/polymarket/model.ts";
import { fakeUrls, type PolyKit, startPoly } from "./polymarket-kit.ts";

let kit: PolyKit | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

/** A seeded pseudo-random generator (tests must not depend on luck). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomChanges(k: PolyKit, markets: readonly FakeMarket[], n: number, seed: number): void {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const m = markets[Math.floor(r() * markets.length)]!;
    const side = r() < 0.5 ? "bid" : "ask";
    // bids stay below every seeded ask and asks above every seeded bid: the venue never crosses
    const price = side === "bid" ? 0.05 + Math.floor(r() * 20) / 100 : 0.45 + Math.floor(r() * 30) / 100;
    const size = r() < 0.25 ? 0 : 1 + Math.floor(r() * 500);
    k.clob.change(m, side, Math.round(price * 100) / 100, size);
  }
}

async function start(extra = "", markets = 6): Promise<PolyKit> {
  kit = await startPoly(
    (u) => `${fakeUrls(u)}
markets = [${Array.from({ length: markets }, (_, i) => `"0x${i.toString(16).padStart(64, "0")}"`).join(", ")}]
max_assets_per_connection = 4
connect_stagger_ms = 50
snapshot_timeout_ms = 0
rest_poll_ms = 0
${extra}`,
    {
      markets,
      prepare(clob, gamma) {
        for (const m of clob.markets) gamma.add({ id: String(m.index), markets: [{ market: m }] });
      },
    },
  );
  return kit;
}

describe("polymarket feed books (fake CLOB)", () => {
  it("subscribes static markets over shards of max_assets_per_connection and every book equals the venue's", async () => {
    const k = await start();
    const tokens = k.clob.tokens();
    await k.drive(() => k.allLive(tokens), "all books live");
    // three connections of four tokens: both tokens of a market always on the same one
    expect(k.clob.venue.live().map((c) => c.subscriptions.size)).toEqual([4, 4, 4]);
    for (const c of k.clob.venue.live()) expect(c.refusedIds).toEqual([]);
    for (const m of k.clob.markets) expect(k.clob.venue.live().filter((c) => c.subscriptions.has(m.yes) && c.subscriptions.has(m.no))).toHaveLength(1);
    for (const m of k.clob.markets) for (const t of [m.yes, m.no]) expect(k.matches(m, t)).toBe(true);
    // the catalog went out as market.new meta, both tokens in outcome order
    const news = k.seen("market.new");
    expect(news).toHaveLength(6);
    expect(news[0]).toMatchObject({ instrument: k.clob.markets[0]!.conditionId, instruments: [k.clob.markets[0]!.yes, k.clob.markets[0]!.no], outcomes: ["Yes", "No"] });
    expect(news[0]!.meta).toMatchObject({ orderMinSize: 5, negRisk: false, source: "static" });
    expect(k.feed.books.counters.hashVerified).toBe(12);
    // what GET /api/books/pm/<token> serves (SURFACE.md): best first, live
    const m0 = k.clob.markets[0]!;
    expect(k.rt.store.bookRow("pm", m0.no, 3)).toMatchObject({ state: "live", stale: false, ...((l) => ({ bids: l.bids.slice(0, 3), asks: l.asks.slice(0, 3) }))(m0.levels(m0.no)) });
  });

  it("keeps books equal to the venue's through random mirrored price_changes, with every top cross-checked", async () => {
    const k = await start();
    await k.drive(() => k.allLive(k.clob.tokens()), "all books live");
    randomChanges(k, k.clob.markets, 400, 7);
    await k.drive(() => k.clob.markets.every((m) => k.matches(m, m.yes) && k.matches(m, m.no)), "books equal");
    expect(k.feed.books.counters.topMismatches).toBe(0);
    expect(k.feed.books.counters.topChecks).toBeGreaterThanOrEqual(800);
  });

  it("recovers exact books after a dropped connection and changes made while it was down", async () => {
    const k = await start();
    await k.drive(() => k.allLive(k.clob.tokens()), "all books live");
    const victim = k.clob.venue.live()[0]!;
    const lost = [...victim.subscriptions];
    victim.drop();
    await k.drive(() => lost.every((t) => k.rt.store.book("pm", t)?.state !== "live"), "lost books not live");
    randomChanges(k, k.clob.markets, 200, 11);
    await k.drive(() => k.clob.markets.every((m) => k.matches(m, m.yes) && k.matches(m, m.no)), "books equal after reconnect");
    expect(k.feed.ws.stats().reconnects).toBe(1);
    // the other connections were never touched
    expect(k.clob.venue.clients.filter((c) => !c.open)).toHaveLength(1);
  });

  it("detects a stalled connection (no PONG), reconnects it and resyncs its books", async () => {
    const k = await start();
    await k.drive(() => k.allLive(k.clob.tokens()), "all books live");
    const victim = k.clob.venue.live()[1]!;
    const tokens = [...victim.subscriptions];
    victim.mode = "stalled";
    randomChanges(k, k.clob.markets, 100, 3);
    await k.drive(() => !victim.open && k.feed.ws.stats().reconnects === 1, "stalled socket replaced", 60_000, 500);
    await k.drive(() => k.clob.markets.every((m) => k.matches(m, m.yes) && k.matches(m, m.no)), "books equal after stall");
    expect(tokens.every((t) => k.rt.store.book("pm", t)?.state === "live")).toBe(true);
    expect(victim.open).toBe(false);
    expect(k.feed.ws.stats().reconnects).toBe(1);
    expect(k.seen("feed.status").some((s) => s.reasons.some((r) => r.includes("no pong within")))).toBe(true);
  });

  it("applies a tick-size change to both tokens and keeps the levels", async () => {
    const k = await start();
    await k.drive(() => k.allLive(k.clob.tokens()), "all books live");
    const m = k.clob.markets[2]!;
    k.clob.changeTick(m, "0.001");
    k.clob.change(m, "bid", 0.205, 77);
    await k.drive(() => k.matches(m, m.yes) && k.matches(m, m.no) && k.rt.store.book("pm", m.yes)?.tickSize === 0.001, "tick applied");
    expect(k.rt.store.book("pm", m.no)?.tickSize).toBe(0.001);
    expect(k.seen("market.tick_size").map((t) => [t.instrument, t.oldTickSize, t.newTickSize])).toEqual([
      [m.yes, 0.01, 0.001],
      [m.no, 0.01, 0.001],
    ]);
    expect(k.feed.books.counters.topMismatches).toBe(0);
  });
});
