/**
 * The Bybit v5 feed against its protocol-faithful fake: snapshot + 1,000 random deltas, a lost delta
 * (u gap → resubscribe for a fresh snapshot), a `u = 1` restart, a dropped connection, a silent stall
 * (no pong to the JSON ping), a data stall on the level-1 book, malformed frames, tickers and trades.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { ManualClock } from "../../core/clock.ts";
import type { Funding, Trade } from "../../core/events.ts";
import { bybitFeed } from "../../plugins/feeds/bybit/index.ts";
import { levelsText, startFeedRig, watchFreshness, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { FakeBybit } from "../fakes/bybit/server.ts";
import { waitFor } from "../fakes/fake-venue.ts";

let fake: FakeBybit | undefined;
let rig: FeedRig | undefined;
afterEach(async () => {
  await rig?.stop();
  fake?.stop();
  rig = fake = undefined;
});

const BOOK = "orderbook.50.BTCUSDT";

async function start(extra = "", depth = 50): Promise<{ r: FeedRig; f: FakeBybit }> {
  const clock = new ManualClock(1_700_000_000_000);
  const f = (fake = new FakeBybit({ symbols: ["BTCUSDT", "ETHUSDT"], clock, depth }));
  const table = `[feeds.bybit]\nws_url = "${f.url}"\ninstruments = ["BTCUSDT", "ETHUSDT"]\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\norderbook_depth = ${depth}\n${extra}`;
  const r = (rig = await startFeedRig([bybitFeed], "bybit", table, {}, clock, [f.venue]));
  await r.settle(() => r.book("BTCUSDT")?.state === "live" && r.book("ETHUSDT")?.state === "live", "books live");
  return { r, f };
}

function same(r: FeedRig, f: FakeBybit, symbol: string): boolean {
  const mine = r.depth(symbol);
  const truth = f.books.get(symbol)!.truth;
  return mine !== undefined && levelsText(mine.bids) === levelsText(truth.levels("bid")) && levelsText(mine.asks) === levelsText(truth.levels("ask"));
}

async function synced(r: FeedRig, f: FakeBybit, symbol: string, what: string): Promise<void> {
  await waitFor(() => r.book(symbol)?.seq === f.books.get(symbol)!.u && r.book(symbol)?.state === "live", `${what}: ${symbol} at u ${f.books.get(symbol)!.u}`);
  expect(same(r, f, symbol)).toBe(true);
  expect(r.fresh(symbol)).toBe(true);
}

describe("bybit feed against the fake venue", () => {
  setDefaultTimeout(20_000);

  it("keeps both books equal to the venue's through the snapshot and 1,000 random deltas", async () => {
    const { r, f } = await start();
    const watch = watchFreshness(r, f.history, ["BTCUSDT", "ETHUSDT"]);
    await synced(r, f, "BTCUSDT", "snapshot");
    for (let i = 0; i < 1000; i++) {
      f.delta("BTCUSDT");
      if (i % 4 === 0) f.delta("ETHUSDT");
      if (i % 100 === 0) await Bun.sleep(1);
    }
    await synced(r, f, "BTCUSDT", "after 1000 deltas");
    await synced(r, f, "ETHUSDT", "after 1000 deltas");
    expect(watch.checked).toBeGreaterThan(1000);
    expect(watch.wrong).toEqual([]);
    expect(r.row().errors).toBe(0);
  });

  it("detects a lost delta by u, resubscribes for a fresh snapshot and recovers by itself", async () => {
    const { r, f } = await start();
    const watch = watchFreshness(r, f.history, ["BTCUSDT"]);
    const c = f.venue.last();
    const frames = c.subscribeFrames.length;
    c.dropNext(1);
    f.delta("BTCUSDT"); // lost
    f.delta("BTCUSDT"); // u jumps by 2 → gap
    await waitFor(() => c.subscribeFrames.length >= frames + 2, "unsubscribe + subscribe sent");
    expect(c.subscribeFrames.slice(-2).map((s) => JSON.parse(s).op)).toEqual(["unsubscribe", "subscribe"]);
    for (let i = 0; i < 30; i++) f.delta("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after the gap");
    expect(r.row().resyncs).toBeGreaterThan(0);
    expect(watch.wrong).toEqual([]);
  });

  it("subscribes again when a snapshot never comes (resync_timeout_ms)", async () => {
    const { r, f } = await start("resync_timeout_ms = 5000");
    const c = f.venue.last();
    const frames = c.subscribeFrames.length;
    f.swallowSnapshots = 1;
    c.dropNext(1);
    f.delta("BTCUSDT");
    f.delta("BTCUSDT"); // gap → resubscribe, whose snapshot is lost
    await waitFor(() => c.subscribeFrames.length === frames + 2, "the first resubscribe");
    await r.run(4_000, 500);
    expect(r.book("BTCUSDT")?.state).toBe("resyncing");
    await r.run(1_500, 500);
    await waitFor(() => c.subscribeFrames.length === frames + 4, "subscribed again after 5 s");
    f.delta("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after the lost snapshot");
  });

  it("overwrites the book on a u = 1 snapshot (service restart) and chains on from it", async () => {
    const { r, f } = await start();
    for (let i = 0; i < 10; i++) f.delta("BTCUSDT");
    f.restart("BTCUSDT");
    for (let i = 0; i < 10; i++) f.delta("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after the restart");
    expect(r.book("BTCUSDT")?.seq).toBe(11);
    expect(r.row().resyncs).toBe(0);
  });

  it("recovers from a dropped connection: stale, resubscribed, new snapshot", async () => {
    const { r, f } = await start();
    const first = f.venue.last();
    first.drop();
    await waitFor(() => r.book("BTCUSDT")?.state !== "live", "stale after the drop");
    for (let i = 0; i < 5; i++) f.delta("BTCUSDT");
    await r.settle(() => f.venue.subscribers(BOOK).length === 1, "resubscribed", 50);
    f.delta("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after reconnect");
    expect(r.row().reconnects).toBe(1);
  });

  it("detects a silent stall (no data, no pong to its JSON ping) and reconnects", async () => {
    const { r, f } = await start();
    const first = f.venue.last();
    const states: string[] = [];
    r.rt.bus.on("feed.status", (s) => void states.push(`${s.state}: ${s.reasons.join("; ")}`));
    first.mode = "stalled";
    f.delta("BTCUSDT");
    await r.run(31_000, 500); // ping at 20 s, no pong within 10 s
    await waitFor(() => !first.open, "closed");
    expect(states.some((s) => /no pong within 10000 ms|nothing received for/.test(s))).toBe(true);
    await r.settle(() => f.venue.subscribers(BOOK).length === 1, "resubscribed", 50);
    expect(first.textPings).toBeGreaterThan(0);
    f.delta("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after the stall");
  });

  it("marks a level-1 book stale when its 3-second re-push stops while pongs still come", async () => {
    const { r, f } = await start("", 1);
    f.top("BTCUSDT");
    await synced(r, f, "BTCUSDT", "level 1");
    f.venue.last().mode = "data-stalled";
    await r.run(10_000, 500); // promised every 3 s, + 3 s grace, scanned every 1.5 s
    await waitFor(() => r.book("BTCUSDT")?.state === "stale", "stale on the missed re-push");
    expect(r.fresh("BTCUSDT")).toBe(false);
    expect(f.venue.last().open).toBe(true);
    f.venue.last().mode = "normal";
    f.top("BTCUSDT");
    await synced(r, f, "BTCUSDT", "re-push resumed");
  });

  it("counts malformed frames, logs each shape once and keeps going", async () => {
    const { r, f } = await start();
    const c = f.venue.last();
    c.sendMalformed();
    c.sendMalformed();
    c.sendRaw('{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":7}}');
    await waitFor(() => r.row().errors >= 3, "errors counted");
    expect(r.logged("malformed frame").length).toBe(2);
    f.delta("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after malformed frames");
  });

  it("gives up as faulted, naming the topic, when Bybit refuses a symbol", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const f = (fake = new FakeBybit({ symbols: ["BTCUSDT"], clock }));
    const r = (rig = await startFeedRig([bybitFeed], "bybit", `[feeds.bybit]\nws_url = "${f.url}"\ninstruments = ["BTCUSDT", "NOPEUSDT"]\n`, {}, clock, [f.venue]));
    await r.settle(() => r.row().state === "faulted", "faulted", 10);
    expect(r.row().reasons.join(" ")).toContain("Bybit refused a subscription: Invalid symbol :[orderbook.50.NOPEUSDT]");
  });

  it("merges tickers into funding and publishes trades", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const f = (fake = new FakeBybit({ symbols: ["BTCUSDT"], clock }));
    const table = `[feeds.bybit]\nws_url = "${f.url}"\ninstruments = ["BTCUSDT"]\nchannels = ["tickers", "publicTrade"]\n`;
    const r = (rig = await startFeedRig([bybitFeed], "bybit", table, {}, clock, [f.venue]));
    const funding: Funding[] = [];
    const trades: Trade[] = [];
    r.rt.bus.on("funding", (x) => void funding.push(x));
    r.rt.bus.on("trade", (x) => void trades.push(x));
    await r.settle(() => r.rt.store.quote("bybit", "BTCUSDT") !== undefined, "quote from the ticker snapshot");
    f.tickerDelta("BTCUSDT", { bid1Price: "29999.5", bid1Size: "3" });
    f.tickerDelta("BTCUSDT", { fundingRate: "-0.00025" });
    f.trade("BTCUSDT", 30000.1, 0.5, "Sell");
    await waitFor(() => funding.length >= 2 && trades.length === 1, "funding and trade");
    expect(funding.at(-1)).toMatchObject({ rate: -0.00025, nextFundingTime: 1700006400000, intervalMs: 8 * 3_600_000, markPrice: 30000, key: "BTC-USDT-PERP" });
    expect(r.rt.store.quote("bybit", "BTCUSDT")).toMatchObject({ bid: 29999.5, bidSize: 3 });
    expect(trades[0]).toMatchObject({ price: 30000.1, size: 0.5, side: "sell" });
    // funding is published after the frame's end: a listener reading the store sees this frame's quote
    const bidAtFunding: (number | null | undefined)[] = [];
    r.rt.bus.on("funding", () => void bidAtFunding.push(r.rt.store.quote("bybit", "BTCUSDT")?.bid));
    f.tickerDelta("BTCUSDT", { bid1Price: "29998", bid1Size: "2", fundingRate: "-0.0003" });
    await waitFor(() => bidAtFunding.length === 1, "funding with a new top in one frame");
    expect(bidAtFunding).toEqual([29998]);
  });
});
