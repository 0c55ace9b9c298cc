/**
 * The Paradex feed against its protocol-faithful fake (SBE frames encoded from the published schema):
 * snapshot + 1,000 random deltas, a lost delta (seq gap → resubscribe), a dropped connection, a
 * half-open stall, malformed and unknown-template frames, the snapshot feed, JSON channels, bbo /
 * trades / funding, and JWT auth from the environment.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { ManualClock } from "../../core/clock.ts";
import type { Funding, Trade } from "../../core/events.ts";
import { paradexFeed } from "../../plugins/feeds/paradex/index.ts";
import { levelsText, startFeedRig, watchFreshness, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { waitFor } from "../fakes/fake-venue.ts";
import { FakeParadex } from "../fakes/paradex/server.ts";
import { TcpProxy } from "../fakes/tcp-proxy.ts";

let fake: FakeParadex | undefined;
let rig: FeedRig | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await rig?.stop();
  fake?.stop();
  proxy?.stop();
  rig = fake = proxy = undefined;
});

const MARKETS = ["BTC-USD-PERP", "ETH-USD-PERP"];

async function start(extra = "", opts: { viaProxy?: boolean; jwt?: string; env?: Record<string, string>; waitLive?: boolean } = {}): Promise<{ r: FeedRig; f: FakeParadex }> {
  const clock = new ManualClock(1_700_000_000_000);
  const f = (fake = new FakeParadex({ markets: MARKETS, clock, jwt: opts.jwt }));
  let url = f.url;
  if (opts.viaProxy === true) {
    proxy = await TcpProxy.start(f.venue.port);
    url = `ws://127.0.0.1:${proxy.port}/v1`;
  }
  const table = `[feeds.paradex]\nws_url = "${url}"\ninstruments = ${JSON.stringify(MARKETS)}\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\n${extra}`;
  const r = (rig = await startFeedRig([paradexFeed], "paradex", table, opts.env ?? {}, clock, [f.venue]));
  if (opts.waitLive !== false) await r.settle(() => MARKETS.every((m) => r.book(m)?.state === "live"), "books live");
  return { r, f };
}

function same(r: FeedRig, f: FakeParadex, market: string): boolean {
  const mine = r.depth(market);
  const truth = f.books.get(market)!.truth;
  return mine !== undefined && levelsText(mine.bids) === levelsText(truth.levels("bid", 15)) && levelsText(mine.asks) === levelsText(truth.levels("ask", 15));
}

async function synced(r: FeedRig, f: FakeParadex, market: string, what: string): Promise<void> {
  await waitFor(() => r.book(market)?.seq === f.books.get(market)!.seq && r.book(market)?.state === "live", `${what}: ${market} at seq ${f.books.get(market)!.seq}`);
  expect(same(r, f, market)).toBe(true);
  expect(r.fresh(market)).toBe(true);
}

describe("paradex feed against the fake venue (SBE)", () => {
  setDefaultTimeout(20_000);

  it("negotiates SBE on the URL and keeps both books equal through a snapshot and 1,000 random deltas", async () => {
    const { r, f } = await start('book_feed = "deltas"');
    const watch = watchFreshness(r, f.history, MARKETS, 15);
    expect(f.venue.last().query.get("sbeSchemaId")).toBe("1");
    expect(f.venue.last().query.get("sbeSchemaVersion")).toBe("1");
    expect(JSON.parse(f.venue.last().subscribeFrames[0]!)).toMatchObject({ jsonrpc: "2.0", method: "subscribe", params: { channel: "order_book.BTC-USD-PERP.deltas@15@50ms" } });
    await synced(r, f, "BTC-USD-PERP", "snapshot");
    for (let i = 0; i < 1000; i++) {
      f.change("BTC-USD-PERP");
      if (i % 5 === 0) f.change("ETH-USD-PERP");
      if (i % 100 === 0) await Bun.sleep(1);
    }
    await synced(r, f, "BTC-USD-PERP", "after 1000 deltas");
    await synced(r, f, "ETH-USD-PERP", "after 1000 deltas");
    expect(watch.checked).toBeGreaterThan(1000);
    expect(watch.wrong).toEqual([]);
    expect(r.rt.store.quote("paradex", "BTC-USD-PERP")?.key).toBe("BTC-USDC-PERP");
    expect(r.row().errors).toBe(0);
  });

  it("detects a lost delta by seq, resubscribes for a fresh snapshot and recovers by itself", async () => {
    const { r, f } = await start('book_feed = "deltas"');
    const watch = watchFreshness(r, f.history, MARKETS, 15);
    const c = f.venue.last();
    const frames = c.subscribeFrames.length;
    f.loseNext(c);
    f.change("BTC-USD-PERP"); // lost
    f.change("BTC-USD-PERP"); // seq + 2 → gap
    await waitFor(() => c.subscribeFrames.length >= frames + 2, "unsubscribe + subscribe");
    expect(c.subscribeFrames.slice(-2).map((s) => JSON.parse(s).method)).toEqual(["unsubscribe", "subscribe"]);
    for (let i = 0; i < 20; i++) f.change("BTC-USD-PERP");
    await synced(r, f, "BTC-USD-PERP", "after the gap");
    expect(r.row().resyncs).toBeGreaterThan(0);
    expect(watch.wrong).toEqual([]);
  });

  it("subscribes again when a snapshot never comes (resync_timeout_ms)", async () => {
    const { r, f } = await start('book_feed = "deltas"\nresync_timeout_ms = 5000');
    const c = f.venue.last();
    f.swallowSnapshots = 1;
    f.loseNext(c);
    f.change("BTC-USD-PERP");
    f.change("BTC-USD-PERP"); // gap → resubscribe, whose snapshot is lost
    await waitFor(() => c.subscribeFrames.length === 4, "the first resubscribe");
    await r.run(4_000, 500);
    expect(c.subscribeFrames).toHaveLength(4);
    expect(r.book("BTC-USD-PERP")?.state).toBe("resyncing");
    await r.run(1_500, 500);
    await waitFor(() => c.subscribeFrames.length === 6, "subscribed again after 5 s");
    f.change("BTC-USD-PERP");
    await synced(r, f, "BTC-USD-PERP", "after the lost snapshot");
    expect(r.logged("no snapshot after subscribing").length).toBe(1);
  });

  it("recovers from a dropped connection", async () => {
    const { r, f } = await start('book_feed = "deltas"');
    f.venue.last().drop();
    await waitFor(() => r.book("BTC-USD-PERP")?.state !== "live", "stale after the drop");
    f.change("BTC-USD-PERP");
    await r.settle(() => f.venue.live().length === 1 && f.venue.live()[0]!.subscriptions.size === 2, "resubscribed", 50);
    f.change("BTC-USD-PERP");
    await synced(r, f, "BTC-USD-PERP", "after reconnect");
    expect(r.row().reconnects).toBe(1);
  });

  it("stays up on the venue's SBE heartbeats alone, and detects a half-open stall by its watchdog", async () => {
    const { r, f } = await start('book_feed = "deltas"\nping_interval_ms = 0\nstale_after_ms = 25000', { viaProxy: true });
    const first = f.venue.last();
    for (let i = 0; i < 4; i++) {
      f.heartbeat(); // every 20 s on an idle connection (schema: HeartbeatEvent)
      await r.quiet(); // the heartbeat reached the feed
      await r.run(20_000, 5_000);
    }
    expect(first.open).toBe(true);
    expect(r.row().reconnects).toBe(0);
    proxy!.blackhole(true);
    await r.run(26_000, 1_000);
    await waitFor(() => r.book("BTC-USD-PERP")?.state !== "live", "stale");
    proxy!.blackhole(false);
    await r.settle(() => f.venue.live().some((c) => c !== first && c.subscriptions.size === 2), "resubscribed", 50);
    f.change("BTC-USD-PERP");
    await synced(r, f, "BTC-USD-PERP", "after the stall");
  });

  it("counts malformed and unknown-template frames, logs each shape once and keeps going", async () => {
    const { r, f } = await start('book_feed = "deltas"');
    const c = f.venue.last();
    c.sendRaw(new Uint8Array([1, 2, 3]));
    c.sendRaw(new Uint8Array([1, 2, 3, 4, 5]));
    const unknown = new Uint8Array([16, 0, 61, 0, 1, 0, 1, 0, ...new Array<number>(16).fill(0)]);
    c.sendRaw(unknown);
    c.sendMalformed();
    await waitFor(() => r.row().errors >= 4, "errors counted");
    expect(r.logged("malformed frame").length).toBe(3); // too short, templateId 61, not json
    f.change("BTC-USD-PERP");
    await synced(r, f, "BTC-USD-PERP", "after malformed frames");
  });

  it("takes the snapshot feed: a full top-15 book every refresh", async () => {
    const { r, f } = await start();
    expect(f.venue.last().subscriptions.has("order_book.BTC-USD-PERP.snapshot@15@50ms")).toBe(true);
    for (let i = 0; i < 50; i++) f.change("BTC-USD-PERP");
    await synced(r, f, "BTC-USD-PERP", "snapshot feed");
  });

  it("publishes bbo quotes, trades and funding from SBE frames", async () => {
    const { r, f } = await start('channels = ["bbo", "trades", "funding_data"]', { waitLive: false });
    const trades: Trade[] = [];
    const funding: Funding[] = [];
    r.rt.bus.on("trade", (t) => void trades.push(t));
    r.rt.bus.on("funding", (x) => void funding.push(x));
    await r.settle(() => f.venue.live()[0]?.subscriptions.size === 6, "subscribed");
    f.bbo("BTC-USD-PERP");
    f.trade("BTC-USD-PERP", 67000.5, 0.25, "SELL");
    f.funding("ETH-USD-PERP", 0.0000125, 1);
    await waitFor(() => r.rt.store.quote("paradex", "BTC-USD-PERP") !== undefined && trades.length === 1 && funding.length === 1, "quote, trade, funding");
    const [b] = f.books.get("BTC-USD-PERP")!.truth.levels("bid", 1);
    expect(r.rt.store.quote("paradex", "BTC-USD-PERP")).toMatchObject({ bid: b![0], bidSize: b![1], key: "BTC-USDC-PERP" });
    expect(trades[0]).toMatchObject({ price: 67000.5, size: 0.25, side: "sell", key: "BTC-USDC-PERP" });
    expect(funding[0]).toMatchObject({ rate: 0.0000125, intervalMs: 3_600_000, instrument: "ETH-USD-PERP", key: "ETH-USDC-PERP" });
  });
});

describe("paradex feed: JSON channels and auth", () => {
  setDefaultTimeout(20_000);

  it("reads the JSON order_book channels when SBE is off", async () => {
    const { r, f } = await start('sbe = false\nbook_feed = "deltas"');
    expect(f.venue.last().query.get("sbeSchemaId")).toBeNull();
    for (let i = 0; i < 200; i++) f.change("BTC-USD-PERP");
    await synced(r, f, "BTC-USD-PERP", "JSON deltas");
  });

  it("authenticates with the JWT from the environment before subscribing", async () => {
    const { f } = await start('jwt = "${PARADEX_JWT}"', { jwt: "good-token", env: { PARADEX_JWT: "good-token" } });
    expect(f.bearers).toEqual(["good-token"]);
    expect(JSON.parse(f.venue.last().received[0]!)).toMatchObject({ method: "auth", params: { bearer: "good-token" } });
  });

  it("gives up as faulted, naming the channel, when the venue refuses a market", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const f = (fake = new FakeParadex({ markets: MARKETS, clock }));
    const r = (rig = await startFeedRig([paradexFeed], "paradex", `[feeds.paradex]\nws_url = "${f.url}"\ninstruments = ["BTC-USD-PERP", "NOPE-USD-PERP"]\n`, {}, clock, [f.venue]));
    await r.settle(() => r.row().state === "faulted", "faulted", 10);
    expect(r.row().reasons.join(" ")).toContain("Paradex refused order_book.NOPE-USD-PERP.snapshot@15@50ms: 4001");
  });

  it("gives up as faulted when the venue refuses the bearer token", async () => {
    const { r, f } = await start('jwt = "${PARADEX_JWT}"', { jwt: "good-token", env: { PARADEX_JWT: "stale-token" }, waitLive: false });
    await r.settle(() => r.row().state === "faulted", "faulted", 10);
    expect(f.bearers).toEqual(["stale-token"]);
    expect(r.row().reasons.join(" ")).toContain("40111");
    expect(r.row().reasons.join(" ")).not.toContain("stale-token");
  });
});
