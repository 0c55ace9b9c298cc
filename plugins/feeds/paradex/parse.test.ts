import { describe, expect, it } from "bun:test";
import { parseParadexFrame, paradexKey, type ParadexLookup } from "./parse.ts";
import { paradexCodec } from "./sbe/paradex-schema.ts";
import { paradexChannelId, paradexMarketOf, paradexUrl } from "./subscriptions.ts";

const codec = paradexCodec();
const markets = ["BTC-USD-PERP", "PAXG-USD-PERP", "kBONK-USD-PERP"];
const lookup: ParadexLookup = (m) => (markets.includes(m) ? { instrument: m, key: paradexKey(m) } : undefined);
const fixture = (name: string): Promise<string> => Bun.file(new URL(`./fixtures/${name}`, import.meta.url)).text();
const parse = (data: string | Uint8Array) => parseParadexFrame(data, "paradex", 1_718_267_837_300, lookup, codec);

describe("parseParadexFrame (JSON fixtures)", () => {
  it("parses the ccxt order_book snapshot: levels as numbers, seq_no, ms timestamp, USDC key", async () => {
    const [ev] = parse(await fixture("ws_ccxt_comment_order_book_snapshot.json"));
    expect(ev).toEqual({
      kind: "snapshot",
      book: {
        feed: "paradex", instrument: "BTC-USD-PERP", key: "BTC-USDC-PERP", tsRecv: 1_718_267_837_300, tsEvent: 1718267837265,
        bids: [[67629.7, 0.992]], asks: [[69378.6, 3.137]], seq: 14127815, source: "ws",
      },
    });
  });

  it("parses the PAXG snapshot with a price tick channel", async () => {
    const [ev] = parse(await fixture("ws_thirdparty_readme_order_book_snapshot_price_tick_PAXG.json"));
    expect(ev?.kind).toBe("snapshot");
    if (ev?.kind !== "snapshot") return;
    expect(ev.book.bids).toEqual([[4241.79, 0.012]]);
    expect(ev.book.asks).toEqual([[4242, 0.1]]);
    expect(ev.book.seq).toBe(221630136);
    expect(ev.book.key).toBe("PAXG-USDC-PERP");
  });

  it("parses the trades.ALL push: taker side, ms time, id kept as text", async () => {
    const [ev] = parse(await fixture("ws_ccxt_comment_trades_ALL.json"));
    expect(ev).toEqual({
      kind: "trade",
      trade: { feed: "paradex", instrument: "kBONK-USD-PERP", key: "kBONK-USDC-PERP", tsRecv: 1_718_267_837_300, tsEvent: 1718179273230, price: 0.028776, size: 34028, side: "buy", tradeId: "1718179273230201709233240002" },
    });
  });

  it("reads the subscribe and auth answers as acks", async () => {
    expect(parse(await fixture("ws_docs_subscribe_response.json"))).toEqual([{ kind: "ack", id: 1, channel: "CHANNEL_NAME" }]);
    expect(parse(await fixture("ws_ccxt_comment_auth_response.json"))).toEqual([{ kind: "ack", id: 1, channel: undefined }]);
  });

  it("reads the documented request frames as requests it does not expect (never a crash)", async () => {
    for (const name of ["ws_docs_subscribe_request.json", "ws_docs_unsubscribe_request.json", "ws_docs_auth_request.json"]) {
      const [ev] = parse(await fixture(name));
      expect(ev?.kind).toBe("malformed");
    }
  });

  it("reads a JSON-RPC error", () => {
    expect(parse('{"jsonrpc":"2.0","id":4,"error":{"code":40111,"message":"invalid bearer token"}}')).toEqual([
      { kind: "error", id: 4, code: 40111, message: "invalid bearer token" },
    ]);
  });

  it("applies JSON deltas: inserts and updates set, deletes remove", () => {
    const frame = JSON.stringify({
      jsonrpc: "2.0", method: "subscription",
      params: { channel: "order_book.BTC-USD-PERP.deltas@15@50ms", data: {
        seq_no: 5, market: "BTC-USD-PERP", last_updated_at: 10, update_type: "d",
        inserts: [{ side: "BUY", price: "1", size: "2" }], updates: [{ side: "SELL", price: "3", size: "4" }], deletes: [{ side: "BUY", price: "0.5", size: "7" }],
      } },
    });
    const [ev] = parse(frame);
    expect(ev?.kind === "delta" && ev.book).toMatchObject({ bids: [[1, 2], [0.5, 0]], asks: [[3, 4]], seq: 5 });
  });

  it("reports broken frames as malformed with a shape, never throws", () => {
    expect(parse("{not json")[0]).toMatchObject({ kind: "malformed", shape: "not json" });
    expect(parse('{"jsonrpc":"2.0","method":"subscription","params":{"channel":"order_book.BTC-USD-PERP.snapshot@15@50ms","data":{"market":"BTC-USD-PERP","inserts":3}}}')[0]).toMatchObject({ kind: "malformed" });
    expect(parse(new Uint8Array([1, 2, 3]))[0]).toMatchObject({ kind: "malformed", shape: "sbe too short" });
  });
});

