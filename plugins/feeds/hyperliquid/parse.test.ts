import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { hlCoin, hlCoinOfKey, hlDex } from "./coins.ts";
import { HL_BANNER, parseHlFrame, type HlEvent } from "./parse.ts";
import { encodeHlOp, hlSubscriptionId } from "./subscriptions.ts";

const dir = join(import.meta.dir, "fixtures");
const fixture = (name: string): Promise<string> => Bun.file(join(dir, name)).text();
const T = 1_788_490_065_100;
const coins = new Map(["BTC", "ETH", "SOL", "MATIC", "kPEPE", "xyz:SP500"].map((c) => [c, hlCoin(c)]));
const parse = (text: string): HlEvent[] => parseHlFrame(text, "hyperliquid", T, (c) => coins.get(c));
function only<K extends HlEvent["kind"]>(events: HlEvent[], kind: K): Extract<HlEvent, { kind: K }> {
  expect(events).toHaveLength(1);
  expect(events[0]!.kind).toBe(kind);
  return events[0] as Extract<HlEvent, { kind: K }>;
}

describe("hyperliquid coins", () => {
  it("does name first-dex, k-prefixed and builder coins", () => {
    expect(hlCoin("BTC")).toEqual({ instrument: "BTC", key: "BTC-USDC-PERP", dex: "", scale: 1 });
    expect(hlCoin("kPEPE")).toEqual({ instrument: "kPEPE", key: "PEPE-USDC-PERP", dex: "", scale: 1000 });
    expect(hlCoin("xyz:SP500")).toEqual({ instrument: "xyz:SP500", key: "xyz.SP500-USDC-PERP", dex: "xyz", scale: 1 });
    expect(hlCoin("KAITO").scale).toBe(1);
    expect(hlCoin("km:US500", null).key).toBe("km:US500");
    expect(hlDex("xyz:SP500")).toBe("xyz");
    expect(hlCoin("PURR/USDC").key).toBe("PURR/USDC");
  });

  it("does map keys back to listed coins", () => {
    const listed = new Set(["BTC", "kPEPE", "xyz:SP500"]);
    expect(hlCoinOfKey("BTC-USDC-PERP", listed)).toBe("BTC");
    expect(hlCoinOfKey("PEPE-USDC-PERP", listed)).toBe("kPEPE");
    expect(hlCoinOfKey("xyz.SP500-USDC-PERP", listed)).toBe("xyz:SP500");
    expect(hlCoinOfKey("BTC-USDT-PERP", listed)).toBeUndefined();
  });
});

