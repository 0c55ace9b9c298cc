import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRtdsFrame, priceKey } from "./parse.ts";
import { subscriptionId, wireSubscriptions } from "./subscriptions.ts";

const dir = join(import.meta.dir, "fixtures");
const text = (name: string) => readFileSync(join(dir, name), "utf8");
const T = 1_800_000_000_000;
const parse = (name: string) => parseRtdsFrame(text(name), T, "rtds");

describe("parseRtdsFrame", () => {
  it("reads Binance crypto_prices updates as price.tick", () => {
    expect(parse("ws_docs_crypto_prices_update_sol.json").events).toEqual([
      { kind: "price", topic: "crypto_prices", carriedForward: false, tick: { feed: "rtds", instrument: "solusdt", key: "SOL-USDT", tsEvent: 1753314064213, tsRecv: T, price: 189.55, source: "crypto_prices" } },
    ]);
    expect(parse("ws_docs_crypto_prices_update_btc.json").events[0]).toMatchObject({ tick: { instrument: "btcusdt", price: 67234.5, tsEvent: 1753314088395 } });
    expect(parse("ws_nautilus_crypto_prices_update.json").events[0]).toMatchObject({ tick: { key: "BTC-USDT", price: 61035.86, tsEvent: 1780730269000 } });
  });

  it("reads Chainlink updates (the up/down markets' resolution source)", () => {
    expect(parse("ws_docs_chainlink_update_btc.json").events[0]).toMatchObject({ topic: "crypto_prices_chainlink", tick: { instrument: "btc/usd", key: "BTC-USD", price: 67234.5, source: "crypto_prices_chainlink" } });
    expect(parse("ws_docs_chainlink_update_eth.json").events[0]).toMatchObject({ tick: { key: "ETH-USD", price: 3456.78 } });
  });

  it("reads equity updates, flagging carried-forward values", () => {
    expect(parse("ws_docs_equity_update_aapl.json").events[0]).toMatchObject({ topic: "equity_prices", carriedForward: false, tick: { instrument: "aapl", key: "AAPL", price: 198.45 } });
    expect(parse("ws_docs_equity_update_xau_carried_forward.json").events[0]).toMatchObject({ carriedForward: true, tick: { key: "XAUUSD", price: 2175.3, tsEvent: 1711399000000 } });
  });

  it("reads a subscribe backfill as its newest point", () => {
    for (const [name, price, ts] of [
      ["ws_nautilus_captured_crypto_prices_subscribe_snapshot.json", 61150.89, 1780726211000],
      ["ws_nautilus_captured_equity_prices_subscribe_snapshot.json", 307.91547, 1780907779000],
      ["ws_docs_equity_snapshot_subscribe_type.json", 198.41, 1711382340000],
    ] as const) {
      expect(parse(name).events).toHaveLength(1);
      expect(parse(name).events[0]).toMatchObject({ kind: "price", tick: { price, tsEvent: ts } });
    }
  });

  it("reads comments", () => {
    const e = parse("ws_docs_comment_created.json").events[0]!;
    expect(e).toEqual({
      kind: "comment",
      comment: {
        feed: "rtds",
        type: "comment_created",
        id: "1763355",
        body: "That's a good point about the definition.",
        parentEntityID: 18396,
        parentEntityType: "Event",
        parentCommentID: "1763325",
        userAddress: "0xce533188d53a16ed580fd5121dedf166d3482677",
        tsEvent: 1753454975808,
        tsRecv: T,
      },
    });
    expect(parse("ws_docs_comment_created_reply.json").events[0]).toMatchObject({ comment: { parentCommentID: "1763355" } });
  });

  it("reads the live activity trade frame quoted in the notes (seconds → ms, numbers as numbers)", () => {
    const frame =
      '{"connection_id":"gVOKZI6JNWeIKEjigA==","payload":{"asset":"86773034724744448744514889729172499268401134795843352779107239076687775715536","bio":"","conditionId":"0x6c0529846fd87559429fb702416d4da1c9566cfd15317f9faaf62c436483a71a","eventSlug":"btc-updown-5m-1785027300","icon":"https://polymarket-upload.s3.us-east-2.amazonaws.com/BTC+fullsize.png","name":"riceapplepie","outcome":"Up","outcomeIndex":0,"price":0.45,"profileImage":"","proxyWallet":"0x1015bb260154F51E5F432cB0a3227C1619FCBac8","pseudonym":"Agile-Analogy","side":"BUY","size":4.33,"slug":"btc-updown-5m-1785027300","timestamp":1785027308,"title":"Bitcoin Up or Down - July 25, 8:55PM-9:00PM ET","transactionHash":"0x0a8e0353b2432ea36cb7ea163f212bddd8f1d1fe9078ef91c3d262b3f87c4874"},"timestamp":1785027308241,"topic":"activity","type":"trades"}';
    expect(parseRtdsFrame(frame, T, "rtds").events).toEqual([
      {
        kind: "trade",
        eventSlug: "btc-updown-5m-1785027300",
        trade: {
          feed: "rtds",
          instrument: "86773034724744448744514889729172499268401134795843352779107239076687775715536",
          key: "86773034724744448744514889729172499268401134795843352779107239076687775715536",
          tsEvent: 1785027308000,
          tsRecv: T,
          price: 0.45,
          size: 4.33,
          side: "buy",
          tradeId: "0x0a8e0353b2432ea36cb7ea163f212bddd8f1d1fe9078ef91c3d262b3f87c4874",
        },
      },
    ]);
  });

  it("treats keep-alives as nothing, frames without payload as notices, arrays element by element", () => {
    expect(parseRtdsFrame("", T, "r")).toEqual({ events: [], problems: [], topics: [], notices: [] });
    expect(parseRtdsFrame("PONG", T, "r").events).toEqual([]);
    expect(parseRtdsFrame('{"message":"Invalid request body"}', T, "r").notices).toEqual(["Invalid request body"]);
    const arr = `[${text("ws_docs_crypto_prices_update_btc.json")},{"topic":"nope","type":"x","timestamp":1,"payload":{}}]`;
    const r = parseRtdsFrame(arr, T, "r");
    expect([r.events.length, r.problems]).toEqual([1, ["topic:nope"]]);
    expect(parseRtdsFrame("{oops", T, "r").problems).toEqual(["json"]);
  });

  it("reads every data fixture", () => {
    for (const name of readdirSync(dir).filter((n) => n.startsWith("ws_") && !/subscribe_(all|filtered|aapl|multi|generic)|comments_subscribe|envelope_schema/.test(n))) {
      const r = parse(name);
      expect({ name, problems: r.problems, n: r.events.length }).toEqual({ name, problems: [], n: 1 });
    }
  });
});

