import { describe, expect, it } from "bun:test";
import { constants, generateKeyPairSync, verify } from "node:crypto";
import { kalshiAuthHeaders, kalshiPrivateKey } from "./auth.ts";
import { KalshiBookState, kalshiDeltas, kalshiSnapshots } from "./book-state.ts";
import { kalshiMarketNew } from "./catalog.ts";
import { kalshiPriceUnits, parseKalshiFrame } from "./parse.ts";
import { kalshiSubscribe, kalshiUnsubscribe } from "./subscriptions.ts";

const fixture = (name: string): Promise<string> => Bun.file(new URL(`./fixtures/${name}`, import.meta.url)).text();
const ref = { feed: "ks", ticker: "FED-23DEC-T3.00", tsEvent: 5, tsRecv: 6, seq: 2 };

describe("parseKalshiFrame", () => {
  it("parses the documented snapshot into YES and NO books: a NO bid at p is a YES ask at 1 − p", async () => {
    const [ev] = parseKalshiFrame(await fixture("ws_docs_orderbook_snapshot.json"));
    expect(ev).toEqual({ kind: "snapshot", sid: 2, seq: 2, ticker: "FED-23DEC-T3.00", yes: [{ price: 800, count: 300e6 }, { price: 2200, count: 333e6 }], no: [{ price: 5400, count: 20e6 }, { price: 5600, count: 146e6 }] });
    if (ev?.kind !== "snapshot") throw new Error("snapshot expected");
    const [yes, no] = kalshiSnapshots(ref, new KalshiBookState().snapshot(ev.yes, ev.no));
    expect(yes).toMatchObject({ instrument: "FED-23DEC-T3.00:yes", seq: 2, bids: [[0.22, 333], [0.08, 300]], asks: [[0.44, 146], [0.46, 20]] });
    expect(no).toMatchObject({ instrument: "FED-23DEC-T3.00:no", seq: 2, bids: [[0.56, 146], [0.54, 20]], asks: [[0.78, 333], [0.92, 300]] });
  });

  it("parses the documented delta as a signed change and applies it as absolute levels on both books", async () => {
    const [ev] = parseKalshiFrame(await fixture("ws_docs_orderbook_delta.json"));
    expect(ev).toEqual({ kind: "delta", sid: 2, seq: 3, ticker: "FED-23DEC-T3.00", side: "yes", price: 9600, delta: -54e6, tsMs: 1669149841000 });
    if (ev?.kind !== "delta") throw new Error("delta expected");
    const st = new KalshiBookState();
    st.snapshot([{ price: 9600, count: 100e6 }], []);
    const [yes, no] = kalshiDeltas({ ...ref, seq: 3 }, st.apply(ev.side, ev.price, ev.delta) as never);
    expect(yes).toMatchObject({ seq: 3, bids: [[0.96, 46]], asks: [] });
    expect(no).toMatchObject({ seq: 3, bids: [], asks: [[0.04, 46]] });
    // the documented delta on the documented snapshot takes contracts that were never there
    const docs = new KalshiBookState();
    docs.snapshot([{ price: 800, count: 300e6 }], []);
    expect(docs.apply(ev.side, ev.price, ev.delta)).toBe("negative");
  });

  it("removes a level whose count reaches zero and keeps complements exact", () => {
    const st = new KalshiBookState();
    st.snapshot([], [{ price: 3, count: 5e6 }]);
    expect(st.apply("no", 3, -5e6)).toEqual({ yes: { bids: [], asks: [[0.9997, 0]] }, no: { bids: [[0.0003, 0]], asks: [] } });
    expect(st.count("no", 3)).toBe(0);
    expect(kalshiPriceUnits("0.960")).toBe(9600);
    expect(kalshiPriceUnits("1.5")).toBeUndefined();
    expect(kalshiPriceUnits("0.12345")).toBeUndefined();
  });

  it("parses the documented trade, ticker, subscribed, error and ok answers", async () => {
    expect(parseKalshiFrame(await fixture("ws_docs_trade.json"))).toEqual([
      { kind: "trade", sid: 11, ticker: "HIGHNY-22DEC23-B53.5", yesPrice: 3600, noPrice: 6400, count: 136e6, takerSide: "no", tsMs: 1669149841000, tradeId: "d91bc706-ee49-470d-82d8-11418bda6fed" },
    ]);
    expect(parseKalshiFrame(await fixture("ws_docs_subscribed.json"))).toEqual([{ kind: "subscribed", id: 1, channel: "orderbook_delta", sid: 1 }]);
    expect(parseKalshiFrame(await fixture("ws_docs_error.json"))).toEqual([{ kind: "error", id: 123, code: 6, message: "Already subscribed" }]);
    expect(parseKalshiFrame(await fixture("ws_docs_ok.json"))).toEqual([{ kind: "ok", id: 123 }]);
    expect(parseKalshiFrame(await fixture("ws_docs_ok_1.json"))).toEqual([{ kind: "ok", id: 3 }]);
    expect(parseKalshiFrame(await fixture("ws_docs_unsubscribed.json"))).toEqual([{ kind: "unsubscribed", id: 102, sid: 2 }]);
    expect(parseKalshiFrame(await fixture("ws_docs_ticker.json"))).toEqual([{ kind: "ticker", sid: 11, ticker: "FED-23DEC-T3.00", bid: 4500, ask: 5300, bidSize: 300e6, askSize: 150e6, tsMs: 1669149841000 }]);
  });

  it("reports malformed frames by shape", () => {
    expect(parseKalshiFrame("nope")[0]).toMatchObject({ kind: "malformed", shape: "not json" });
    expect(parseKalshiFrame('{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"X","price_dollars":"2.0","delta_fp":"1","side":"yes"}}')[0]).toMatchObject({ kind: "malformed", shape: "orderbook_delta: bad fields" });
    expect(parseKalshiFrame('{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"X","yes_dollars_fp":[["0.5","-1"]]}}')[0]).toMatchObject({ kind: "malformed", shape: "orderbook_snapshot: bad levels" });
    expect(parseKalshiFrame('{"type":"fill"}')[0]).toMatchObject({ kind: "malformed", shape: "type fill" });
  });
});

