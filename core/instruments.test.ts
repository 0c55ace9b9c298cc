import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { Bus } from "./bus.ts";
import { ManualClock } from "./clock.ts";
import {
  QuoteRates,
  formatInstrumentKey,
  parseInstrumentKey,
  quoteCurrency,
  quoteRatesSchema,
  sameMarketExceptQuote,
} from "./instruments.ts";
import { silentLogger } from "./log.ts";
import { createMarketStore, defaultHealthSettings } from "./store.ts";

describe("instrument keys", () => {
  it("parses and formats BASE-QUOTE-KIND keys", () => {
    expect(parseInstrumentKey("BTC-USDT-PERP")).toEqual({ base: "BTC", quote: "USDT", kind: "PERP", extra: [] });
    expect(parseInstrumentKey("ETH-USD-FUT-20260327")).toEqual({ base: "ETH", quote: "USD", kind: "FUT", extra: ["20260327"] });
    expect(formatInstrumentKey({ base: "BTC", quote: "USDC", kind: "PERP" })).toBe("BTC-USDC-PERP");
    expect(quoteCurrency("BTC-USD-PERP")).toBe("USD");
  });

  it("rejects what is not a key", () => {
    for (const bad of ["BTCUSDT", "BTC-USDT", "BTC-USDT-SWAP", "BTC--PERP", "BTC-usdt-PERP", "65818619657568813474"]) {
      expect(parseInstrumentKey(bad)).toBeUndefined();
    }
    expect(() => formatInstrumentKey({ base: "BTC", quote: "usd", kind: "PERP" })).toThrow(RangeError);
  });

  it("tells markets that differ only by quote currency", () => {
    expect(sameMarketExceptQuote("BTC-USDT-PERP", "BTC-USDC-PERP")).toBe(true);
    expect(sameMarketExceptQuote("BTC-USDT-PERP", "BTC-USDT-SPOT")).toBe(false);
    expect(sameMarketExceptQuote("BTC-USDT-PERP", "ETH-USDT-PERP")).toBe(false);
    expect(sameMarketExceptQuote("BTC-USD-FUT-20260327", "BTC-USDT-FUT-20260626")).toBe(false);
  });
});

describe("QuoteRates", () => {
  it("converts only through configured rates, both ways", () => {
    const r = new QuoteRates({ USDC_USDT: 1.0002 });
    expect(r.convert(100, "USDT", "USDT")).toBe(100);
    expect(r.convert(100_000, "USDC", "USDT")).toBeCloseTo(100_020, 9);
    expect(r.convert(100_020, "USDT", "USDC")).toBeCloseTo(100_000, 9);
    expect(r.convert(100, "USD", "USDT")).toBeUndefined();
    expect(r.has("USDT", "USDC")).toBe(true);
    expect(r.has("USD", "USDC")).toBe(false);
  });

  it("follows a live quote's mid and refuses it while that quote is not fresh", () => {
    const bus = new Bus();
    const clock = new ManualClock(1000);
    const store = createMarketStore({ bus, clock, health: defaultHealthSettings, log: silentLogger });
    const r = new QuoteRates({ USDC_USDT: "fx:USDC-USDT" }, store);
    expect(r.rate("USDC", "USDT")).toBeUndefined();
    bus.emit("feed.status", { feed: "fx", state: "live", reasons: [], ts: 1000 });
    const w = store.writer("fx");
    w.quote({ feed: "fx", instrument: "USDC-USDT", key: "USDC-USDT-SPOT", tsEvent: 1000, tsRecv: 1000, bid: 0.9998, ask: 1.0002, bidSize: 1, askSize: 1 });
    w.endFrame(1000);
    expect(r.rate("USDC", "USDT")).toBeCloseTo(1, 12);
    expect(r.convert(50, "USDT", "USDC")).toBeCloseTo(50, 9);
    bus.emit("feed.status", { feed: "fx", state: "stale", reasons: [], ts: 1000 });
    expect(r.convert(50, "USDC", "USDT")).toBeUndefined();
    store.stop();
  });

  it("rejects malformed entries", () => {
    expect(() => new QuoteRates({ USDCUSDT: 1 })).toThrow(RangeError);
    expect(() => new QuoteRates({ USDC_USDT: 0 })).toThrow(RangeError);
    expect(() => new QuoteRates({ USDC_USDT: "nofeed" })).toThrow(RangeError);
    expect(() => new QuoteRates({ USDC_USDT: "fx:X" })).toThrow(RangeError);
  });

  it("validates a quote_rates table with its schema", () => {
    expect(v.safeParse(quoteRatesSchema, { USDC_USDT: 1.0, USD_USDT: "venue_a:USDT-USD" }).success).toBe(true);
    expect(v.safeParse(quoteRatesSchema, { usdc_usdt: 1 }).success).toBe(false);
    expect(v.safeParse(quoteRatesSchema, { USDC_USDT: -1 }).success).toBe(false);
    expect(v.safeParse(quoteRatesSchema, { USDC_USDT: "venue_a" }).success).toBe(false);
  });
});
