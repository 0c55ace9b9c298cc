/**
 * The Binance USD-M feed against its protocol-faithful fake: snapshot + 1,000 random diff-depth events,
 * a lost event (pu gap → REST snapshot again), a dropped connection, a half-open stall, malformed frames,
 * server pings, the 24-hour rotation and the 200-streams-per-connection shards.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { binanceFeed } from "../../plugins/feeds/binance/index.ts";
import { FakeBinance } from "../fakes/binance/server.ts";
import { levelsText, startFeedRig, watchFreshness, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { TcpProxy } from "../fakes/tcp-proxy.ts";
import { waitFor } from "../fakes/fake-venue.ts";
import { ManualClock } from "../../core/clock.ts";
import type { Funding, Trade } from "../../core/events.ts";

let fake: FakeBinance | undefined;
let rig: FeedRig | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await rig?.stop();
  fake?.stop();
  proxy?.stop();
  rig = fake = proxy = undefined;
});

function table(wsUrl: string, f: FakeBinance, extra = ""): string {
  return `[feeds.binance]\nws_url = "${wsUrl}"\nmarket_ws_url = "${f.marketUrl}"\nrest_url = "${f.restUrl}"\ninstruments = ["BTCUSDT", "ETHUSDT"]\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\n${extra}`;
}

/** The store's book equals the venue's, level for level. */
function same(r: FeedRig, f: FakeBinance, symbol: string): boolean {
  const mine = r.depth(symbol);
  const truth = f.books.get(symbol)!.truth;
  return mine !== undefined && levelsText(mine.bids) === levelsText(truth.levels("bid")) && levelsText(mine.asks) === levelsText(truth.levels("ask"));
}

async function synced(r: FeedRig, f: FakeBinance, symbol: string, what: string): Promise<void> {
  await waitFor(() => r.book(symbol)?.seq === f.books.get(symbol)!.u && r.book(symbol)?.state === "live", `${what}: ${symbol} at the venue's u`);
  expect(same(r, f, symbol)).toBe(true);
  expect(r.fresh(symbol)).toBe(true);
}

async function start(extra = "", viaProxy = false): Promise<{ r: FeedRig; f: FakeBinance }> {
  const clock = new ManualClock(1_700_000_000_000);
  const f = (fake = new FakeBinance({ symbols: ["BTCUSDT", "ETHUSDT"], clock }));
  let wsUrl = f.url;
  if (viaProxy) {
    proxy = await TcpProxy.start(f.venue.port);
    wsUrl = `ws://127.0.0.1:${proxy.port}/public/stream`;
  }
  const r = (rig = await startFeedRig([binanceFeed], "binance", table(wsUrl, f, extra), {}, clock, [f.venue, f.market]));
  await r.settle(() => f.venue.subscribers("btcusdt@depth@100ms").length === 1 && f.venue.subscribers("ethusdt@depth@100ms").length === 1, "subscribed");
  return { r, f };
}

/** One event per symbol so the sync buffers and asks for the snapshot, then wait for the books. */
async function prime(r: FeedRig, f: FakeBinance, what: string): Promise<void> {
  for (const s of ["BTCUSDT", "ETHUSDT"]) f.depth(s);
  await waitFor(() => r.book("BTCUSDT")?.state === "live" && r.book("ETHUSDT")?.state === "live", `${what}: books live`);
  for (const s of ["BTCUSDT", "ETHUSDT"]) {
    f.depth(s);
    await synced(r, f, s, what);
  }
}

