import { describe, expect, it } from "bun:test";
import { binanceKey, parseBinanceFrame, parseBinanceRestDepth, type BinanceLookup } from "./parse.ts";
import { binanceStream, binanceSymbolOf } from "./subscriptions.ts";

const lookup: BinanceLookup = (s) => (["SUSHIUSDT", "BTCUSDT"].includes(s) ? { instrument: s, key: binanceKey(s) } : undefined);
const fixture = (name: string): Promise<string> => Bun.file(new URL(`./fixtures/${name}`, import.meta.url)).text();
const parse = (text: string) => parseBinanceFrame(text, "binance", 1626992741100, lookup);

describe("parseBinanceFrame", () => {
  it("parses the captured bookTicker: top of book at the event time", async () => {
    expect(parse(await fixture("ws_cryptofeed_captured_2021_bookTicker.json"))).toEqual([
      { kind: "top", top: { feed: "binance", instrument: "SUSHIUSDT", key: "SUSHI-USDT-PERP", tsRecv: 1626992741100, tsEvent: 1626992741017, bid: 7.611, ask: 7.612, bidSize: 2, askSize: 297 } },
    ]);
  });

  it("parses the captured depthUpdate: U/u/pu kept, seq = u, prevSeq = pu, qty 0 kept as a removal", async () => {
    const [ev] = parse(await fixture("ws_cryptofeed_captured_2021_depthUpdate.json"));
    expect(ev).toEqual({
      kind: "depth", symbol: "SUSHIUSDT", U: 600859599090, u: 600859600917, pu: 600859598061,
      delta: {
        feed: "binance", instrument: "SUSHIUSDT", key: "SUSHI-USDT-PERP", tsRecv: 1626992741100, tsEvent: 1626992741037,
        bids: [[7.504, 813], [7.609, 0], [7.611, 2]], asks: [[7.615, 1563], [7.622, 3284]], seq: 600859600917, prevSeq: 600859598061,
      },
    });
  });

  it("parses aggTrade (m = buyer is maker → the taker sold) and markPrice (funding with next funding time)", () => {
    const trade = parse('{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":123456789,"s":"BTCUSDT","a":5933014,"p":"0.001","q":"100","f":100,"l":105,"T":123456785,"m":true}}');
    expect(trade[0]).toMatchObject({ kind: "trade", trade: { price: 0.001, size: 100, side: "sell", tradeId: "5933014", tsEvent: 123456785, key: "BTC-USDT-PERP" } });
    const mark = parse('{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}}');
    expect(mark[0]).toMatchObject({ kind: "funding", funding: { rate: 0.00038167, nextFundingTime: 1562306400000, markPrice: 11794.15, indexPrice: 11784.62659091, tsEvent: 1562305380000 } });
  });

  it("reads request answers and errors", () => {
    expect(parse('{"result":null,"id":1}')).toEqual([{ kind: "ack", id: 1 }]);
    expect(parse('{"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":3}')).toEqual([{ kind: "error", id: 3, code: 2, msg: "Invalid request: unknown variant" }]);
  });

  it("reports malformed frames by shape and ignores unsubscribed symbols", () => {
    expect(parse("[1,2")[0]).toMatchObject({ kind: "malformed", shape: "not json" });
    expect(parse('{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","s":"BTCUSDT","b":[]}}')[0]).toMatchObject({ kind: "malformed", shape: "depthUpdate: missing U/u/pu/E or bad levels" });
    expect(parse('{"stream":"x","data":{"e":"kline","s":"BTCUSDT"}}')[0]).toMatchObject({ kind: "malformed", shape: "event kline" });
    expect(parse('{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":1,"u":2,"pu":0,"b":[["abc","1"]],"a":[]}}')[0]).toMatchObject({ kind: "malformed", shape: "depthUpdate: a level is not a number" });
    expect(parse('{"stream":"ethusdt@bookTicker","data":{"e":"bookTicker","s":"ETHUSDT"}}')[0]?.kind).toBe("ignored");
  });

  it("parses the REST depth snapshot at lastUpdateId, and names a venue error", () => {
    const r = parseBinanceRestDepth({ lastUpdateId: 600859605926, E: 1, T: 1, bids: [["7.6040", "100"]], asks: [["7.6160", "20"]] }, { instrument: "SUSHIUSDT", key: "SUSHI-USDT-PERP" }, "binance", 5);
    expect(r).toMatchObject({ ok: true, lastUpdateId: 600859605926, book: { seq: 600859605926, bids: [[7.604, 100]], asks: [[7.616, 20]], source: "rest" } });
    expect(parseBinanceRestDepth({ code: -1121, msg: "Invalid symbol." }, { instrument: "X", key: "X" }, "binance", 5)).toEqual({ ok: false, error: "the venue answered -1121 Invalid symbol.", code: -1121 });
  });
});

describe("Binance streams and keys", () => {
  it("names streams in lower case and maps symbols to keys", () => {
    const c = { depth_update_ms: 100 as const, mark_price_every_ms: 1000 as const };
    expect(binanceStream("depth", "BTCUSDT", c)).toBe("btcusdt@depth@100ms");
    expect(binanceStream("depth", "BTCUSDT", { ...c, depth_update_ms: 250 })).toBe("btcusdt@depth");
    expect(binanceStream("markPrice", "ETHUSDT", c)).toBe("ethusdt@markPrice@1s");
    expect(binanceSymbolOf("ethusdt@markPrice@1s")).toBe("ETHUSDT");
    expect(binanceKey("BTCUSDT")).toBe("BTC-USDT-PERP");
    expect(binanceKey("ETHUSDC")).toBe("ETH-USDC-PERP");
    expect(binanceKey("BTCUSDT_250328")).toBe("BTCUSDT_250328");
  });
});
