import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { okxChecksum, okxChecksumString } from "./checksum.ts";
import { okxInstId, okxInstrumentFrom, okxKey, type OkxInstrument } from "./instruments.ts";
import type { OkxInstrumentRow, OkxLevel } from "./messages.ts";
import { parseOkxFrame, parseOkxRestBooks, type OkxBookEvent, type OkxEvent } from "./parse.ts";
import { encodeOkxOp, encodeOkxResubscribe } from "./subscriptions.ts";

const dir = join(import.meta.dir, "fixtures");
const fixture = (name: string): Promise<string> => Bun.file(join(dir, name)).text();
const T = 1_700_000_000_000;

function inst(instrument: string, ctVal: number, inverse = false): OkxInstrument {
  return { instrument, key: okxKey(instrument), instType: "SWAP", ctVal, inverse, tickSize: 0.1 };
}
const known = new Map<string, OkxInstrument>([
  ["BTC-USDT", { ...inst("BTC-USDT", 1), instType: "SPOT" }],
  ["BTC-USD", { ...inst("BTC-USD", 1), instType: "SPOT" }],
  ["BCH-USDT-SWAP", inst("BCH-USDT-SWAP", 0.1)],
  ["BTC-USDT-SWAP", inst("BTC-USDT-SWAP", 0.01)],
  ["BTC-USD-220527", { ...inst("BTC-USD-220527", 100, true), instType: "FUTURES" }],
]);
const lookup = (id: string) => known.get(id);
const parse = (text: string): OkxEvent[] => parseOkxFrame(text, "okx", T, lookup);
function only<K extends OkxEvent["kind"]>(events: OkxEvent[], kind: K): Extract<OkxEvent, { kind: K }> {
  expect(events).toHaveLength(1);
  expect(events[0]!.kind).toBe(kind);
  return events[0] as Extract<OkxEvent, { kind: K }>;
}

describe("okx checksum", () => {
  it("does reproduce the documented worked examples", () => {
    const bids: OkxLevel[] = [["3366.1", "7", "0", "3"], ["3366", "6", "3", "4"]];
    const asks: OkxLevel[] = [["3366.8", "9", "10", "3"], ["3368", "8", "3", "4"]];
    expect(okxChecksumString(bids, asks)).toBe("3366.1:7:3366.8:9:3366:6:3368:8");
    expect(okxChecksum(bids, asks)).toBe(-1881014294);
    const bids2: OkxLevel[] = [["3366.1", "7", "0", "3"]];
    const asks2: OkxLevel[] = [["3366.8", "9", "10", "3"], ["3368", "8", "3", "4"], ["3372", "8", "3", "4"]];
    expect(okxChecksumString(bids2, asks2)).toBe("3366.1:7:3366.8:9:3368:8:3372:8");
    expect(okxChecksum(bids2, asks2)).toBe(831078360);
  });

  it("does compute -2102840145 for the doc snapshot, whose own checksum field is illustrative", async () => {
    const ev = only(parse(await fixture("ws_nautilus_docs_ws_books_snapshot.json")), "book");
    expect(ev.checksum).toBe(-855196043);
    expect(okxChecksum(ev.rawBids, ev.rawAsks)).toBe(-2102840145);
  });

  it("does use only the first 25 levels of each side", () => {
    const bids: OkxLevel[] = Array.from({ length: 30 }, (_, i) => [String(100 - i), "1", "0", "1"] as const);
    const asks: OkxLevel[] = Array.from({ length: 30 }, (_, i) => [String(101 + i), "2", "0", "1"] as const);
    const s = okxChecksumString(bids, asks);
    expect(s.split(":")).toHaveLength(100);
    expect(s.endsWith("76:1:125:2")).toBe(true);
  });
});

