import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Fetch } from "../../../core/transport.ts";
import { requestHlCoins } from "./rest.ts";

const meta = Bun.file(join(import.meta.dir, "fixtures", "http_nautilus_meta_perp_sample.json")).text();

function stub(answers: Record<string, unknown>): { fetch: Fetch; bodies: string[] } {
  const bodies: string[] = [];
  const fetch: Fetch = async (_input, init) => {
    const body = String(init?.body);
    bodies.push(body);
    if (!(body in answers)) return new Response("unknown", { status: 422 });
    const a = answers[body];
    return typeof a === "string" ? new Response(a) : Response.json(a);
  };
  return { fetch, bodies };
}
const options = (fetch: Fetch) => ({ fetch, infoUrl: "http://127.0.0.1:1/info", timeoutMs: 1_000, signal: new AbortController().signal });

describe("requestHlCoins", () => {
  it("does check first-dex coins against meta, with a case hint", async () => {
    const s = stub({ '{"type":"meta"}': await meta });
    const r = await requestHlCoins(options(s.fetch), ["BTC", "eth", "ATOM"]);
    expect([...r.known.keys()]).toEqual(["BTC", "ATOM"]);
    expect(r.rejected.get("eth")).toBe('eth is not a Hyperliquid perp (POST /info {"type":"meta"}); names are case-sensitive: did you mean "ETH"?; builder-deployed perps need their dex prefix (xyz:SP500)');
    expect(s.bodies).toEqual(['{"type":"meta"}']);
  });

  it("does check builder coins against perpDexs and the dex's meta, naming non-USDC collateral honestly", async () => {
    const s = stub({
      '{"type":"perpDexs"}': [null, { name: "xyz", fullName: "XYZ" }, { name: "km", fullName: "KM" }],
      '{"type":"meta","dex":"xyz"}': { universe: [{ name: "xyz:SP500", szDecimals: 3 }, { name: "xyz:OLD", szDecimals: 3, isDelisted: true }], collateralToken: 0 },
      '{"type":"meta","dex":"km"}': { universe: [{ name: "km:US500", szDecimals: 3 }], collateralToken: 360 },
    });
    const r = await requestHlCoins(options(s.fetch), ["xyz:SP500", "xyz:OLD", "km:US500", "abc:X"]);
    expect(r.known.get("xyz:SP500")!.key).toBe("xyz.SP500-USDC-PERP");
    expect(r.known.get("km:US500")!.key).toBe("km:US500");
    expect(r.rejected.get("xyz:OLD")).toBe("xyz:OLD is delisted on Hyperliquid");
    expect(r.rejected.get("abc:X")).toBe('abc:X: "abc" is not a Hyperliquid builder dex (perpDexs lists xyz, km)');
  });

  it("does throw when /info cannot answer, so the feed retries", async () => {
    const s = stub({});
    await expect(requestHlCoins(options(s.fetch), ["BTC"])).rejects.toThrow("answered HTTP 422");
  });
});
