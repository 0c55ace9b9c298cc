import { describe, expect, it } from "bun:test";
import { alertKnobs, instrumentFilter, strategyKnobs, trackerOptions } from "./knobs.ts";

describe("instrumentFilter", () => {
  it("does take every instrument when the knob is omitted", () => {
    expect(instrumentFilter(undefined)("ANY", "ANY-KEY")).toBe(true);
  });

  it("does take an instrument listed by venue id or by key, and nothing else", () => {
    const wants = instrumentFilter(["BTCUSDT", "ETH-USDT-PERP"]);
    expect(wants("BTCUSDT", "BTC-USDT-PERP")).toBe(true);
    expect(wants("ETHUSDT", "ETH-USDT-PERP")).toBe(true);
    expect(wants("SOLUSDT", "SOL-USDT-PERP")).toBe(false);
    expect(instrumentFilter([])("BTCUSDT", "BTC-USDT-PERP")).toBe(false);
  });
});

describe("trackerOptions", () => {
  it("does map the shared knobs onto tracker options", () => {
    expect(trackerOptions({ min_duration_ms: 500, cooldown_ms: 60_000, severity: "warning" })).toEqual({ minDurationMs: 500, cooldownMs: 60_000, severity: "warning" });
  });
});

describe("alertKnobs", () => {
  it("does carry the shared knobs' own schemas for feeds, instruments, debounce, cooldown and severity", () => {
    expect(Object.keys(alertKnobs)).toEqual(["feeds", "instruments", "min_duration_ms", "cooldown_ms", "severity"]);
    for (const [name, schema] of Object.entries(alertKnobs)) expect(schema).toBe(strategyKnobs[name as keyof typeof alertKnobs]);
  });
});