describe("parseParadexFrame (SBE frames encoded from the schema)", () => {
  const ts = 1_718_267_837_265_123;
  it("turns a BookEvent SNAPSHOT into a book with its seq, µs → ms", () => {
    const frame = codec.encode("BookEvent", { ts, seq: 14127815, pkgType: "SNAPSHOT", bids: [{ price: 67629.7, size: 0.992 }], asks: [{ price: 69378.6, size: 3.137 }], market: "BTC-USD-PERP" });
    expect(parse(frame)).toEqual([{ kind: "snapshot", book: { feed: "paradex", instrument: "BTC-USD-PERP", key: "BTC-USDC-PERP", tsRecv: 1_718_267_837_300, tsEvent: 1718267837265, bids: [[67629.7, 0.992]], asks: [[69378.6, 3.137]], seq: 14127815, source: "ws" } }]);
  });

  it("turns a BookEvent DELTA into a delta (size 0 = remove)", () => {
    const frame = codec.encode("BookEvent", { ts, seq: 14127816, pkgType: "DELTA", bids: [{ price: 67629.7, size: 0 }], asks: [], market: "BTC-USD-PERP" });
    expect(parse(frame)[0]).toMatchObject({ kind: "delta", book: { bids: [[67629.7, 0]], asks: [], seq: 14127816 } });
  });

  it("turns a BboEvent into a top of book; a null side is empty", () => {
    const frame = codec.encode("BboEvent", { ts, seq: 1, bidPrice: 1.725, bidSize: 115.8, askPrice: null, askSize: null, market: "BTC-USD-PERP" });
    expect(parse(frame)[0]).toMatchObject({ kind: "top", top: { bid: 1.725, bidSize: 115.8, ask: null, askSize: 0, tsEvent: 1718267837265 } });
  });

  it("turns a TradeEvent into a trade at the matching-engine time", () => {
    const frame = codec.encode("TradeEvent", { ts, seq: 9, tradeId: 77, side: "SELL", price: 0.028776, size: 34028, createdAt: 1718179273230000, tradeType: "RPI", market: "kBONK-USD-PERP" });
    expect(parse(frame)[0]).toMatchObject({ kind: "trade", trade: { price: 0.028776, size: 34028, side: "sell", tradeId: "77", tsEvent: 1718179273230 } });
  });

  it("turns FundingDataEvent and MarketSummaryEvent into funding (12-dp rate preferred)", () => {
    const fd = codec.encode("FundingDataEvent", { ts, seq: 3, fundingRate: 0.0001, fundingIndex: 1, createdAt: ts, fundingPremium: 0, fundingRate8h: 0.0001, fundingPeriodHours: 8, impactPremiumRate: null, market: "BTC-USD-PERP" }, { version: 1 });
    expect(parse(fd)[0]).toMatchObject({ kind: "funding", funding: { rate: 0.0001, intervalMs: 8 * 3_600_000, key: "BTC-USDC-PERP" } });
    const msValues: Record<string, number | null | string> = { ts, seq: 1, markPrice: 100, indexPrice: 99, lastPrice: 100, volumeUsd24h: 0, openInterest: 0, fundingRate: 0.00001, bid: null, ask: null, totalVolume: 0, priceChangeRate24h: 0, fundingRatePrecise: 0.000010000012, market: "BTC-USD-PERP" };
    const frame = codec.encode("MarketSummaryEvent", msValues, { version: 1 });
    expect(parse(frame)[0]).toMatchObject({ kind: "funding", funding: { rate: 0.000010000012, markPrice: 100, indexPrice: 99 } });
  });

  it("reads a HeartbeatEvent as a heartbeat and skips an unknown template with its id as the shape", () => {
    expect(parse(codec.encode("HeartbeatEvent", { ts, seq: 1 }))).toEqual([{ kind: "heartbeat" }]);
    const unknown = codec.encode("HeartbeatEvent", { ts, seq: 1 });
    unknown[2] = 61;
    expect(parse(unknown)[0]).toMatchObject({ kind: "malformed", shape: "sbe templateId 61" });
  });

  it("never throws on random SBE frames, and never hands a book a level without a price", () => {
    let seed = 99;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 5_000; i++) {
      const frame = codec.encode("BookEvent", { ts, seq: i, pkgType: "DELTA", bids: [{ price: 1, size: 1 }, { price: 2, size: 2 }], asks: [{ price: 3, size: 3 }], market: "BTC-USD-PERP" });
      for (let k = 0; k < 4; k++) frame[8 + Math.floor(rand() * (frame.length - 8))] = Math.floor(rand() * 256);
      for (const ev of parse(frame)) {
        if (ev.kind === "delta" || ev.kind === "snapshot") {
          for (const [p, s] of [...ev.book.bids, ...ev.book.asks]) expect(Number.isFinite(p) && p > 0 && s >= 0).toBe(true);
        }
      }
    }
  });

  it("ignores markets the feed did not subscribe", () => {
    const frame = codec.encode("BboEvent", { ts, seq: 1, bidPrice: 1, bidSize: 1, askPrice: 2, askSize: 1, market: "DOGE-USD-PERP" });
    expect(parse(frame)[0]?.kind).toBe("ignored");
  });
});

describe("Paradex channels", () => {
  it("names channels as the SDK does and finds the market back", () => {
    const c = { book_feed: "snapshot" as const, refresh_rate_ms: 50 as const, price_tick: "0.01" };
    expect(paradexChannelId("order_book", "PAXG-USD-PERP", c)).toBe("order_book.PAXG-USD-PERP.snapshot@15@50ms@0_01");
    expect(paradexChannelId("bbo", "BTC-USD-PERP", c)).toBe("bbo.BTC-USD-PERP");
    expect(paradexMarketOf("order_book.PAXG-USD-PERP.snapshot@15@50ms@0_01")).toBe("PAXG-USD-PERP");
    expect(paradexUrl("wss://ws.api.prod.paradex.trade/v1", true, 1)).toBe("wss://ws.api.prod.paradex.trade/v1?sbeSchemaId=1&sbeSchemaVersion=1");
  });
});
