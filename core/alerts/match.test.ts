import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { ManualClock } from "../clock.ts";
import { alertsProblems, alertsSchema } from "./config.ts";
import { WindowLimiter } from "./limiter.ts";
import { inQuietHours, parseDuration, routeMatches } from "./match.ts";
import { makeAlert } from "./test-kit.ts";

describe("parseDuration", () => {
  it("reads chat durations and refuses nonsense", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration("15")).toBe(900_000);
    expect(parseDuration("0")).toBeUndefined();
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration("31d")).toBeUndefined();
  });
});

describe("inQuietHours", () => {
  it("handles windows that cross midnight and time zones", () => {
    const q = { start: "23:00", end: "07:00", tz: "UTC", min_severity: "critical" as const };
    expect(inQuietHours(q, Date.UTC(2026, 5, 1, 23, 0))).toBe(true);
    expect(inQuietHours(q, Date.UTC(2026, 5, 1, 6, 59))).toBe(true);
    expect(inQuietHours(q, Date.UTC(2026, 5, 1, 7, 0))).toBe(false);
    expect(inQuietHours(q, Date.UTC(2026, 5, 1, 12, 0))).toBe(false);
    // 21:30 UTC is 23:30 in Berlin in summer
    expect(inQuietHours({ ...q, tz: "Europe/Berlin" }, Date.UTC(2026, 5, 1, 21, 30))).toBe(true);
    const day = { ...q, start: "09:00", end: "17:00" };
    expect(inQuietHours(day, Date.UTC(2026, 5, 1, 12, 0))).toBe(true);
    expect(inQuietHours(day, Date.UTC(2026, 5, 1, 18, 0))).toBe(false);
  });
});

describe("routeMatches", () => {
  it("matches instruments through opportunity legs and keys", () => {
    const route = v.parse(alertsSchema, { routes: [{ instruments: ["BTC-USDC-PERP"], notifiers: ["x"] }] }).routes[0]!;
    const leg = { feed: "f", instrument: "BTC", key: "BTC-USDC-PERP", side: "buy" as const, size: 1, vwap: 1, worstPrice: 1, feeUsd: 0, notionalUsd: 1 };
    const opp = { id: "o", strategy: "s", kind: "k", legs: [leg], edgeBps: 1, sizeUsd: 1, profitUsd: 1, peakEdgeBps: 1, openedAt: 0, updatedAt: 0, severity: "info" as const };
    expect(routeMatches(route, makeAlert({ opportunity: opp }))).toBe(true);
    expect(routeMatches(route, makeAlert({ instrument: "ETH" }))).toBe(false);
    expect(routeMatches(route, makeAlert())).toBe(false);
  });
});

describe("alertsSchema", () => {
  it("rejects unknown keys and fills documented defaults", () => {
    expect(v.safeParse(alertsSchema, { digest_afterr: 3 }).success).toBe(false);
    expect(v.safeParse(alertsSchema, { quiet_hours: { start: "25:00", end: "07:00" } }).success).toBe(false);
    expect(v.safeParse(alertsSchema, { quiet_hours: { start: "23:00", end: "07:00", tz: "Mars/Olympus" } }).success).toBe(false);
    const cfg = v.parse(alertsSchema, { routes: [{ notifiers: ["tg"] }] });
    expect(cfg).toMatchObject({ dedupe_window_ms: 300_000, digest_after: 3, digest_max_items: 30, max_data_age_ms: 0 });
    expect(cfg.routes[0]).toMatchObject({ min_severity: "info", cooldown_ms: 60_000 });
  });

  it("names routes to notifiers that do not exist", () => {
    const cfg = v.parse(alertsSchema, { routes: [{ notifiers: ["tg", "dicsord"] }] });
    expect(alertsProblems(cfg, ["tg", "discord"])).toEqual([
      { path: "alerts.routes[0].notifiers[1]", message: 'no notifier "dicsord" (configured: tg, discord)' },
    ]);
  });
});

describe("WindowLimiter", () => {
  it("holds every window and a service's retry-after", () => {
    const clock = new ManualClock(0);
    const lim = new WindowLimiter(clock, [{ count: 1, perMs: 1_000 }, { count: 3, perMs: 10_000 }]);
    expect(lim.waitMs()).toBe(0);
    lim.record();
    expect(lim.waitMs()).toBe(1_000);
    clock.advance(1_000);
    lim.record();
    clock.advance(1_000);
    lim.record();
    clock.advance(1_000);
    expect(lim.waitMs()).toBe(7_000);
    clock.advance(7_000);
    expect(lim.waitMs()).toBe(0);
    lim.holdFor(2_500);
    expect(lim.waitMs()).toBe(2_500);
  });
});
