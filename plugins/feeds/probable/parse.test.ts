import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { probableConfigSchema } from "./config.ts";
import { parseProbableBook, parseProbableMarket } from "./parse.ts";

const fixture = async (name: string): Promise<unknown> => JSON.parse(await Bun.file(new URL(`./fixtures/${name}`, import.meta.url)).text());

describe("parseProbableBook", () => {
  it("parses the documented book: levels best first, tick size, polled time", async () => {
    const b = parseProbableBook(await fixture("http_docs_book.json"), "pb", "0xabc123...", "0xabc123...", 42);
    expect(b).toEqual({ feed: "pb", instrument: "0xabc123...", key: "0xabc123...", tsEvent: 42, tsRecv: 42, bids: [[0.65, 1000], [0.64, 500]], asks: [[0.66, 800], [0.67, 1200]], source: "rest", tickSize: 0.001 });
  });

  it("sorts levels whatever order they come in, and refuses a wrong token or bad levels", () => {
    const b = parseProbableBook({ asset_id: "T", bids: [{ price: "0.1", size: "1" }, { price: "0.3", size: "2" }], asks: [{ price: "0.9", size: "1" }, { price: "0.5", size: "3" }] }, "pb", "T", "T", 1);
    expect(b).toMatchObject({ bids: [[0.3, 2], [0.1, 1]], asks: [[0.5, 3], [0.9, 1]] });
    expect(parseProbableBook({ asset_id: "U", bids: [], asks: [] }, "pb", "T", "T", 1)).toBe("book: asset_id U is not T");
    expect(parseProbableBook({ asset_id: "T", bids: [{ price: "1.2", size: "1" }], asks: [] }, "pb", "T", "T", 1)).toBe("book: bad levels");
  });
});

describe("parseProbableMarket", () => {
  it("reads the documented market fields: question, outcomes, YES and NO tokens", async () => {
    const list = (await fixture("http_docs_markets_list.json")) as { markets: unknown[] };
    expect(parseProbableMarket(list.markets[0])).toEqual({ id: "456", question: "Will BTC exceed $100k?", outcomes: ["Yes", "No"], tokens: ["0xabc...", "0xdef..."], slug: "btc-100k", conditionId: "0x123..." });
    expect(parseProbableMarket({ id: 1, clobTokenIds: '["a","b"]', outcomes: '["Up","Down"]' })).toMatchObject({ tokens: ["a", "b"], outcomes: ["Up", "Down"] });
    expect(parseProbableMarket({ id: 2, clobTokenIds: ["a"] })).toBe("market 2: not a two-outcome market with two clobTokenIds");
  });
});

describe("probable config", () => {
  it("refuses a request rate too low for the markets' polling cadence", () => {
    const r = v.safeParse(probableConfigSchema, { markets: ["1", "2", "3", "4"], max_requests_per_s: 1, poll_interval_ms: 1000, stale_after_polls: 2 });
    expect(r.success).toBe(false);
    expect(r.issues?.[0]?.message).toBe("4 markets need 8000 ms per round at max_requests_per_s 1, longer than stale_after_polls × poll_interval_ms: every book would go stale");
  });
});
