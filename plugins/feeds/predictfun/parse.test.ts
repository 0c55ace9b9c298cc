import { describe, expect, it } from "bun:test";
import { predictMarketNew } from "./catalog.ts";
import { complement, parsePredictFrame, predictBookOf, predictBooks } from "./parse.ts";
import { predictHeartbeatReply, predictRequest } from "./subscriptions.ts";

const fixture = (name: string): Promise<string> => Bun.file(new URL(`./fixtures/${name}`, import.meta.url)).text();

describe("parsePredictFrame", () => {
  it("parses the documented order book push and derives the NO book by complement", async () => {
    const [ev] = parsePredictFrame(await fixture("ws_docs_orderbook_push.json"));
    expect(ev).toEqual({ kind: "book", market: "123", book: { marketId: 123, updateTimestampMs: 1736696400000, asks: [[0.62, 1500], [0.63, 800]], bids: [[0.61, 2000], [0.6, 1200]] } });
    if (ev?.kind !== "book") throw new Error("book expected");
    const [yes, no] = predictBooks("pf", ev.market, ev.book, 2, 9, "ws");
    expect(yes).toEqual({ feed: "pf", instrument: "123:yes", key: "123:yes", tsEvent: 1736696400000, tsRecv: 9, source: "ws", tickSize: 0.01, bids: [[0.61, 2000], [0.6, 1200]], asks: [[0.62, 1500], [0.63, 800]] });
    // "a Yes bid at 0.61 is a No ask at 0.39"
    expect(no).toMatchObject({ instrument: "123:no", bids: [[0.38, 1500], [0.37, 800]], asks: [[0.39, 2000], [0.4, 1200]] });
  });

  it("parses the documented REST book and the request answer", async () => {
    const rest = JSON.parse(await fixture("http_docs_market_orderbook.json")) as { data: unknown };
    const book = predictBookOf(rest.data)!;
    expect(predictBooks("pf", "1", book, 3, 9, "rest")[1]).toMatchObject({ bids: [[0.508, 30192.26], [0.507, 20003]], asks: [[0.509, 303518.1], [0.51, 1365.44]], source: "rest" });
    expect(parsePredictFrame(await fixture("ws_docs_response_success.json"))).toEqual([{ kind: "response", requestId: 0, success: true, error: "" }]);
    expect(parsePredictFrame('{"type":"R","requestId":4,"success":false,"error":{"code":"invalid_topic","message":"unknown market"}}')).toEqual([{ kind: "response", requestId: 4, success: false, error: "invalid_topic: unknown market" }]);
  });

  it("answers the documented heartbeat probe with the documented reply and builds the documented subscribe", async () => {
    const probe = await fixture("ws_docs_heartbeat_probe.json");
    expect(JSON.parse(predictHeartbeatReply(probe)!)).toEqual(JSON.parse(await fixture("ws_docs_heartbeat_reply.json")));
    expect(predictHeartbeatReply(await fixture("ws_docs_orderbook_push.json"))).toBeUndefined();
    expect(JSON.parse(predictRequest("subscribe", 1, ["predictOrderbook/123"]))).toEqual(JSON.parse(await fixture("ws_docs_subscribe_orderbook.json")));
    expect(parsePredictFrame(probe)).toEqual([{ kind: "heartbeat", data: 1736696400000 }]);
  });

  it("keeps complements exact at the market's precision and reports malformed frames", () => {
    expect(complement(0.61, 2)).toBe(0.39);
    expect(complement(0.123456, 6)).toBe(0.876544);
    expect(parsePredictFrame("x")[0]).toMatchObject({ kind: "malformed", shape: "not json" });
    expect(parsePredictFrame('{"type":"M","topic":"predictOrderbook/1","data":{"marketId":1,"updateTimestampMs":1,"asks":[[1.5,1]],"bids":[]}}')[0]).toMatchObject({ kind: "malformed", shape: "predictOrderbook: bad data" });
    expect(parsePredictFrame('{"type":"M","topic":"assetPriceUpdate/1","data":{}}')).toEqual([{ kind: "ignored", what: "assetPriceUpdate" }]);
  });

  it("announces a market with its fee rate (feeRateBps when given) and precision", () => {
    const m = predictMarketNew("pf", "77", { id: 77, question: "Will X?", decimalPrecision: 3, feeRateBps: 200, outcomes: [{ name: "Yes" }, { name: "No" }] }, 0.005, 1);
    expect(m).toMatchObject({ instrument: "77", instruments: ["77:yes", "77:no"], question: "Will X?", meta: { feeModel: { kind: "min_side", rate: 0.02 }, decimalPrecision: 3 } });
    expect(predictMarketNew("pf", "78", undefined, 0.005, 1).meta).toMatchObject({ feeModel: { kind: "min_side", rate: 0.005 } });
  });
});