describe("parseOkxFrame", () => {
  it("does parse the books snapshot doc example with seq fields", async () => {
    const ev = only(parse(await fixture("ws_nautilus_docs_ws_books_snapshot.json")), "book") as OkxBookEvent;
    expect(ev).toMatchObject({ channel: "books", action: "snapshot", instId: "BTC-USDT", seqId: 123456, prevSeqId: -1 });
    expect(ev.delta).toBeUndefined();
    const s = ev.snapshot!;
    expect(s).toMatchObject({ feed: "okx", instrument: "BTC-USDT", key: "BTC-USDT-SPOT", tsEvent: 1597026383085, tsRecv: T, seq: 123456, source: "ws" });
    expect(s.bids).toHaveLength(8);
    expect(s.asks[0]).toEqual([8476.98, 415]);
    expect(s.bids[7]).toEqual([8446, 95]);
  });

  it("does parse the books update doc example as a delta with prevSeq", async () => {
    const ev = only(parse(await fixture("ws_nautilus_docs_ws_books_update.json")), "book");
    expect(ev.action).toBe("update");
    expect(ev.delta).toMatchObject({ seq: 123457, prevSeq: 123456, instrument: "BTC-USDT" });
    expect(ev.delta!.asks).toHaveLength(8);
  });

  it("does accept the 2022 capture without seq fields (quoted in okx.md) and keep its checksum", () => {
    const text =
      '{"arg":{"channel":"books","instId":"BTC-USD-220527"},"action":"update","data":[{"asks":[["30249.4","0","0","0"],["30261","4","0","1"],["30310.3","19","0","1"]],"bids":[["30182.6","452","0","1"]],"ts":"1652459225464","checksum":-914047754}]}';
    const ev = only(parse(text), "book");
    expect(ev.seqId).toBeUndefined();
    expect(ev.prevSeqId).toBeUndefined();
    expect(ev.checksum).toBe(-914047754);
    expect(ev.delta!.seq).toBeUndefined();
    expect(ev.delta!.prevSeq).toBeUndefined();
    // inverse: 4 contracts × 100 USD / 30261 = BTC; a "0" size stays a removal
    expect(ev.delta!.asks[0]).toEqual([30249.4, 0]);
    expect(ev.delta!.asks[1]![1]).toBeCloseTo(400 / 30261, 12);
    expect(ev.delta!.bids[0]![1]).toBeCloseTo(45200 / 30182.6, 12);
  });

  it("does parse books5 as a whole 5-level book in base units", async () => {
    const ev = only(parse(await fixture("ws_docs_books5_push.json")), "depth");
    expect(ev.book).toMatchObject({ instrument: "BCH-USDT-SWAP", key: "BCH-USDT-PERP", seq: 363996337, tsEvent: 1670324386802 });
    expect(ev.book.bids).toHaveLength(5);
    expect(ev.book.asks[0]![0]).toBe(111.06);
    expect(ev.book.asks[0]![1]).toBeCloseTo(5515.4, 9);
    expect(ev.book.bids[4]![1]).toBeCloseTo(6509, 9);
  });

  it("does parse bbo-tbt as a top of book (both fixtures)", async () => {
    const a = only(parse(await fixture("ws_docs_bbo_tbt_push.json")), "top");
    expect(a.top).toMatchObject({ instrument: "BCH-USDT-SWAP", key: "BCH-USDT-PERP", bid: 111.05, ask: 111.06, tsEvent: 1670324386802 });
    expect(a.top.bidSize).toBeCloseTo(5774.5, 9);
    const b = only(parse(await fixture("ws_nautilus_docs_ws_bbo_tbt.json")), "top");
    expect(b.top).toMatchObject({ instrument: "BTC-USDT", bid: 8476.97, ask: 8476.98, bidSize: 256, askSize: 415 });
  });

  it("does parse tickers, the doc example and the 2022 capture", async () => {
    const a = only(parse(await fixture("ws_nautilus_docs_ws_tickers.json")), "top");
    expect(a.top).toMatchObject({ instrument: "BTC-USDT", bid: 8888.88, ask: 9999.99, bidSize: 5, askSize: 11, tsEvent: 1597026383085 });
    const cap =
      '{"arg":{"channel":"tickers","instId":"BTC-USD-220527"},"data":[{"instType":"FUTURES","instId":"BTC-USD-220527","last":"30218.8","lastSz":"1","askPx":"30220.1","askSz":"3","bidPx":"30210.4","bidSz":"4","open24h":"29571.4","high24h":"31003.3","low24h":"27930.8","sodUtc0":"28935.3","sodUtc8":"30320.5","volCcy24h":"2620.289","vol24h":"779573","ts":"1652459223003"}]}';
    const b = only(parse(cap), "top");
    expect(b.top).toMatchObject({ key: "BTC-USD-FUT-20220527", bid: 30210.4, ask: 30220.1, tsEvent: 1652459223003 });
    expect(b.top.askSize).toBeCloseTo(300 / 30220.1, 12);
  });

  it("does parse trades: the doc examples and the 2022 capture without count/seqId", async () => {
    const a = only(parse(await fixture("ws_docs_trades_push.json")), "trade");
    expect(a.trade).toEqual({ feed: "okx", instrument: "BTC-USDT", key: "BTC-USDT-SPOT", tsEvent: 1630048897897, tsRecv: T, price: 42219.9, size: 0.12060306, side: "buy", tradeId: "130639474" });
    const b = only(parse(await fixture("ws_nautilus_docs_ws_trades.json")), "trade");
    expect(b.trade).toMatchObject({ instrument: "BTC-USD", price: 42219.9, side: "buy" });
    const cap = '{"arg":{"channel":"trades","instId":"BTC-USD-220527"},"data":[{"instId":"BTC-USD-220527","tradeId":"7849","px":"30218.8","sz":"1","side":"buy","ts":"1652459199958"}]}';
    const c = only(parse(cap), "trade");
    expect(c.trade).toMatchObject({ tradeId: "7849", price: 30218.8, side: "buy", tsEvent: 1652459199958 });
    expect(c.trade.size).toBeCloseTo(100 / 30218.8, 12);
  });

  it("does parse funding-rate into the rate, next funding time and interval", async () => {
    const ev = only(parse(await fixture("ws_nautilus_ws_funding_rate.json")), "funding");
    expect(ev.funding).toEqual({
      feed: "okx",
      instrument: "BTC-USDT-SWAP",
      key: "BTC-USDT-PERP",
      tsEvent: 1744590349506,
      tsRecv: T,
      rate: 0.0001,
      nextFundingTime: 1744590349506,
      intervalMs: 1744619149506 - 1744590349506,
    });
  });

  it("does read acks, errors, notices and service events", async () => {
    expect(only(parse(await fixture("ws_docs_subscribe_response.json")), "ack")).toEqual({ kind: "ack", op: "subscribe", channel: "tickers", instId: "BTC-USDT" });
    expect(only(parse(await fixture("ws_docs_unsubscribe_response.json")), "ack").op).toBe("unsubscribe");
    const e60012 = only(parse(await fixture("ws_docs_subscribe_error_60012.json")), "error");
    expect(e60012).toMatchObject({ code: "60012", instId: undefined });
    expect(e60012.msg.startsWith("Invalid request")).toBe(true);
    const e60018 = only(parse(await fixture("ws_thirdparty_error_60018.json")), "error");
    expect(e60018).toMatchObject({ code: "60018", channel: "trades", instId: "trades.BTC-USDT-SWAP" });
    const cap60018 =
      '{"event": "error", "msg": "Wrong URL or channel:books,instId:IRYS-USDT-SWAP doesn\'t exist. Please use the correct URL, channel and parameters referring to API document.", "code": "60018"}';
    expect(only(parse(cap60018), "error")).toMatchObject({ code: "60018", channel: "books", instId: "IRYS-USDT-SWAP" });
    expect(only(parse(await fixture("ws_docs_login_failure.json")), "error")).toMatchObject({ code: "60009", instId: undefined });
    expect(only(parse(await fixture("ws_docs_notice_64008.json")), "notice")).toMatchObject({ code: "64008", connId: "a4d3ae55" });
    expect(only(parse(await fixture("ws_docs_channel_conn_count.json")), "ignored").what).toBe("event channel-conn-count");
    expect(parse("pong")).toEqual([{ kind: "pong" }]);
  });

  it("does ignore pushes for instruments it did not subscribe", async () => {
    const text = (await fixture("ws_docs_books5_push.json")).replaceAll("BCH-USDT-SWAP", "DOGE-USDT-SWAP");
    expect(only(parse(text), "ignored").what).toContain("DOGE-USDT-SWAP");
  });

  it("does report malformed frames by shape without throwing", () => {
    expect(only(parse('{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"px'), "malformed").shape).toBe("not json");
    expect(only(parse("[1,2]"), "malformed").shape).toBe("not an object");
    expect(only(parse('{"foo":1}'), "malformed").shape).toBe("no arg/data");
    expect(only(parse('{"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[]}'), "malformed").shape).toBe("channel candle1m");
    expect(only(parse('{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"bids":"x","asks":[],"ts":"1"}]}'), "malformed").shape).toBe("books: bad levels");
    expect(only(parse('{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"partial","data":[]}'), "malformed").shape).toBe("books: action partial");
    expect(only(parse('{"event":"weird"}'), "malformed").shape).toBe("event weird");
  });
});

