import { afterEach, describe, expect, it } from "bun:test";
import { binaryArb } from "../../strategies/binary-arb/index.ts";
import type { FakeMarket } from "../fakes/polymarket/model.ts";
import { fakeUrls, type PolyKit, startPoly } from "./polymarket-kit.ts";

let kit: PolyKit | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

describe("polymarket feed → binary-arb (catalog through market.new)", () => {
  it("signals a negRisk event discovered whole, and only once every outcome's book is live", async () => {
    let outcomes: FakeMarket[] = [];
    kit = await startPoly(
      (u) => `${fakeUrls(u)}
snapshot_timeout_ms = 0
rest_poll_ms = 0
[feeds.pm.discovery]
min_liquidity_usd = 10000`,
      {
        plugins: [binaryArb],
        tail: `[strategies.arb]
plugin = "binary-arb"
feeds = ["pm"]
min_edge_bps = 10
size_usd = 50
split_and_sell = false`,
        prepare(clob, gamma) {
          outcomes = [0, 1, 2].map(() => clob.addMarket({ negRisk: true }));
          // YES asks 0.30 + 0.30 + 0.30 = 0.90 for a payout of 1: an edge of ~1111 bps before fees (none here)
          for (const m of outcomes) {
            m.set("ask", 0.3, 100);
            m.set("bid", 0.25, 100);
          }
          gamma.add({
            id: "ev",
            negRisk: true,
            // only the favourite passes the filters itself; the long shots come with the event
            markets: [
              { market: outcomes[0]!, liquidity: 50_000, yesPrice: 0.3 },
              { market: outcomes[1]!, liquidity: 500, yesPrice: 0.3 },
              { market: outcomes[2]!, liquidity: 500, yesPrice: 0.005 },
            ],
          });
        },
      },
    );
    const k = kit;
    await k.drive(() => k.seen("opportunity.open").length > 0, "opportunity", 30_000);
    const o = k.seen("opportunity.open")[0]!;
    expect(o.strategy).toBe("arb");
    expect(o.legs.map((l) => l.instrument).sort()).toEqual(outcomes.map((m) => m.yes).sort());
    expect(o.edgeBps).toBeCloseTo(10_000 * (1 - 0.9) / 0.9, 6);
    // every outcome was live when it opened: the three YES books are the venue's
    for (const m of outcomes) expect(k.matches(m, m.yes)).toBe(true);
  });
});
