import { afterEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Fetch } from "../../../core/transport.ts";
import { clearOkxInstrumentCache, requestOkxInstruments } from "./rest.ts";

const swapList = Bun.file(join(import.meta.dir, "fixtures", "http_nautilus_get_instruments_swap.json")).text();

function stub(answer: (url: string) => Response | Promise<Response>): { fetch: Fetch; urls: string[] } {
  const urls: string[] = [];
  const fetch: Fetch = async (input) => {
    const url = String(input);
    urls.push(url);
    return answer(url);
  };
  return { fetch, urls };
}
const options = (fetch: Fetch) => ({ fetch, restUrl: "http://127.0.0.1:1/", timeoutMs: 1_000, signal: new AbortController().signal });

afterEach(() => clearOkxInstrumentCache());

describe("requestOkxInstruments", () => {
  it("does read contract facts, reject unlisted ids and cache each list", async () => {
    const s = stub(async () => new Response(await swapList));
    const r = await requestOkxInstruments(options(s.fetch), ["BTC-USDT-SWAP", "BTC-USD-SWAP", "btc-usdt-swap", "DOGE-USDT-SWAP"], 0, 60_000);
    expect([...r.known.keys()]).toEqual(["BTC-USDT-SWAP", "BTC-USD-SWAP"]);
    expect(r.known.get("BTC-USD-SWAP")).toMatchObject({ ctVal: 100, inverse: true });
    expect(r.rejected.get("btc-usdt-swap")).toBe("btc-usdt-swap is not an OKX instrument id (expected e.g. BTC-USDT-SWAP, BTC-USD-SWAP, BTC-USDT)");
    expect(r.rejected.get("DOGE-USDT-SWAP")).toBe("DOGE-USDT-SWAP is not listed by OKX (GET /api/v5/public/instruments?instType=SWAP); instrument ids are case-sensitive");
    await requestOkxInstruments(options(s.fetch), ["ETH-USDT-SWAP"], 30_000, 60_000);
    expect(s.urls).toEqual(["http://127.0.0.1:1/api/v5/public/instruments?instType=SWAP"]);
    await requestOkxInstruments(options(s.fetch), ["ETH-USDT-SWAP"], 70_000, 60_000);
    expect(s.urls).toHaveLength(2);
  });

  it("does ask options by family and reject ids of a list the venue refuses", async () => {
    const s = stub(() => Response.json({ code: "51000", msg: "Parameter instFamily error", data: [] }));
    const r = await requestOkxInstruments(options(s.fetch), ["BTC-USD-261225-100000-C"], 0, 60_000);
    expect(s.urls).toEqual(["http://127.0.0.1:1/api/v5/public/instruments?instType=OPTION&instFamily=BTC-USD"]);
    expect(r.known.size).toBe(0);
    expect(r.rejected.get("BTC-USD-261225-100000-C")).toBe(
      "BTC-USD-261225-100000-C: GET /api/v5/public/instruments?instType=OPTION&instFamily=BTC-USD answered code 51000: Parameter instFamily error",
    );
  });

  it("does throw when the venue cannot be asked, so the feed retries", async () => {
    const s = stub(() => new Response("busy", { status: 503 }));
    await expect(requestOkxInstruments(options(s.fetch), ["BTC-USDT-SWAP"], 0, 60_000)).rejects.toThrow("answered HTTP 503");
  });
});
