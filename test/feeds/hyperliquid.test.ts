/**
 * The Hyperliquid feed plugin against the fake Hyperliquid venue: books equal the venue's after 1,000
 * random blocks (k coins scaled, builder coins named), bad coins are refused before they can close the
 * socket, and every fault (dropped or corrupted push, disconnect, silent stall, data stall with pongs
 * still answered) is detected and recovered by itself. Hyperliquid sends whole books with no sequence
 * numbers and no checksum, so a lost or corrupted push is healed by the next one.
 */
import { afterEach, describe, expect, it } from "bun:test";
import type { Funding, PriceTick, Trade } from "../../core/events.ts";
import { FakeHyperliquid } from "../fakes/hyperliquid/fake-hyperliquid.ts";
import { quoteMatches, rigClock, sameDepth, startRig, storeDepth, type Rig } from "./okx-hyperliquid-rig.ts";

const COINS = ["BTC", "ETH", "kPEPE", "xyz:SP500"];
let fake: FakeHyperliquid | undefined;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  fake?.stop();
  rig = fake = undefined;
});

async function start(extra = "", coins = COINS): Promise<{ fake: FakeHyperliquid; rig: Rig }> {
  const clock = rigClock();
  const f = (fake = new FakeHyperliquid({ clock }));
  const r = (rig = await startRig(
    clock,
    `[feeds.hyperliquid]
ws_url = "${f.url}"
info_url = "${f.infoUrl}"
instruments = [${coins.map((c) => `"${c}"`).join(", ")}]
${extra}`,
  ));
  return { fake: f, rig: r };
}

function inSync(f: FakeHyperliquid, r: Rig, coin: string, depth = 20): boolean {
  const venue = f.depth(coin, depth);
  return r.runtime.store.fresh("hyperliquid", coin).ok && sameDepth(storeDepth(r, "hyperliquid", coin), venue) && quoteMatches(r, "hyperliquid", coin, venue);
}

async function synced(f: FakeHyperliquid, r: Rig, coins = COINS, depth = 20): Promise<void> {
  await r.until(() => coins.every((c) => inSync(f, r, c, depth)), `books equal to the venue's (${coins.join(", ")})`);
}

async function blocks(f: FakeHyperliquid, r: Rig, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    f.step();
    if (i % 50 === 49) await r.flush(2);
  }
  await r.flush(5);
}

