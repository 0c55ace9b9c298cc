import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { bybitConfigSchema } from "../../plugins/feeds/bybit/config.ts";
import { paradexConfigSchema } from "../../plugins/feeds/paradex/config.ts";
import { binanceConfigSchema } from "../../plugins/feeds/binance/config.ts";

function problems(schema: v.GenericSchema, input: unknown): string[] {
  const r = v.safeParse(schema, input);
  return r.success ? [] : r.issues.map((i) => i.message);
}

describe("perp venues II config", () => {
  it("fills the documented defaults", () => {
    expect(v.parse(binanceConfigSchema, { instruments: ["BTCUSDT"] })).toMatchObject({
      channels: ["depth"], depth_update_ms: 100, depth_snapshot_limit: 1000, max_per_connection: 200, max_messages_per_s: 5,
      reconnect_before_ms: 85_800_000, taker_fee_bps: 5, maker_fee_bps: 2, stale_after_ms: 30_000,
    });
    expect(v.parse(bybitConfigSchema, { instruments: ["BTCUSDT"] })).toMatchObject({ channels: ["orderbook"], orderbook_depth: 50, ping_interval_ms: 20_000, taker_fee_bps: 5.5, maker_fee_bps: 2 });
    expect(v.parse(paradexConfigSchema, { instruments: ["BTC-USD-PERP"] })).toMatchObject({ channels: ["order_book"], book_feed: "snapshot", refresh_rate_ms: 50, sbe: true, sbe_schema_version: 1, taker_fee_bps: 2, maker_fee_bps: 0 });
  });

  it("refuses two book channels, unknown keys, wrong symbols and limits past the venue's", () => {
    expect(problems(binanceConfigSchema, { instruments: ["BTCUSDT"], channels: ["depth", "bookTicker"] })).toEqual(["channels has depth, bookTicker: choose one, they would overwrite each other's book"]);
    expect(problems(binanceConfigSchema, { instruments: ["btcusdt"] })[0]).toContain("upper case");
    expect(problems(binanceConfigSchema, { instruments: ["BTCUSDT"], max_per_connection: 300 }).length).toBe(1);
    expect(problems(binanceConfigSchema, { instruments: ["BTCUSDT"], max_messages_per_s: 11 }).length).toBe(1);
    expect(problems(binanceConfigSchema, { instruments: ["BTCUSDT"], reconnect_before_ms: 90_000_000 })[0]).toContain("24 hours");
    expect(problems(paradexConfigSchema, { instruments: ["BTC-USD-PERP"], channels: ["order_book", "bbo"] })[0]).toContain("choose one");
    expect(problems(paradexConfigSchema, { instruments: ["BTC-USD-PERP"], depth: 20 })[0]).toContain("depth");
    expect(problems(bybitConfigSchema, { instruments: ["BTCUSDT", "BTCUSDT"] })).toEqual(["instruments lists BTCUSDT more than once"]);
    expect(problems(bybitConfigSchema, { instruments: ["BTCUSDT"], orderbook_depth: 25 }).length).toBe(1);
  });
});