describe("binance feed against the fake venue", () => {
  setDefaultTimeout(20_000);
  it("keeps both books equal to the venue's through a REST snapshot and 1,000 random diff-depth events", async () => {
    const { r, f } = await start();
    const watch = watchFreshness(r, f.history, ["BTCUSDT", "ETHUSDT"]);
    await prime(r, f, "start");
    expect(f.depthRequests.get("BTCUSDT")).toBe(1);
    for (let i = 0; i < 1000; i++) {
      f.depth("BTCUSDT");
      if (i % 3 === 0) f.depth("ETHUSDT");
      if (i % 100 === 0) await Bun.sleep(1);
    }
    await synced(r, f, "BTCUSDT", "after 1000 deltas");
    await synced(r, f, "ETHUSDT", "after 1000 deltas");
    expect(watch.checked).toBeGreaterThan(1000);
    expect(watch.wrong).toEqual([]);
    expect(r.row().state).toBe("live");
    expect(r.row().errors).toBe(0);
  });

  it("detects a lost event by pu, fetches the snapshot again and recovers by itself", async () => {
    const { r, f } = await start();
    const watch = watchFreshness(r, f.history, ["BTCUSDT", "ETHUSDT"]);
    await prime(r, f, "start");
    const before = f.depthRequests.get("BTCUSDT")!;
    f.loseNext("BTCUSDT");
    f.depth("BTCUSDT"); // lost
    f.depth("BTCUSDT"); // pu no longer matches → resync
    await waitFor(() => f.depthRequests.get("BTCUSDT")! > before, "a new REST snapshot");
    for (let i = 0; i < 50; i++) f.depth("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after the gap");
    expect(r.row().resyncs).toBeGreaterThan(0);
    await synced(r, f, "ETHUSDT", "the other book was untouched");
    expect(watch.wrong).toEqual([]); // never fresh while missing the lost event
  });

  it("recovers from a dropped connection: stale at once, resubscribed, resynced from a new snapshot", async () => {
    const { r, f } = await start();
    await prime(r, f, "start");
    f.venue.last().drop();
    await waitFor(() => r.book("BTCUSDT")?.state !== "live", "stale after the drop");
    expect(r.fresh("BTCUSDT")).toBe(false);
    await r.settle(() => f.venue.subscribers("btcusdt@depth@100ms").length === 1, "resubscribed", 50);
    for (let i = 0; i < 20; i++) f.depth("BTCUSDT"); // moves on while the client resyncs
    await prime(r, f, "after reconnect");
    expect(r.row().reconnects).toBe(1);
  });

  it("detects a half-open stall (no data, no pong) with its protocol pings and reconnects", async () => {
    const { r, f } = await start("ping_interval_ms = 5000\nstale_after_ms = 12000", true);
    await prime(r, f, "start");
    proxy!.blackhole(true);
    f.depth("BTCUSDT"); // never arrives
    await r.run(8_000, 500); // ping at 5 s, no pong within 2.5 s
    await waitFor(() => r.book("BTCUSDT")?.state !== "live", "stale");
    proxy!.blackhole(false);
    await r.settle(() => f.venue.subscribers("btcusdt@depth@100ms").length >= 1, "resubscribed", 50);
    await prime(r, f, "after the stall");
  });

  it("counts malformed frames, logs each shape once and keeps going", async () => {
    const { r, f } = await start();
    await prime(r, f, "start");
    const c = f.venue.last();
    c.sendMalformed();
    c.sendMalformed();
    c.sendRaw('{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","s":"BTCUSDT","b":[]}}');
    await waitFor(() => r.row().errors >= 3, "errors counted");
    expect(r.logged("malformed frame").length).toBe(2); // two shapes: not json, depthUpdate without ids
    f.depth("BTCUSDT");
    await synced(r, f, "BTCUSDT", "after malformed frames");
  });

  it("stays live on server pings alone, and reconnects on its own before the 24-hour disconnect", async () => {
    const { r, f } = await start("ping_interval_ms = 0\nstale_after_ms = 30000");
    await prime(r, f, "start");
    const client = f.venue.last();
    for (let t = 0; t < 6; t++) {
      const pongs = client.protocolPongs;
      client.ping("server");
      await waitFor(() => client.protocolPongs > pongs, "the client's pong to the server ping");
      await r.run(20_000, 5_000);
    }
    expect(client.open).toBe(true);
    expect(r.row().reconnects).toBe(0);
    expect(r.book("BTCUSDT")?.state).toBe("live");
    // no data and no ping for stale_after_ms: the watchdog ends it
    await r.run(31_000, 1_000);
    await waitFor(() => !client.open, "closed after silence");
    await r.settle(() => f.venue.subscribers("btcusdt@depth@100ms").length === 1, "resubscribed", 50);
    await prime(r, f, "after silence");
  });

  it("rotates the connection before Binance's 24-hour mark", async () => {
    const { r, f } = await start("reconnect_before_ms = 3600000");
    await prime(r, f, "start");
    const first = f.venue.last();
    await r.run(3_600_000, 600_000);
    await r.settle(() => !first.open && f.venue.subscribers("btcusdt@depth@100ms").length === 1, "rotated", 50);
    expect(f.venue.last()).not.toBe(first);
    await prime(r, f, "after rotation");
  });
});