describe("parseHlFrame", () => {
  it("does parse the 20-level l2Book capture as a whole book", async () => {
    const ev = only(parse(await fixture("ws_thirdparty_captured_2025_l2Book_BTC_20levels.json")), "book");
    const b = ev.book;
    expect(b).toMatchObject({ feed: "hyperliquid", instrument: "BTC", key: "BTC-USDC-PERP", tsEvent: 1754880820294, tsRecv: T, source: "ws" });
    expect(b.bids).toHaveLength(20);
    expect(b.asks).toHaveLength(20);
    expect(b.bids[0]).toEqual([121902, 9.43303]);
    expect(b.asks[0]).toEqual([121903, 3.4821]);
    expect(b.bids[19]).toEqual([121882, 6.84213]);
    expect(b.asks[19]).toEqual([121922, 0.01011]);
  });

  it("does parse an empty book", async () => {
    const ev = only(parse(await fixture("ws_thirdparty_captured_2026_l2Book_empty.json")), "book");
    expect(ev.book).toMatchObject({ instrument: "MATIC", bids: [], asks: [], tsEvent: 1788490374938 });
  });

  it("does parse bbo, with both sides and with empty sides", async () => {
    const a = only(parse(await fixture("ws_thirdparty_captured_2026_bbo.json")), "top");
    expect(a.top).toEqual({ feed: "hyperliquid", instrument: "BTC", key: "BTC-USDC-PERP", tsEvent: 1788490065008, tsRecv: T, bid: 80639, ask: 80640, bidSize: 0.00186, askSize: 13.74589 });
    const b = only(parse(await fixture("ws_thirdparty_captured_2026_bbo_empty_side.json")), "top");
    expect(b.top).toMatchObject({ instrument: "MATIC", bid: null, ask: null, bidSize: 0, askSize: 0 });
  });

  it("does parse trades with taker sides and ids", async () => {
    const evs = parse(await fixture("ws_thirdparty_captured_2026_trades.json"));
    expect(evs.map((e) => e.kind)).toEqual(["trade", "trade"]);
    const [a, b] = evs as Extract<HlEvent, { kind: "trade" }>[];
    expect(a!.trade).toEqual({ feed: "hyperliquid", instrument: "BTC", key: "BTC-USDC-PERP", tsEvent: 1788490042052, tsRecv: T, price: 80639, size: 0.00022, side: "sell", tradeId: "1095884267920331" });
    expect(b!.trade).toMatchObject({ side: "buy", price: 80640, size: 0.00404, tradeId: "159797238452866" });
  });

  it("does turn allMids into price ticks for configured coins only", async () => {
    const evs = parse(await fixture("ws_nautilus_ws_allmids.json"));
    expect(evs.map((e) => (e as Extract<HlEvent, { kind: "mid" }>).tick.instrument).sort()).toEqual(["BTC", "ETH", "SOL"]);
    const btc = evs.find((e) => e.kind === "mid" && e.tick.instrument === "BTC") as Extract<HlEvent, { kind: "mid" }>;
    expect(btc.tick).toEqual({ feed: "hyperliquid", instrument: "BTC", key: "BTC-USDC-PERP", tsEvent: T, tsRecv: T, price: 80868.5, source: "allMids" });
  });

  it("does turn activeAssetCtx into funding with the next hourly settlement", async () => {
    const ev = only(parse(await fixture("ws_thirdparty_captured_2026_activeAssetCtx.json")), "funding");
    expect(ev.funding).toEqual({
      feed: "hyperliquid",
      instrument: "BTC",
      key: "BTC-USDC-PERP",
      tsEvent: T,
      tsRecv: T,
      rate: 0.0000052974,
      nextFundingTime: Math.ceil(T / 3_600_000) * 3_600_000,
      intervalMs: 3_600_000,
      markPrice: 80640,
      indexPrice: 80684.7,
    });
  });

  it("does scale k coins to base units (1 kPEPE = 1000 PEPE)", async () => {
    const text = (await fixture("ws_thirdparty_captured_2026_bbo.json")).replace('"coin":"BTC"', '"coin":"kPEPE"');
    const ev = only(parse(text), "top");
    expect(ev.top.key).toBe("PEPE-USDC-PERP");
    expect(ev.top.bid).toBeCloseTo(80.639, 12);
    expect(ev.top.askSize).toBeCloseTo(13745.89, 9);
    const trade = (await fixture("ws_thirdparty_captured_2026_trades.json")).replaceAll('"coin":"BTC"', '"coin":"kPEPE"');
    const t = parse(trade)[0] as Extract<HlEvent, { kind: "trade" }>;
    expect(t.trade.price).toBeCloseTo(80.639, 12);
    expect(t.trade.size).toBeCloseTo(0.22, 12);
  });

  it("does read acks, errors, pongs and the connect banner", async () => {
    expect(only(parse(await fixture("ws_thirdparty_captured_2025_subscriptionResponse_l2Book.json")), "ack")).toEqual({ kind: "ack", method: "subscribe", type: "l2Book", coin: "BTC" });
    expect(only(parse(await fixture("ws_thirdparty_captured_2026_subscriptionResponse_bbo.json")), "ack").type).toBe("bbo");
    expect(only(parse(await fixture("ws_thirdparty_captured_2026_unsubscribe_response_bbo.json")), "ack").method).toBe("unsubscribe");
    const ack = (await fixture("ws_docs_subscribe_trades_SOL_and_ack.txt")).split("\n").find((l) => l.startsWith("< "))!.slice(2);
    expect(only(parse(ack), "ack")).toMatchObject({ type: "trades", coin: "SOL" });
    expect(only(parse(await fixture("ws_thirdparty_captured_2026_error_already_unsubscribed.json")), "error").text).toBe('Already unsubscribed: {"type":"trades","coin":"ETH"}');
    expect(only(parse(await fixture("ws_thirdparty_captured_2026_pong.json")), "pong")).toEqual({ kind: "pong" });
    expect(only(parse(HL_BANNER), "ignored").what).toBe("connect banner");
    expect(only(parse(await fixture("ws_thirdparty_captured_2026_candle.json")), "ignored").what).toBe("channel candle");
  });

  it("does ignore pushes for coins it did not subscribe", async () => {
    const text = (await fixture("ws_thirdparty_captured_2026_bbo.json")).replace('"coin":"BTC"', '"coin":"DOGE"');
    expect(only(parse(text), "ignored").what).toBe("bbo for unsubscribed DOGE");
  });

  it("does report malformed frames by shape without throwing", () => {
    expect(only(parse('{"channel":"l2Book","data":{"coin":"BTC",'), "malformed").shape).toBe("not json");
    expect(only(parse("[]"), "malformed").shape).toBe("no channel");
    expect(only(parse('{"channel":"l2Book","data":{"coin":"BTC","time":1}}'), "malformed").shape).toBe("l2Book: missing coin/time/levels");
    expect(only(parse('{"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":1}],[]]}}'), "malformed").shape).toBe("l2Book: bad level");
    expect(only(parse('{"channel":"trades","data":{}}'), "malformed").shape).toBe("trades: data not an array");
    expect(only(parse('{"channel":"weird","data":1}'), "malformed").shape).toBe("channel weird");
  });
});

describe("hyperliquid subscriptions", () => {
  it("does encode the documented subscribe request", async () => {
    const line = (await fixture("ws_docs_subscribe_trades_SOL_and_ack.txt")).split("\n").find((l) => l.startsWith(">  "))!.slice(3);
    expect(encodeHlOp("subscribe", ["trades:SOL"], { nSigFigs: null, mantissa: null, fast: false }).map((f) => JSON.parse(f))).toEqual([JSON.parse(line)]);
  });

  it("does send one subscription per frame with the l2Book options", () => {
    const ids = [hlSubscriptionId("l2Book", "BTC", ""), hlSubscriptionId("allMids", "xyz:SP500", "xyz"), hlSubscriptionId("trades", "kPEPE", "")];
    expect(ids).toEqual(["l2Book:BTC", "allMids:xyz", "trades:kPEPE"]);
    expect(encodeHlOp("subscribe", ids, { nSigFigs: 5, mantissa: 2, fast: true })).toEqual([
      '{"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","nSigFigs":5,"mantissa":2,"fast":true}}',
      '{"method":"subscribe","subscription":{"type":"allMids","dex":"xyz"}}',
      '{"method":"subscribe","subscription":{"type":"trades","coin":"kPEPE"}}',
    ]);
    expect(encodeHlOp("unsubscribe", ["l2Book:xyz:SP500", "allMids:"], { nSigFigs: null, mantissa: null, fast: false })).toEqual([
      '{"method":"unsubscribe","subscription":{"type":"l2Book","coin":"xyz:SP500"}}',
      '{"method":"unsubscribe","subscription":{"type":"allMids"}}',
    ]);
  });
});
