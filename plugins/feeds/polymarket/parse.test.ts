import { describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { PolyRestBook } from "./messages.ts";
import { type PolyChangeEvent, parseClobFrame } from "./parse.ts";
import { parseRestBook } from "./parse-rest.ts";
import { encodeInitialMarketSubscribe, encodeMarketSubscribe, encodeMarketUnsubscribe, encodeUserSubscribe } from "./subscriptions.ts";

const dir = join(import.meta.dir, "fixtures");
const text = (name: string) => require("node:fs").readFileSync(join(dir, name), "utf8") as string;
const T = 1_700_000_000_123;
const parse = (name: string) => parseClobFrame(text(name), T, "pm");

const A1 = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
const A2 = "52114319501245915516055106046884209969926127482827954674443846427813813222426";
const BOOK_ASSET = "65818619657568813474341868652308942079804919287380422192892211131408793125422";

describe("parseClobFrame", () => {
  it("reads the docs book with leading-dot prices, levels kept as sent", () => {
    const { events, problems } = parse("ws_docs_book.json");
    expect(problems).toEqual([]);
    expect(events).toHaveLength(1);
    const e = events[0]!;
    if (e.kind !== "book") throw new Error(e.kind);
    expect(e.market).toBe("0xbd31dc8a20211944f6b70f31557f1001557b59905b7738480ca09bd4532f84af");
    expect(e.book).toMatchObject({ feed: "pm", instrument: BOOK_ASSET, key: BOOK_ASSET, tsEvent: 123456789000, tsRecv: T, source: "ws" });
    expect(e.book.bids).toEqual([[0.48, 30], [0.49, 20], [0.5, 15]]);
    expect(e.book.asks).toEqual([[0.52, 25], [0.53, 60], [0.54, 10]]);
    expect(e.wire.hash).toBe("0x0....");
  });

  it("reads the asyncapi book", () => {
    const e = parse("ws_asyncapi_book.json").events[0]!;
    if (e.kind !== "book") throw new Error(e.kind);
    expect(e.book.tsEvent).toBe(1757908892351);
    expect(e.book.bids.at(-1)).toEqual([0.5, 15]);
  });

  it("reads a current price_change: one delta per token, with the venue's top (0 = no bid, 1 = no ask)", () => {
    for (const name of ["ws_docs_price_change.json"]) {
      const { events, problems } = parse(name);
      expect(problems).toEqual([]);
      expect(events).toHaveLength(2);
      const [a, b] = events as PolyChangeEvent[];
      expect(a).toMatchObject({ kind: "change", market: "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1", bestBid: 0.5, bestAsk: null });
      expect(a!.delta).toMatchObject({ instrument: A1, tsEvent: 1757908892351, tsRecv: T, bids: [[0.5, 200]], asks: [] });
      expect(b).toMatchObject({ kind: "change", bestBid: null, bestAsk: 0.5 });
      expect(b!.delta).toMatchObject({ instrument: A2, bids: [], asks: [[0.5, 200]] });
    }
    const one = parse("ws_asyncapi_price_change.json").events;
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ kind: "change", bestBid: 0.5, bestAsk: null, delta: { instrument: A1, bids: [[0.5, 200]] } });
  });

  it("reads the legacy price_change (changes[], one asset) without a venue top", () => {
    const { events, problems } = parse("ws_legacy_docs_price_change_changes_array.json");
    expect(problems).toEqual([]);
    expect(events).toEqual([
      {
        kind: "change",
        market: "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1",
        delta: { feed: "pm", instrument: A1, key: A1, tsEvent: 1729084877448, tsRecv: T, bids: [], asks: [[0.4, 3300], [0.5, 3400], [0.3, 3400]] },
        bestBid: undefined,
        bestAsk: undefined,
      },
    ]);
  });

  it("reads tick_size_change", () => {
    for (const [name, ts] of [["ws_docs_tick_size_change.json", 100000000], ["ws_asyncapi_tick_size_change.json", 1757908892351]] as const) {
      expect(parse(name).events).toEqual([
        {
          kind: "tick_size",
          market: "0xbd31dc8a20211944f6b70f31557f1001557b59905b7738480ca09bd4532f84af",
          change: { feed: "pm", instrument: BOOK_ASSET, key: BOOK_ASSET, tsEvent: ts, tsRecv: T, oldTickSize: 0.01, newTickSize: 0.001 },
        },
      ]);
    }
  });

  it("reads last_trade_price as a taker-side trade", () => {
    const asset = "114122071509644379678018727908709560226618148003371446110114509806601493071694";
    const docs = parse("ws_docs_last_trade_price.json").events[0]!;
    expect(docs).toEqual({
      kind: "trade",
      market: "0x6a67b9d828d53862160e470329ffea5246f338ecfffdf2cab45211ec578b0347",
      trade: { feed: "pm", instrument: asset, key: asset, tsEvent: 1750428146322, tsRecv: T, price: 0.456, size: 219.217767, side: "buy" },
      feeRateBps: 0,
    });
    const api = parse("ws_asyncapi_last_trade_price.json").events[0]!;
    expect(api).toMatchObject({ kind: "trade", trade: { tradeId: "0xeeefffggghhh", price: 0.456 } });
  });

  it("reads best_bid_ask", () => {
    for (const name of ["ws_docs_best_bid_ask.json", "ws_asyncapi_best_bid_ask.json"]) {
      expect(parse(name).events).toEqual([
        {
          kind: "top",
          market: "0x0005c0d312de0be897668695bae9f32b624b4a1ae8b140c49f08447fcc74f442",
          instrument: "85354956062430465315924116860125388538595433819574542752031640332592237464430",
          bid: 0.73,
          ask: 0.77,
          tsEvent: 1766789469958,
        },
      ]);
    }
  });

  it("reads new_market into market.new with its fee schedule as numbers", () => {
    const e = parse("ws_docs_new_market.json").events[0]!;
    if (e.kind !== "market_new") throw new Error(e.kind);
    const cond = "0x311d0c4b6671ab54af4970c06fcf58662516f5168997bdda209ec3db5aa6b0c1";
    expect(e.market).toMatchObject({
      feed: "pm",
      instrument: cond,
      key: cond,
      tsEvent: 1766790415550,
      question: "Will NVIDIA (NVDA) close above $240 end of January?",
      slug: "nvda-above-240-on-january-30-2026",
      outcomes: ["Yes", "No"],
      instruments: [
        "76043073756653678226373981964075571318267289248134717369284518995922789326425",
        "31690934263385727664202099278545688007799199447969475608906331829650099442770",
      ],
    });
    expect(e.market.meta).toMatchObject({
      id: "1031769",
      feesEnabled: true,
      feeSchedule: { exponent: 2, rate: 0.02, takerOnly: true, rebateRate: 0 },
      takerBaseFee: 0,
      orderPriceMinTickSize: 0.01,
      eventId: "125819",
    });
    const api = parse("ws_asyncapi_new_market.json").events[0]!;
    if (api.kind !== "market_new") throw new Error(api.kind);
    expect(api.market.instruments).toHaveLength(2);
    expect(api.market.meta?.feeSchedule).toBeUndefined();
  });

  it("reads market_resolved with the winner", () => {
    for (const name of ["ws_docs_market_resolved.json", "ws_asyncapi_market_resolved.json"]) {
      const e = parse(name).events[0]!;
      expect(e).toEqual({
        kind: "market_resolved",
        resolved: {
          feed: "pm",
          instrument: "0x311d0c4b6671ab54af4970c06fcf58662516f5168997bdda209ec3db5aa6b0c1",
          key: "0x311d0c4b6671ab54af4970c06fcf58662516f5168997bdda209ec3db5aa6b0c1",
          tsEvent: 1766790415550,
          tsRecv: T,
          winningOutcome: "Yes",
          winningInstrument: "76043073756653678226373981964075571318267289248134717369284518995922789326425",
        },
      });
    }
  });

  it("reads user-channel orders and trades (seconds → ms)", () => {
    expect(parse("ws_docs_user_order.json").events[0]).toMatchObject({ kind: "user_order", tsEvent: 1672290687000, msg: { type: "PLACEMENT", price: "0.57" } });
    expect(parse("ws_docs_user_trade.json").events[0]).toMatchObject({ kind: "user_trade", tsEvent: 1672290701000, msg: { status: "MATCHED" } });
  });

  it("reads a JSON array frame element by element, and reports a bad element without losing the others", () => {
    const frame = `[${text("ws_docs_book.json")},{"event_type":"book","asset_id":"1","market":"m","bids":[{"price":"x","size":"1"}],"asks":[],"timestamp":"1","hash":""},{"event_type":"mystery"},${text("ws_docs_price_change.json")}]`;
    const { events, problems } = parseClobFrame(frame, T, "pm");
    expect(events.map((e) => e.kind)).toEqual(["book", "change", "change"]);
    expect(problems).toEqual(['book.bids.price: expected a number string, found "x"', "event:mystery"]);
    expect(parseClobFrame("{not json", T, "pm")).toEqual({ events: [], problems: ["json"] });
  });

  it("groups several entries of one token in arrival order, top from the last", () => {
    const frame = JSON.stringify({
      event_type: "price_change",
      market: "0xm",
      timestamp: "5",
      price_changes: [
        { asset_id: "Y", price: "0.4", size: "10", side: "BUY", best_bid: "0.4", best_ask: "0.6" },
        { asset_id: "N", price: "0.6", size: "10", side: "SELL", best_bid: "0.4", best_ask: "0.6" },
        { asset_id: "Y", price: "0.4", size: "0", side: "BUY", best_bid: "0.3", best_ask: "0.6" },
      ],
    });
    const events = parseClobFrame(frame, T, "pm").events as PolyChangeEvent[];
    expect(events.map((e) => [e.delta.instrument, e.delta.bids, e.bestBid])).toEqual([
      ["Y", [[0.4, 10], [0.4, 0]], 0.3],
      ["N", [], 0.4],
    ]);
  });

  it("covers every market-channel fixture (none left unread)", () => {
    const clientFrames = /subscri|dynamic_/;
    for (const name of readdirSync(dir).filter((n) => n.startsWith("ws_") && !clientFrames.test(n))) {
      const r = parse(name);
      expect({ name, problems: r.problems }).toEqual({ name, problems: [] });
      expect(r.events.length).toBeGreaterThan(0);
    }
  });
});

