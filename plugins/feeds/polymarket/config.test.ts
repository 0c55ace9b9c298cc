import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { rtdsConfigSchema } from "../polymarket-rtds/config.ts";
import { polymarketConfigSchema } from "./config.ts";

const issues = (schema: v.GenericSchema, input: unknown) => {
  const r = v.safeParse(schema, input);
  return r.success ? [] : r.issues.map((i) => i.message);
};

describe("polymarket config", () => {
  it("has the seed's defaults", () => {
    const c = v.parse(polymarketConfigSchema, { discovery: {} });
    expect(c).toMatchObject({ max_assets_per_connection: 200, ping_interval_ms: 10_000, rest_url: "https://clob.polymarket.com", gamma_url: "https://gamma-api.polymarket.com" });
    expect(c.discovery).toMatchObject({ min_liquidity_usd: 10_000, max_days_to_resolution: 7, min_price: 0.01, max_price: 0.99, accepting_orders: true });
  });

  it("says what is wrong in plain sentences", () => {
    expect(issues(polymarketConfigSchema, {})).toEqual(["nothing to subscribe: add a [discovery] table, or list assets (token ids) or markets (condition ids)"]);
    expect(issues(polymarketConfigSchema, { discovery: { min_price: 0.9, max_price: 0.1 } })).toEqual(["discovery.min_price (0.9) is above discovery.max_price (0.1)"]);
    expect(issues(polymarketConfigSchema, { assets: ["1"], rest_batch_size: 900 })[0]).toContain("rest_batch_size (900)");
    expect(issues(polymarketConfigSchema, { assets: ["1"], user: { api_key: "k" } }).length).toBeGreaterThan(0);
    expect(issues(polymarketConfigSchema, { assets: ["1"], bogus: 1 }).length).toBe(1);
  });

  it("checks RTDS subscriptions", () => {
    expect(issues(rtdsConfigSchema, { subscriptions: [] }).length).toBe(1);
    expect(issues(rtdsConfigSchema, { subscriptions: [{ topic: "crypto_prices", event_slug: "x" }] })).toEqual(["subscriptions[0]: event_slug/market_slug apply to the activity topic only"]);
    expect(issues(rtdsConfigSchema, { subscriptions: [{ topic: "clob_user" }] }).length).toBe(1);
    expect(v.parse(rtdsConfigSchema, { subscriptions: [{ topic: "activity" }] })).toMatchObject({ ping_interval_ms: 5_000, stall_after_ms: 60_000 });
  });
});