describe("kalshi commands and auth", () => {
  it("builds the documented subscribe and unsubscribe commands", async () => {
    expect(JSON.parse(kalshiSubscribe(1, ["orderbook_delta"], "CPI-22DEC-TN0.1"))).toEqual(JSON.parse(await fixture("ws_docs_subscribe.json")));
    expect(JSON.parse(kalshiUnsubscribe(124, [1, 2]))).toEqual(JSON.parse(await fixture("ws_docs_unsubscribe.json")));
  });

  it("signs timestamp + GET + path with RSA-PSS SHA-256 (salt = digest length)", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const h = kalshiAuthHeaders("key-1", kalshiPrivateKey(pem.replaceAll("\n", "\\n")), 1703123456789);
    expect(h["KALSHI-ACCESS-KEY"]).toBe("key-1");
    expect(h["KALSHI-ACCESS-TIMESTAMP"]).toBe("1703123456789");
    const ok = verify("sha256", Buffer.from("1703123456789GET/trade-api/ws/v2"), { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, Buffer.from(h["KALSHI-ACCESS-SIGNATURE"]!, "base64"));
    expect(ok).toBe(true);
  });

  it("announces a market with both books, its fee curve and close time", () => {
    const m = kalshiMarketNew("ks", "FED-23DEC-T3.00", { ticker: "FED-23DEC-T3.00", title: "Fed funds above 3.00%?", close_time: "2023-12-13T19:00:00Z" }, 0.07, 9);
    expect(m).toMatchObject({ instrument: "FED-23DEC-T3.00", instruments: ["FED-23DEC-T3.00:yes", "FED-23DEC-T3.00:no"], outcomes: ["Yes", "No"], question: "Fed funds above 3.00%?", meta: { feeModel: { kind: "curve", rate: 0.07, exponent: 1 }, endDate: "2023-12-13T19:00:00Z" } });
  });
});
