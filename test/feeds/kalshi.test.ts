/**
 * The Kalshi feed against its fake: a verified signed handshake, snapshot + 1,000 signed deltas kept as
 * YES and NO books equal to the venue's bid counts, a lost delta (seq gap → unsubscribe by sid +
 * subscribe → fresh snapshot), a dropped connection, a silent stall, malformed frames, trades, market.new.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { ManualClock } from "../../core/clock.ts";
import type { MarketNew, Trade } from "../../core/events.ts";
import { kalshiFeed } from "../../plugins/feeds/kalshi/index.ts";
import { levelsText, startFeedRig, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { waitFor } from "../fakes/fake-venue.ts";
import { FakeKalshi } from "../fakes/kalshi/server.ts";
import { TcpProxy } from "../fakes/tcp-proxy.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const A = "FED-26DEC-T4.00";
const B = "CPI-26NOV-T0.3";

let fake: FakeKalshi | undefined;
let rig: FeedRig | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await rig?.stop();
  fake?.stop();
  proxy?.stop();
  rig = fake = proxy = undefined;
});

async function start(extra = "", viaProxy = false): Promise<{ r: FeedRig; f: FakeKalshi }> {
  const clock = new ManualClock(1_700_000_000_000);
  const f = (fake = new FakeKalshi({ markets: [A, B], publicKey, clock }));
  let url = f.url;
  if (viaProxy) {
    proxy = TcpProxy.start(f.venue.port);
    url = `ws://127.0.0.1:${proxy.port}/trade-api/ws/v2`;
  }
  const table = `[feeds.ks]\nplugin = "kalshi"\nws_url = "${url}"\nrest_url = "${f.venue.httpUrl}/trade-api/v2"\nmarkets = ["${A}", "${B}"]\napi_key_id = "\${KALSHI_API_KEY_ID}"\nprivate_key = "\${KALSHI_PRIVATE_KEY}"\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\n${extra}`;
  const r = (rig = await startFeedRig([kalshiFeed], "ks", table, { KALSHI_API_KEY_ID: "key-1", KALSHI_PRIVATE_KEY: PEM }, clock, [f.venue]));
  await r.settle(() => [A, B].every((t) => r.book(`${t}:yes`)?.state === "live" && r.book(`${t}:no`)?.state === "live"), "books live");
  return { r, f };
}

function same(r: FeedRig, f: FakeKalshi, ticker: string): boolean {
  const want = f.books(ticker);
  const yes = r.depth(`${ticker}:yes`);
  const no = r.depth(`${ticker}:no`);
  return (
    yes !== undefined &&
    no !== undefined &&
    levelsText(yes.bids) === levelsText(want.yes.bids) &&
    levelsText(yes.asks) === levelsText(want.yes.asks) &&
    levelsText(no.bids) === levelsText(want.no.bids) &&
    levelsText(no.asks) === levelsText(want.no.asks)
  );
}

async function synced(r: FeedRig, f: FakeKalshi, ticker: string, what: string): Promise<void> {
  await waitFor(() => same(r, f, ticker) && r.book(`${ticker}:yes`)?.state === "live" && r.book(`${ticker}:no`)?.state === "live", `${what}: ${ticker} equal to the venue`);
  expect(r.fresh(`${ticker}:yes`)).toBe(true);
  expect(r.fresh(`${ticker}:no`)).toBe(true);
  const q = r.rt.store.quote("ks", `${ticker}:yes`)!;
  const want = f.books(ticker).yes;
  expect([q.bid, q.ask]).toEqual([want.bids[0]?.[0] ?? null, want.asks[0]?.[0] ?? null]);
}

describe("kalshi feed against the fake venue", () => {
  setDefaultTimeout(20_000);

  it("signs its handshake and keeps YES and NO books equal to the venue's through 1,000 signed deltas", async () => {
    const { r, f } = await start();
    expect(f.authOk).toBe(1);
    expect(f.authBad).toBe(0);
    await synced(r, f, A, "snapshot");
    for (let i = 0; i < 1000; i++) {
      f.delta(A);
      if (i % 3 === 0) f.delta(B);
      if (i % 100 === 0) await Bun.sleep(1);
    }
    await synced(r, f, A, "after 1000 deltas");
    await synced(r, f, B, "after 1000 deltas");
    expect(r.row().errors).toBe(0);
    expect(r.row().resyncs).toBe(0);
  });

  it("detects a lost delta by seq, unsubscribes that market's sids, resubscribes and recovers alone", async () => {
    const { r, f } = await start();
    const c = f.venue.last();
    const sidB = f.sidOf(c, B);
    const frames = c.subscribeFrames.length;
    c.dropNext(1);
    f.delta(A); // lost
    f.delta(A); // seq jumps by 2 → gap
    await waitFor(() => c.subscribeFrames.length >= frames + 2, "unsubscribe + subscribe sent");
    expect(c.subscribeFrames.slice(-2).map((s) => JSON.parse(s).cmd)).toEqual(["unsubscribe", "subscribe"]);
    expect(JSON.parse(c.subscribeFrames.at(-1)!).params.market_ticker).toBe(A);
    expect(f.sidOf(c, B)).toBe(sidB);
    for (let i = 0; i < 30; i++) f.delta(A);
    await synced(r, f, A, "after the gap");
    expect(r.row().resyncs).toBeGreaterThan(0);
  });

  it("recovers from a dropped connection: stale, new signed handshake, resubscribed, new snapshot", async () => {
    const { r, f } = await start();
    f.venue.last().drop();
    await waitFor(() => r.book(`${A}:yes`)?.state !== "live", "stale after the drop");
    expect(r.fresh(`${A}:no`)).toBe(false);
    for (let i = 0; i < 5; i++) f.delta(A);
    await r.settle(() => f.venue.subscribers(A).length === 1 && f.venue.subscribers(B).length === 1, "resubscribed", 50);
    f.delta(A);
    await synced(r, f, A, "after reconnect");
    await synced(r, f, B, "after reconnect");
    expect(f.authOk).toBe(2);
    expect(r.row().reconnects).toBe(1);
  });

  it("detects a half-open stall (no data, no pong to its protocol ping) and reconnects", async () => {
    const { r, f } = await start("", true);
    proxy!.blackhole(true);
    f.delta(A);
    await r.run(31_000, 500);
    await waitFor(() => r.book(`${A}:yes`)?.state !== "live", "stale");
    proxy!.blackhole(false);
    expect(r.fresh(`${A}:yes`)).toBe(false);
    await r.settle(() => f.venue.subscribers(A).length === 1, "resubscribed", 50);
    f.delta(A);
    await synced(r, f, A, "after the stall");
    expect(r.row().reconnects).toBeGreaterThan(0);
  });

  it("counts malformed frames, logs each shape once and keeps going", async () => {
    const { r, f } = await start();
    const c = f.venue.last();
    c.sendMalformed();
    c.sendMalformed();
    c.sendRaw('{"type":"orderbook_delta","sid":1,"seq":9,"msg":{"market_ticker":"X","price_dollars":"7","delta_fp":"1","side":"yes"}}');
    await waitFor(() => r.row().errors >= 3, "errors counted");
    expect(r.logged("malformed frame").length).toBe(2);
    f.delta(A);
    await synced(r, f, A, "after malformed frames");
  });

  it("keeps top-of-book quotes for both books from the ticker channel when books are not subscribed", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const f = (fake = new FakeKalshi({ markets: [A], publicKey, clock }));
    const table = `[feeds.ks]\nplugin = "kalshi"\nws_url = "${f.url}"\nrest_url = "${f.venue.httpUrl}/trade-api/v2"\nmarkets = ["${A}"]\nchannels = ["ticker"]\napi_key_id = "\${KALSHI_API_KEY_ID}"\nprivate_key = "\${KALSHI_PRIVATE_KEY}"\n`;
    const r = (rig = await startFeedRig([kalshiFeed], "ks", table, { KALSHI_API_KEY_ID: "key-1", KALSHI_PRIVATE_KEY: PEM }, clock, [f.venue]));
    await r.settle(() => f.venue.subscribers(A).length === 1, "subscribed");
    expect(JSON.parse(f.venue.last().subscribeFrames[0]!).params.channels).toEqual(["ticker"]);
    for (let i = 0; i < 20; i++) f.delta(A); // the venue's book moves; only tickers are sent
    f.tickerPush(A);
    await r.settle(() => r.fresh(`${A}:yes`) && r.fresh(`${A}:no`), "quotes live");
    const want = f.books(A);
    expect(r.rt.store.quote("ks", `${A}:yes`)).toMatchObject({ bid: want.yes.bids[0]![0], ask: want.yes.asks[0]![0], bidSize: want.yes.bids[0]![1], askSize: want.yes.asks[0]![1] });
    expect(r.rt.store.quote("ks", `${A}:no`)).toMatchObject({ bid: want.no.bids[0]![0], ask: want.no.asks[0]![0], bidSize: want.no.bids[0]![1], askSize: want.no.asks[0]![1] });
  });

  it("publishes trades on both books and announces markets with their metadata", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const news: MarketNew[] = [];
    const trades: Trade[] = [];
    const f = (fake = new FakeKalshi({ markets: [A], publicKey, clock }));
    const table = `[feeds.ks]\nplugin = "kalshi"\nws_url = "${f.url}"\nrest_url = "${f.venue.httpUrl}/trade-api/v2"\nmarkets = ["${A}"]\napi_key_id = "\${KALSHI_API_KEY_ID}"\nprivate_key = "\${KALSHI_PRIVATE_KEY}"\n`;
    const r = (rig = await startFeedRig([kalshiFeed], "ks", table, { KALSHI_API_KEY_ID: "key-1", KALSHI_PRIVATE_KEY: PEM }, clock, [f.venue]));
    r.rt.bus.on("market.new", (m) => void news.push(m));
    r.rt.bus.on("trade", (t) => void trades.push(t));
    await r.settle(() => r.book(`${A}:yes`)?.state === "live" && news.length === 1, "live and announced");
    expect(news[0]).toMatchObject({ feed: "ks", instrument: A, instruments: [`${A}:yes`, `${A}:no`], question: `Will ${A} resolve Yes?`, meta: { endDate: "2026-12-31T23:00:00Z", feeModel: { kind: "curve", rate: 0.07 } } });
    f.trade(A, 3600, 136, "no");
    await waitFor(() => trades.length === 2, "trade on both books");
    expect(trades.map((t) => [t.instrument, t.price, t.size, t.side])).toEqual([[`${A}:yes`, 0.36, 136, "sell"], [`${A}:no`, 0.64, 136, "buy"]]);
    expect(r.logged(PEM.split("\n")[1]!)).toEqual([]);
  });
});
