import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { checkWsConfig, httpUrlEntry, idlePingHeartbeat, msEntry } from "./config.ts";

describe("idlePingHeartbeat", () => {
  it("does check every half ping interval, idle only, with the pong deadline given", () => {
    const isPong = (f: string): boolean => f === "pong";
    expect(idlePingHeartbeat(20_000, 5_000, "ping", isPong)).toEqual({ intervalMs: 10_000, idleOnly: true, payload: "ping", isPong, timeoutMs: 5_000 });
  });

  it("does round the half interval down and never below 1 ms", () => {
    const isPong = (): boolean => false;
    expect(idlePingHeartbeat(3, 1, "p", isPong).intervalMs).toBe(1);
    expect(idlePingHeartbeat(1, 1, "p", isPong).intervalMs).toBe(1);
    expect(idlePingHeartbeat(0, 1, "p", isPong).intervalMs).toBe(1);
  });
});

describe("msEntry", () => {
  it("does take whole ms at or above the minimum, default when absent", () => {
    const schema = v.object({ t_ms: msEntry(5_000, "wait", 100) });
    expect(v.parse(schema, {})).toEqual({ t_ms: 5_000 });
    expect(v.parse(schema, { t_ms: 100 })).toEqual({ t_ms: 100 });
    expect(v.safeParse(schema, { t_ms: 99 }).success).toBe(false);
    expect(v.safeParse(schema, { t_ms: 150.5 }).success).toBe(false);
    expect(v.safeParse(v.object({ t_ms: msEntry(1, "x") }), { t_ms: -1 }).success).toBe(false);
  });
});

describe("httpUrlEntry", () => {
  it("does take http(s) urls only, default when absent", () => {
    const schema = v.object({ url: httpUrlEntry("https://a.example", "base") });
    expect(v.parse(schema, {})).toEqual({ url: "https://a.example" });
    expect(v.parse(schema, { url: "http://127.0.0.1:1" })).toEqual({ url: "http://127.0.0.1:1" });
    const bad = v.safeParse(schema, { url: "ws://a.example" });
    expect(bad.success).toBe(false);
    expect(bad.issues?.[0]?.message).toBe("expected an http(s):// url");
  });
});

describe("checkWsConfig", () => {
  const base = { reconnect_min_ms: 1, reconnect_max_ms: 10, connect_timeout_ms: 1, stale_after_ms: 0 };
  const none = "set ws_url or ws_urls: the feed has no endpoint to connect to";

  it("does accept a table without endpoints only when the venue has a default", () => {
    expect(checkWsConfig(base)).toEqual([none]);
    expect(checkWsConfig(base, "wss://venue.example/ws")).toEqual([]);
  });

  it("does refuse an empty ws_urls even with a default", () => {
    expect(checkWsConfig({ ...base, ws_urls: [] }, "wss://venue.example/ws")).toEqual([none]);
    expect(checkWsConfig({ ...base, ws_urls: [], ws_url: "wss://a.example" }, "wss://venue.example/ws")).toEqual([]);
  });
});