describe("parseRestBook", () => {
  it("reads the REST summary quoted in the notes (empty ask side, empty last trade)", () => {
    const wire: PolyRestBook = {
      market: "0x9d839bf0aa31324b9848f5b89841b779238a7c07dee2f7fca675d934e8ab5bf2",
      asset_id: "72610532355343625199299853218161700546393390326785971247545541945337255643692",
      timestamp: "1785734468581",
      hash: "d7df883ae546b09533a4f485bfae0810da1af04e",
      bids: [{ price: "0.001", size: "667.12" }, { price: "0.002", size: "6.99" }],
      asks: [],
      min_order_size: "5",
      tick_size: "0.001",
      neg_risk: true,
      last_trade_price: "",
    };
    const r = parseRestBook(wire, "pm", T);
    expect(r.book).toMatchObject({ tsEvent: 1785734468581, source: "rest", tickSize: 0.001, bids: [[0.001, 667.12], [0.002, 6.99]], asks: [] });
    expect([r.minOrderSize, r.tickSize, r.negRisk]).toEqual(["5", "0.001", true]);
  });
});

describe("subscription frames", () => {
  const keys = (s: string) => Object.keys(JSON.parse(s)).sort();
  it("have the documented shapes", () => {
    expect(keys(encodeInitialMarketSubscribe(["a"], { customFeatures: true }))).toEqual(
      [...keys(text("ws_docs_overview_subscribe_market.json")), "initial_dump"].sort(),
    );
    expect(keys(encodeMarketSubscribe(["a"], { customFeatures: true }))).toEqual(keys(text("ws_docs_overview_dynamic_subscribe.json")));
    expect(JSON.parse(encodeMarketUnsubscribe(["asset_id_to_remove"]))).toEqual(JSON.parse(text("ws_docs_overview_dynamic_unsubscribe.json")));
    const user = encodeUserSubscribe(["0x1234...condition_id"], { apiKey: "your-api-key", secret: "your-api-secret", passphrase: "your-passphrase" });
    expect(JSON.parse(user)).toEqual(JSON.parse(text("ws_docs_user_subscribe.json")));
  });
});
