import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { loadConfigSource } from "../../core/config/load.ts";
import type { PriceTick, Trade } from "../../core/events.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import { createRegistry } from "../../core/registry.ts";
import { Runtime } from "../../core/runtime.ts";
import { type RtdsFeedHandle, polymarketRtdsFeed } from "../../plugins/feeds/polymarket-rtds/index.ts";
import { FakeRtds } from "../fakes/polymarket/rtds.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../../plugins/feeds/polymarket-rtds/fixtures", name), "utf8");

let stopAll: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopAll?.();
  stopAll = undefined;
});

async function start(subscriptions: string, extra = "") {
  const clock = new ManualClock(1_800_000_000_000);
  const fake = new FakeRtds(clock);
  const source = `[bot]
data_dir = "${mkdtempSync(join(tmpdir(), "edgewatch-rtds-")).replaceAll("\\", "/")}"
[feeds.rtds]
plugin = "polymarket-rtds"
ws_url = "${fake.url}"
stale_after_ms = 30000
${extra}
${subscriptions}`;
  const cfg = await loadConfigSource(source, join(import.meta.dir, "rtds.toml"), { registry: createRegistry([polymarketRtdsFeed]), env: {} });
  const rt = new Runtime(cfg, { clock, log: createLogger({ sink: new MemorySink() }), schedules: false });
  const ticks: PriceTick[] = [];
  const trades: Trade[] = [];
  const comments: unknown[] = [];
  rt.bus.on("price.tick", (t) => void ticks.push(t), "t");
  rt.bus.on("trade", (t) => void trades.push(t), "t");
  rt.bus.on("polymarket.comment", (c) => void comments.push(c), "t");
  await rt.start();
  const feed = rt.instances().get("rtds")!.handle as RtdsFeedHandle;
  const drive = async (done: () => boolean, what: string, stepMs = 250, maxMs = 120_000) => {
    const end = clock.now() + maxMs;
    for (;;) {
      await Bun.sleep(1);
      if (done()) return;
      if (clock.now() >= end) throw new Error(`timed out: ${what}`);
      clock.advance(stepMs);
    }
  };
  stopAll = async () => {
    await rt.stop();
    fake.stop();
  };
  return { clock, fake, rt, feed, ticks, trades, comments, drive };
}

/** The live activity frame quoted verbatim in polymarket_rtds.md. */
const activityFrame =
  '{"connection_id":"gVOKZI6JNWeIKEjigA==","payload":{"asset":"86773034724744448744514889729172499268401134795843352779107239076687775715536","bio":"","conditionId":"0x6c0529846fd87559429fb702416d4da1c9566cfd15317f9faaf62c436483a71a","eventSlug":"btc-updown-5m-1785027300","icon":"https://polymarket-upload.s3.us-east-2.amazonaws.com/BTC+fullsize.png","name":"riceapplepie","outcome":"Up","outcomeIndex":0,"price":0.45,"profileImage":"","proxyWallet":"0x1015bb260154F51E5F432cB0a3227C1619FCBac8","pseudonym":"Agile-Analogy","side":"BUY","size":4.33,"slug":"btc-updown-5m-1785027300","timestamp":1785027308,"title":"Bitcoin Up or Down - July 25, 8:55PM-9:00PM ET","transactionHash":"0x0a8e0353b2432ea36cb7ea163f212bddd8f1d1fe9078ef91c3d262b3f87c4874"},"timestamp":1785027308241,"topic":"activity","type":"trades"}';

const prices = `[[feeds.rtds.subscriptions]]
topic = "crypto_prices"
type = "update"
symbols = ["btcusdt"]
[[feeds.rtds.subscriptions]]
topic = "crypto_prices_chainlink"
symbols = ["btc/usd", "eth/usd"]
[[feeds.rtds.subscriptions]]
topic = "activity"
type = "trades"
[[feeds.rtds.subscriptions]]
topic = "comments"
type = "comment_created"`;

