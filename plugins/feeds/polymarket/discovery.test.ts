import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { entryFromGamma } from "./catalog.ts";
import { type DiscoveryFilters, rejectReason, selectMarkets } from "./discovery.ts";
import type { GammaEvent, GammaMarket } from "./messages.ts";

const load = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dir, "fixtures", name), "utf8"));
const events = load("http_nautilus_gamma_event.json") as GammaEvent[];
const btc = load("http_nautilus_gamma_market_btc_5m.json") as GammaMarket;

const loose: DiscoveryFilters = {
  minLiquidityUsd: 10_000,
  maxDaysToResolution: undefined,
  minPrice: 0.01,
  maxPrice: 0.99,
  minVolume24hUsd: 0,
  tags: [],
  excludeTags: [],
  acceptingOrders: true,
  maxMarkets: 0,
};

describe("entryFromGamma (live Gamma rows)", () => {
  it("reads the 5-minute BTC market: string-encoded arrays, fees enabled without a schedule", () => {
    expect(entryFromGamma(btc, undefined)).toMatchObject({
      id: "1557558",
      conditionId: "0x78443f961b9a65869dcb39359de9960165c7e5cbad0904eac7f29cd77872a63b",
      outcomes: ["Up", "Down"],
      clobTokenIds: [
        "104239898038807136052399800151408521467737075933964991162589336683346093173875",
        "71183960810705820955071415844881728181970340514894896943812046065452395013351",
      ],
      endDate: "2026-03-12T09:25:00Z",
      negRisk: false,
      negRiskAugmented: false,
      feesEnabled: true,
      feeType: "crypto_fees",
      orderMinSize: 5,
      orderPriceMinTickSize: 0.01,
      liquidityNum: 20328.3747,
      eventId: "260654",
    });
  });

  it("reads the negRisk event's outcomes with the event's augmented flag", () => {
    const ev = events[0]!;
    const e = entryFromGamma(ev.markets![0]!, ev)!;
    expect(e).toMatchObject({ negRisk: true, negRiskAugmented: true, negRiskOther: false, negRiskMarketID: "0x2c3d7e0eee6f058be3006baabf0d54a07da254ba47fe6e3e095e7990c7814700", eventSlug: "democratic-presidential-nominee-2028" });
    expect(e.tags).toContain("world-elections");
  });
});

describe("selectMarkets", () => {
  it("takes the live negRisk event whole (both outcomes) when one passes, with the open-outcome count", () => {
    const sel = selectMarkets(events, loose, Date.parse("2026-11-24T00:00:00Z"));
    expect(sel.entries.map((e) => e.id)).toEqual(["559657", "559659"]);
    expect(sel.entries.every((e) => e.eventMarketCount === 2)).toBe(true);
    expect(sel.negRiskEvents).toBe(1);
  });

  it("leaves the event out entirely when no outcome passes (resolution 2028 is beyond 7 days)", () => {
    const sel = selectMarkets(events, { ...loose, maxDaysToResolution: 7 }, Date.parse("2026-11-24T00:00:00Z"));
    expect(sel.entries).toEqual([]);
    expect(sel.rejected).toEqual({ end_date: 2 });
  });

  it("names the first filter a market fails", () => {
    const now = Date.parse("2026-03-12T09:00:00Z");
    expect(rejectReason(btc, undefined, { ...loose, maxDaysToResolution: 1 }, now)).toBeUndefined();
    expect(rejectReason(btc, undefined, { ...loose, minLiquidityUsd: 30_000 }, now)).toBe("liquidity");
    expect(rejectReason(btc, undefined, { ...loose, minVolume24hUsd: 100 }, now)).toBe("volume");
    expect(rejectReason(btc, undefined, { ...loose, minPrice: 0.6 }, now)).toBe("price");
    expect(rejectReason(btc, undefined, { ...loose, maxDaysToResolution: 1 }, now + 86_400_000)).toBe("end_date");
    expect(rejectReason({ ...btc, acceptingOrders: false }, undefined, loose, now)).toBe("not_accepting_orders");
    expect(rejectReason({ ...btc, closed: true }, undefined, loose, now)).toBe("closed");
    expect(rejectReason(btc, undefined, { ...loose, tags: ["crypto"] }, now)).toBe("tags");
  });
});