describe("RTDS subscriptions", () => {
  it("match the documented request shapes", () => {
    const req = (subs: ReturnType<typeof wireSubscriptions>) => JSON.stringify({ action: "subscribe", subscriptions: subs });
    expect(JSON.parse(req(wireSubscriptions({ topic: "crypto_prices_chainlink", type: "*", symbols: ["eth/usd"] })))).toEqual(JSON.parse(text("ws_docs_chainlink_subscribe_filtered.json")));
    expect(JSON.parse(req(wireSubscriptions({ topic: "crypto_prices_chainlink", type: "*", symbols: [] })))).toEqual(JSON.parse(text("ws_docs_chainlink_subscribe_all.json")));
    expect(JSON.parse(req(wireSubscriptions({ topic: "crypto_prices", type: "update", symbols: ["btcusdt"] })))).toEqual(JSON.parse(text("ws_docs_crypto_prices_subscribe_all.json")));
    expect(JSON.parse(req(wireSubscriptions({ topic: "comments", type: "comment_created", symbols: [] })))).toEqual(JSON.parse(text("ws_docs_comments_subscribe.json")));
    expect(JSON.parse(req(wireSubscriptions({ topic: "equity_prices", type: "update", symbols: ["AAPL"] })))).toEqual(JSON.parse(text("ws_docs_equity_subscribe_aapl.json")));
    expect(wireSubscriptions({ topic: "activity", type: "trades", symbols: [], eventSlug: "e" })[0]!.filters).toBe('{"event_slug":"e"}');
    expect(subscriptionId({ topic: "a", type: "b" })).toBe('{"topic":"a","type":"b"}');
  });

  it("normalizes keys without equating quote currencies", () => {
    expect([priceKey("crypto_prices", "btcusdt"), priceKey("crypto_prices_chainlink", "btc/usd"), priceKey("equity_prices", "eurusd")]).toEqual(["BTC-USDT", "BTC-USD", "EURUSD"]);
  });
});