describe("polymarket-rtds feed (fake RTDS)", () => {
  it("subscribes in one frame and turns the fixtures, replayed verbatim, into price ticks, trades and comments", async () => {
    const k = await start(prices);
    k.fake.backfill.set("crypto_prices", fixture("ws_nautilus_captured_crypto_prices_subscribe_snapshot.json"));
    await k.drive(() => k.fake.venue.live().length === 1 && k.fake.venue.live()[0]!.subscriptions.size === 5, "subscribed");
    const client = k.fake.venue.live()[0]!;
    expect(client.subscribeFrames).toHaveLength(1);
    expect(JSON.parse(client.subscribeFrames[0]!).subscriptions).toContainEqual({ topic: "crypto_prices_chainlink", type: "*", filters: '{"symbol":"eth/usd"}' });
    k.fake.publish("crypto_prices", fixture("ws_docs_crypto_prices_update_btc.json"));
    k.fake.publish("crypto_prices", fixture("ws_docs_crypto_prices_update_sol.json")); // not wanted: filtered here
    k.fake.publish("crypto_prices_chainlink", fixture("ws_docs_chainlink_update_eth.json"));
    k.fake.publish("comments", fixture("ws_docs_comment_created.json"));
    k.fake.publish("activity", activityFrame);
    await k.drive(() => k.ticks.length >= 3 && k.comments.length === 1 && k.trades.length === 1, "data");
    expect(k.trades[0]).toMatchObject({ price: 0.45, size: 4.33, side: "buy", tsEvent: 1785027308000 });
    expect(k.ticks.map((t) => [t.key, t.price, t.source])).toEqual([
      ["BTC-USDT", 61150.89, "crypto_prices"], // backfill on subscribe: newest point
      ["BTC-USDT", 67234.5, "crypto_prices"],
      ["ETH-USD", 3456.78, "crypto_prices_chainlink"],
    ]);
    expect(k.feed.counters.filtered).toBe(1);
    expect(k.comments).toMatchObject([{ id: "1763355", parentEntityID: 18396 }]);
  });

  it("pings every 5 s and replaces a socket that stops answering", async () => {
    const k = await start(prices);
    await k.drive(() => k.fake.venue.live().length === 1, "connected");
    const first = k.fake.venue.live()[0]!;
    await k.drive(() => first.textPings >= 3, "pings");
    first.mode = "stalled";
    await k.drive(() => k.feed.ws.stats().reconnects === 1 && k.feed.ws.status().state === "live" && !first.open, "replaced");
    expect(k.fake.venue.live()).toHaveLength(1);
  });

  it("reconnects once when price data stalls while pongs still arrive (RTDS's silent stall)", async () => {
    const k = await start(prices, "stall_after_ms = 20000");
    await k.drive(() => k.fake.venue.live().length === 1, "connected");
    const first = k.fake.venue.live()[0]!;
    // a healthy price stream for a while…
    for (let i = 0; i < 40; i++) {
      k.fake.publish("crypto_prices_chainlink", fixture("ws_docs_chainlink_update_btc.json"));
      k.fake.publish("crypto_prices_chainlink", fixture("ws_docs_chainlink_update_eth.json"));
      k.fake.publish("crypto_prices", fixture("ws_docs_crypto_prices_update_btc.json"));
      await Bun.sleep(1);
      k.clock.advance(1000);
    }
    expect(first.open).toBe(true);
    // …then data stops, pongs keep coming
    first.mode = "data-stalled";
    await k.drive(() => k.feed.ws.stats().reconnects === 1 && k.feed.ws.status().state === "live" && !first.open, "reconnected after stall", 1000);
    expect(first.textPings).toBeGreaterThan(5);
  });

  it("faults when RTDS rejects the subscription list", async () => {
    const k = await start(`[[feeds.rtds.subscriptions]]
topic = "activity"
type = "trades"`);
    await k.drive(() => k.fake.venue.live().length === 1, "connected");
    k.fake.venue.live()[0]!.sendRaw(JSON.stringify({ message: "Invalid request body" }));
    await k.drive(() => k.feed.ws.status().state === "faulted", "faulted");
    expect(k.feed.ws.status().reasons[0]).toContain("Invalid request body");
  });
});