describe("hyperliquid feed against the fake venue", () => {
  it("does keep books equal to the venue's through 1,000 random blocks, k coins scaled and builder coins named", async () => {
    const { fake: f, rig: r } = await start();
    await synced(f, r);
    await blocks(f, r, 1_000);
    await synced(f, r);
    const store = r.runtime.store;
    expect(store.quoteRow("hyperliquid", "BTC")).toMatchObject({ key: "BTC-USDC-PERP", stale: false });
    expect(store.quoteRow("hyperliquid", "kPEPE")!.key).toBe("PEPE-USDC-PERP");
    expect(store.quoteRow("hyperliquid", "kPEPE")!.bid!).toBeLessThan(0.0001); // per PEPE, not per 1000
    expect(store.quoteRow("hyperliquid", "xyz:SP500")!.key).toBe("xyz.SP500-USDC-PERP");
    expect(f.venue.last().subscribeFrames).toEqual(COINS.map((c) => `{"method":"subscribe","subscription":{"type":"l2Book","coin":"${c}"}}`));
    expect(f.infoRequests).toEqual(['{"type":"meta"}', '{"type":"perpDexs"}', '{"type":"meta","dex":"xyz"}']);
    expect(r.runtime.view.feeds().find((x) => x.id === "hyperliquid")!.errors).toBe(0); // the banner is not an error
  });

  it("does refuse bad coins before subscribing, say why, and keep the good ones running", async () => {
    const { fake: f, rig: r } = await start("", ["BTC", "btc", "SP500", "nope:X", "ETH"]);
    await synced(f, r, ["BTC", "ETH"]);
    const reasons = r.runtime.instances().get("hyperliquid")!.reasons.join("\n");
    expect(reasons).toContain('btc is not a Hyperliquid perp (POST /info {"type":"meta"}); names are case-sensitive: did you mean "BTC"?');
    expect(reasons).toContain("SP500 is not a Hyperliquid perp");
    expect(reasons).toContain("builder-deployed perps need their dex prefix (xyz:SP500)");
    expect(reasons).toContain('nope:X: "nope" is not a Hyperliquid builder dex (perpDexs lists xyz)');
    expect(r.runtime.instances().get("hyperliquid")!.state).toBe("degraded");
    expect(f.closedForUnknownCoin).toBe(0);
    await blocks(f, r, 20);
    await synced(f, r, ["BTC", "ETH"]);
    expect(f.venue.clients).toHaveLength(1);
  });

  it("does find a coin delisted while running (the venue keeps closing the socket) and keep the others", async () => {
    const { fake: f, rig: r } = await start("", ["BTC", "ETH"]);
    await synced(f, r, ["BTC", "ETH"]);
    f.delist("ETH");
    r.clock.advance(3_000); // long after the subscription: this drop is not a quick close
    f.venue.last().drop();
    await r.until(() => (r.runtime.instances().get("hyperliquid")!.reasons[0] ?? "").includes("ETH is not a Hyperliquid perp"), "ETH dropped", 60_000);
    expect(f.closedForUnknownCoin).toBe(2);
    expect(r.runtime.instances().get("hyperliquid")!.reasons[0]).toContain("the venue kept closing hyperliquid#0 right after subscribing");
    await r.until(() => f.venue.live().length === 1 && f.venue.last().subscriptions.has("l2Book:BTC"), "BTC resubscribed alone", 60_000);
    await blocks(f, r, 5);
    await synced(f, r, ["BTC"]);
    expect([...f.venue.last().subscriptions]).toEqual(["l2Book:BTC"]);
    expect(f.closedForUnknownCoin).toBe(2);
  });

  it("does fault the feed when every coin is bad", async () => {
    const { fake: f, rig: r } = await start("", ["DOGEX"]);
    await r.until(() => r.runtime.store.feedState("hyperliquid") === "faulted", "faulted");
    expect(r.runtime.instances().get("hyperliquid")!.state).toBe("faulted");
    expect(f.venue.clients).toHaveLength(0);
  });

  it("does heal a dropped push and a corrupted push with the next whole snapshot", async () => {
    const { fake: f, rig: r } = await start();
    await synced(f, r);
    f.venue.last().dropNext(3);
    await blocks(f, r, 2);
    await synced(f, r);
    f.venue.last().mutateNext((frame) => frame.slice(0, 40));
    await blocks(f, r, 2);
    await synced(f, r);
    expect(r.runtime.view.feeds().find((x) => x.id === "hyperliquid")!.errors).toBe(1);
    expect(r.log.lines.filter((l) => l.includes("malformed frame") && l.includes("not json"))).toHaveLength(1);
  });

  it("does recover from a disconnect and from a silent stall (no pong) by itself", async () => {
    const { fake: f, rig: r } = await start();
    await synced(f, r);
    f.venue.last().drop();
    await r.until(() => r.runtime.store.feedState("hyperliquid") === "reconnecting", "close seen", 5_000);
    expect(r.runtime.store.fresh("hyperliquid", "BTC").ok).toBe(false);
    await blocks(f, r, 5);
    await synced(f, r);
    expect(f.venue.clients).toHaveLength(2);

    f.venue.last().mode = "stalled";
    await blocks(f, r, 5);
    await r.until(() => f.venue.clients.length === 3 && f.venue.last().subscriptions.size === 4, "reconnect after the stall", 120_000, 500);
    expect(f.venue.clients[1]!.textPings).toBeGreaterThanOrEqual(1);
    await blocks(f, r, 5);
    await synced(f, r);
  });

  it("does mark a book stale when its pushes stop while pongs still come, and resubscribe it", async () => {
    const { fake: f, rig: r } = await start("book_cadence_ms = 10000");
    await synced(f, r);
    f.venue.last().mode = "data-stalled";
    await r.until(() => r.runtime.store.book("hyperliquid", "BTC")!.state === "stale", "stale book", 60_000, 500);
    expect(f.venue.clients).toHaveLength(1);
    f.venue.last().mode = "normal";
    await r.until(() => f.venue.last().subscribeFrames.filter((x) => x.includes('"unsubscribe"')).length >= 4, "resubscribed", 30_000, 500);
    await blocks(f, r, 3);
    await synced(f, r);
  });

  it("does ping when quiet and stay connected while pongs come back", async () => {
    const { fake: f, rig: r } = await start();
    await synced(f, r);
    await r.until(() => f.venue.last().textPings >= 3, "three pings", 200_000, 1_000);
    expect(f.venue.last().received.filter((x) => x === '{"method":"ping"}').length).toBeGreaterThanOrEqual(3);
    expect(f.venue.clients).toHaveLength(1);
    expect(r.runtime.store.book("hyperliquid", "BTC")!.state).toBe("live");
  });

  it("does take 5 levels in fast mode and quotes from bbo", async () => {
    const { fake: f, rig: r } = await start("fast = true", ["BTC"]);
    await synced(f, r, ["BTC"], 5);
    expect(f.venue.last().subscribeFrames).toEqual(['{"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","fast":true}}']);
    await rig!.stop();
    fake!.stop();
    const b = await start('channels = ["bbo"]', ["ETH"]);
    await b.rig.until(() => b.rig.runtime.store.quoteRow("hyperliquid", "ETH") !== undefined, "bbo quote", 5_000);
    await blocks(b.fake, b.rig, 3);
    const top = b.fake.depth("ETH", 1);
    await b.rig.until(() => b.rig.runtime.store.quoteRow("hyperliquid", "ETH")!.bid === top.bids[0]![0], "bbo top");
    expect(b.rig.runtime.store.quoteRow("hyperliquid", "ETH")).toMatchObject({ ask: top.asks[0]![0], askSize: top.asks[0]![1], key: "ETH-USDC-PERP" });
  });

  it("does emit trades, funding from activeAssetCtx and mids from allMids", async () => {
    const { fake: f, rig: r } = await start('channels = ["l2Book", "trades", "activeAssetCtx", "allMids"]');
    const trades: Trade[] = [];
    const funding: Funding[] = [];
    const ticks: PriceTick[] = [];
    r.runtime.bus.on("trade", (t) => void trades.push(t));
    r.runtime.bus.on("funding", (x) => void funding.push(x));
    r.runtime.bus.on("price.tick", (x) => void ticks.push(x));
    await synced(f, r);
    expect(f.venue.last().subscriptions.has("allMids:")).toBe(true);
    expect(f.venue.last().subscriptions.has("allMids:xyz")).toBe(true);
    f.trades();
    f.contexts("0.0000125");
    f.mids();
    await r.until(() => trades.length === 4 && funding.length === 4 && ticks.length === 4, "trades, funding, mids");
    const pepe = trades.find((t) => t.instrument === "kPEPE")!;
    expect(pepe.key).toBe("PEPE-USDC-PERP");
    expect(pepe.price).toBeLessThan(0.0001);
    expect(funding.find((x) => x.instrument === "BTC")).toMatchObject({ rate: 0.0000125, intervalMs: 3_600_000, key: "BTC-USDC-PERP" });
    expect(ticks.map((t) => t.instrument).sort()).toEqual(["BTC", "ETH", "kPEPE", "xyz:SP500"]);
  });
});