describe("binance feed on the routed /public and /market paths", () => {
  it("takes funding and trades from /market, the book from /public; one tier down leaves the other's data fresh", async () => {
    const { r, f } = await start('channels = ["depth", "aggTrade", "markPrice"]');
    const funding: Funding[] = [];
    const trades: Trade[] = [];
    r.rt.bus.on("funding", (x) => void funding.push(x));
    r.rt.bus.on("trade", (x) => void trades.push(x));
    await r.settle(() => f.market.subscribers("btcusdt@markPrice@1s").length === 1, "market tier subscribed");
    expect(f.venue.subscribers("btcusdt@markPrice@1s")).toHaveLength(0);
    await prime(r, f, "start");
    f.markPrice("BTCUSDT", "0.00038167", 1_700_006_400_000);
    f.aggTrade("ETHUSDT", 3000.5, 2, false);
    await waitFor(() => funding.length === 1 && trades.length === 1, "funding and trade");
    expect(funding[0]).toMatchObject({ instrument: "BTCUSDT", key: "BTC-USDT-PERP", rate: 0.00038167, nextFundingTime: 1_700_006_400_000 });
    expect(trades[0]).toMatchObject({ instrument: "ETHUSDT", price: 3000.5, size: 2, side: "buy" });
    const states: string[] = [];
    r.rt.bus.on("feed.status", (s) => void states.push(s.state));
    f.market.last().drop();
    await waitFor(() => states.includes("degraded"), "degraded while /market reconnects");
    expect(r.book("BTCUSDT")?.state).toBe("live"); // the book's connection is fine
    await r.settle(() => f.market.subscribers("btcusdt@markPrice@1s").length === 1, "market tier back", 50);
    await waitFor(() => states.at(-1) === "live", "live again");
    expect(r.row().connections).toBe(2);
  });
});

describe("binance feed config the venue rejects", () => {
  it("gives up as faulted when the REST snapshot says the symbol does not exist", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const f = (fake = new FakeBinance({ symbols: ["BTCUSDT"], clock }));
    const r = (rig = await startFeedRig([binanceFeed], "binance", `[feeds.binance]\nws_url = "${f.url}"\nmarket_ws_url = "${f.marketUrl}"\nrest_url = "${f.restUrl}"\ninstruments = ["NOPEUSDT"]\n`, {}, clock, [f.venue, f.market]));
    await r.settle(() => f.venue.subscribers("nopeusdt@depth@100ms").length === 1, "subscribed");
    // Binance streams nothing for a symbol it does not list: after 5 s of silence the sync asks REST anyway
    await r.run(4_500, 500);
    expect(f.depthRequests.get("NOPEUSDT")).toBeUndefined();
    await r.settle(() => r.row().state === "faulted", "faulted", 100);
    expect(r.row().reasons.join(" ")).toContain("Binance refused NOPEUSDT: the venue answered -1121 Invalid symbol.");
  });
});

describe("binance feed shards", () => {
  it("puts at most 200 streams on a connection and paces its SUBSCRIBE frames", async () => {
    const symbols = Array.from({ length: 60 }, (_, i) => `C${i}USDT`);
    const f = (fake = new FakeBinance({ symbols, levels: 5 }));
    const r = (rig = await startFeedRig(
      [binanceFeed],
      "binance",
      `[feeds.binance]\nws_url = "${f.url}"\nmarket_ws_url = "${f.marketUrl}"\nrest_url = "${f.restUrl}"\ninstruments = ${JSON.stringify(symbols)}\nchannels = ["bookTicker", "aggTrade", "markPrice"]\nmax_per_connection = 100\nmax_messages_per_s = 1\n`,
    ));
    const clients = () => [...f.venue.live(), ...f.market.live()];
    await r.settle(() => clients().reduce((n, c) => n + c.subscriptions.size, 0) === 180, "all 180 streams subscribed", 50);
    // bookTicker on /public, aggTrade and markPrice on /market; at most 100 per connection here
    expect(f.venue.live().map((c) => c.subscriptions.size)).toEqual([60]);
    expect(f.market.live().map((c) => c.subscriptions.size).sort()).toEqual([100, 20]);
    expect([...f.market.live()[0]!.subscriptions].every((s) => s.includes("@aggTrade") || s.includes("@markPrice"))).toBe(true);
    expect(clients().flatMap((c) => c.refusedIds)).toEqual([]);
    // 50 streams per frame, one frame per second per connection at max_messages_per_s = 1
    expect(clients().map((c) => c.subscribeFrames.length).sort()).toEqual([1, 2, 2]);
    f.bookTicker("C7USDT");
    await waitFor(() => r.rt.store.quote("binance", "C7USDT") !== undefined, "quote");
    expect(r.rt.store.quote("binance", "C7USDT")?.key).toBe("C7-USDT-PERP");
  });
});