describe("parseOkxRestBooks", () => {
  it("does parse both REST snapshot examples (no seqId in these versions)", async () => {
    const a = parseOkxRestBooks(JSON.parse(await fixture("http_docs_rest_market_books.json")), known.get("BTC-USDT")!, "okx", T);
    expect(a.ok).toBe(true);
    if (a.ok) expect(a.book).toMatchObject({ source: "rest", seq: undefined, tsEvent: 1629966436396, bids: [[41006.3, 0.30178218]], asks: [[41006.8, 0.60038921]] });
    const b = parseOkxRestBooks(JSON.parse(await fixture("http_nautilus_get_order_book.json")), known.get("BTC-USDT")!, "okx", T);
    expect(b.ok && b.book.bids.length === 3 && b.raw.asks[2]![1] === "2.05842530").toBe(true);
    const bad = parseOkxRestBooks({ code: "51001", msg: "Instrument ID does not exist", data: [] }, known.get("BTC-USDT")!, "okx", T);
    expect(bad).toEqual({ ok: false, error: "the venue answered 51001 Instrument ID does not exist" });
  });
});

describe("okx instruments", () => {
  it("does map ids to keys and back", () => {
    const cases: [string, string][] = [
      ["BTC-USDT-SWAP", "BTC-USDT-PERP"],
      ["BTC-USD-SWAP", "BTC-USD-PERP"],
      ["ETH-USDT", "ETH-USDT-SPOT"],
      ["BTC-USD-220527", "BTC-USD-FUT-20220527"],
      ["BTC-USD-221230-4000-C", "BTC-USD-OPT-20221230-4000-C"],
    ];
    for (const [id, key] of cases) {
      expect(okxKey(id)).toBe(key);
      expect(okxInstId(key)).toBe(id);
    }
    expect(okxInstId("BTC-USDC-PERP")).toBe("BTC-USDC-SWAP");
    expect(okxKey("not an id")).toBe("not an id");
  });

  it("does read ctVal and linear/inverse from the instruments answer", async () => {
    const rows = (JSON.parse(await fixture("http_nautilus_get_instruments_swap.json")) as { data: OkxInstrumentRow[] }).data;
    const by = new Map(rows.map((r) => [r.instId, r]));
    expect(okxInstrumentFrom("BTC-USDT-SWAP", by.get("BTC-USDT-SWAP")!)).toEqual({ instrument: "BTC-USDT-SWAP", key: "BTC-USDT-PERP", instType: "SWAP", ctVal: 0.01, inverse: false, tickSize: 0.1 });
    expect(okxInstrumentFrom("ETH-USDT-SWAP", by.get("ETH-USDT-SWAP")!)).toMatchObject({ ctVal: 0.1, tickSize: 0.01 });
    expect(okxInstrumentFrom("BTC-USD-SWAP", by.get("BTC-USD-SWAP")!)).toMatchObject({ key: "BTC-USD-PERP", ctVal: 100, inverse: true });
  });
});

describe("okx subscriptions", () => {
  it("does encode the documented subscribe and unsubscribe requests", async () => {
    const sub = JSON.parse(await fixture("ws_docs_subscribe_request.json")) as Record<string, unknown>;
    delete sub.id; // optional request id, not used by the feed
    expect(encodeOkxOp("subscribe", ["BTC-USDT"], ["tickers"]).map((f) => JSON.parse(f))).toEqual([sub]);
    const unsub = JSON.parse(await fixture("ws_docs_unsubscribe_request.json"));
    expect(encodeOkxOp("unsubscribe", ["BTC-USDT"], ["tickers"]).map((f) => JSON.parse(f))).toEqual([unsub]);
    expect(encodeOkxResubscribe("BTC-USDT-SWAP", "books")).toEqual([
      '{"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"}]}',
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"}]}',
    ]);
  });

  it("does split many args into frames under 64 KB", () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => `COIN${i}-USDT-SWAP`);
    const frames = encodeOkxOp("subscribe", ids, ["books", "trades"]);
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames) expect(f.length).toBeLessThan(64 * 1024);
    expect(frames.flatMap((f) => (JSON.parse(f) as { args: unknown[] }).args)).toHaveLength(4_000);
  });
});
