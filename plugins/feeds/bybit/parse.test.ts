import { describe, expect, it } from "bun:test";
import { bybitKey, parseBybitFrame, type BybitLookup } from "./parse.ts";
import { bybitRequest, bybitTopic, isBybitPong } from "./subscriptions.ts";
import { BybitTickerCache, bybitFunding, bybitTop } from "./tickers.ts";

const lookup: BybitLookup = (s) => (["BTCUSDT", "ETHUSDT"].includes(s) ? { instrument: s, key: bybitKey(s) } : undefined);
const fixture = (name: string): Promise<string> => Bun.file(new URL(`./fixtures/${name}`, import.meta.url)).text();
const parse = (text: string) => parseBybitFrame(text, "bybit", 1687940967500, lookup);

describe("parseBybitFrame", () => {
  it("parses the documented orderbook.50 delta: seq = u, size 0 kept as a removal, engine time", async () => {
    const [ev] = parse(await fixture("ws_thirdparty_copy_docs_orderbook50_delta.json"));
    expect(ev).toEqual({
      kind: "delta",
      topic: "orderbook.50.BTCUSDT",
      book: {
        feed: "bybit", instrument: "BTCUSDT", key: "BTC-USDT-PERP", tsEvent: 1687940967464, tsRecv: 1687940967500,
        bids: [[30247.2, 30.028], [30245.4, 0.224], [30242.1, 1.593], [30240.3, 1.305], [30240, 0]],
        asks: [[30248.7, 0], [30249.3, 0.892], [30249.5, 1.778], [30249.6, 0], [30251.9, 2.947], [30252.2, 0.659], [30252.5, 4.591]],
        seq: 177400507,
      },
    });
  });

  it("builds the documented subscribe frame", async () => {
    expect(JSON.parse(bybitRequest("subscribe", [bybitTopic("orderbook", "BTCUSDT", { orderbook_depth: 50 })], "test"))).toEqual(JSON.parse(await fixture("ws_docs_subscribe_orderbook50.json")));
  });

  it("treats a snapshot, and any message with u = 1, as a book to overwrite", () => {
    const snap = parse('{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["100","1"]],"a":[["101","2"]],"u":400,"seq":9},"cts":1}');
    expect(snap[0]).toMatchObject({ kind: "snapshot", book: { seq: 400, bids: [[100, 1]], asks: [[101, 2]], source: "ws" } });
    const restart = parse('{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[["99","1"]],"a":[],"u":1,"seq":9},"cts":1}');
    expect(restart[0]).toMatchObject({ kind: "snapshot", book: { seq: 1, bids: [[99, 1]], asks: [] } });
  });

  it("parses publicTrade (S = taker side) and tells pongs and acks apart", () => {
    const t = parse('{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false}]}');
    expect(t[0]).toMatchObject({ kind: "trade", trade: { price: 16578.5, size: 0.001, side: "buy", tsEvent: 1672304486865, tradeId: "20f43950-d8dd-5b31-9112-a178eb6023af" } });
    const pong = '{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"}';
    expect(parse(pong)).toEqual([{ kind: "pong" }]);
    expect(isBybitPong(pong)).toBe(true);
    expect(parse('{"success":false,"ret_msg":"error:handler not found","conn_id":"x","op":"subscribe"}')).toEqual([{ kind: "ack", op: "subscribe", success: false, message: "error:handler not found" }]);
  });

  it("reports malformed frames by shape and ignores unsubscribed symbols", () => {
    expect(parse("nope")[0]).toMatchObject({ kind: "malformed", shape: "not json" });
    expect(parse('{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":"x"}}')[0]).toMatchObject({ kind: "malformed", shape: "orderbook: bad data" });
    expect(parse('{"topic":"kline.1.BTCUSDT","data":[]}')[0]).toMatchObject({ kind: "malformed", shape: "topic kline" });
    expect(parse('{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[["-1","2"]],"a":[],"u":5}}')[0]).toMatchObject({ kind: "malformed", shape: "orderbook: a level is not a number" });
    expect(parse('{"topic":"orderbook.50.SOLUSDT","type":"delta","ts":1,"data":{"s":"SOLUSDT","b":[],"a":[],"u":5}}')[0]?.kind).toBe("ignored");
  });
});

describe("BybitTickerCache", () => {
  const m = { instrument: "BTCUSDT", key: "BTC-USDT-PERP" };
  it("merges deltas into the snapshot and derives funding and top of book", () => {
    const cache = new BybitTickerCache();
    expect(cache.apply("delta", { symbol: "BTCUSDT", bid1Price: "1" })).toBeUndefined();
    cache.apply("snapshot", { symbol: "BTCUSDT", markPrice: "17216.00", indexPrice: "17227.36", fundingRate: "-0.000212", nextFundingTime: "1673280000000", bid1Price: "17215.50", bid1Size: "84.489", ask1Price: "17216.00", ask1Size: "83.020" });
    const merged = cache.apply("delta", { symbol: "BTCUSDT", bid1Price: "17215.00", fundingRate: "-0.0002" })!;
    expect(bybitFunding(merged, m, "bybit", 5, 6)).toEqual({ feed: "bybit", instrument: "BTCUSDT", key: "BTC-USDT-PERP", tsEvent: 5, tsRecv: 6, rate: -0.0002, nextFundingTime: 1673280000000, intervalMs: undefined, markPrice: 17216, indexPrice: 17227.36 });
    expect(bybitTop(merged, m, "bybit", 5, 6)).toMatchObject({ bid: 17215, bidSize: 84.489, ask: 17216, askSize: 83.02 });
  });
});

describe("bybitKey", () => {
  it("maps linear symbols to keys", () => {
    expect(bybitKey("BTCUSDT")).toBe("BTC-USDT-PERP");
    expect(bybitKey("ETHPERP")).toBe("ETH-USDC-PERP");
    expect(bybitKey("BTC-27DEC24")).toBe("BTC-27DEC24");
  });
});
