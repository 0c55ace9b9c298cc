import { describe, expect, it } from "bun:test";
import type { MarketNew } from "../../core/events.ts";
import { testStrategy } from "../../core/testing.ts";
import { marketWatch, matches } from "./index.ts";

const market = (id: string, question: string, slug?: string): MarketNew => ({
  feed: "pm",
  instrument: id,
  key: id,
  tsEvent: 0,
  tsRecv: 0,
  question,
  ...(slug === undefined ? {} : { slug }),
  outcomes: ["Yes", "No"],
  instruments: [`${id}-y`, `${id}-n`],
});
const start = (extra: Record<string, unknown> = {}) => testStrategy(marketWatch, { feeds: ["pm"], ...extra });

describe("market-watch", () => {
  it("does alert on a new matching market once, and ignore others", async () => {
    const h = await start({ keywords: ["bitcoin"], exclude: ["5m"] });
    h.emit("market.new", market("m1", "Will Bitcoin reach $200k?"));
    h.emit("market.new", market("m1", "Will Bitcoin reach $200k?"));
    h.emit("market.new", market("m2", "Will it rain?"));
    h.emit("market.new", market("m3", "Bitcoin up or down", "btc-updown-5m-1773307200"));
    h.emit("market.new", { ...market("m4", "Bitcoin?"), feed: "other" });
    expect(h.alerts.map((a) => a.key)).toEqual(["market-watch:new:pm:m1"]);
    expect(h.alerts[0]!.title).toBe("new market: Will Bitcoin reach $200k?");
    expect(h.alerts[0]!.dataAgeMs).toBeUndefined();
    await h.stop();
  });

  it("does report resolutions and tick-size changes of matching markets only", async () => {
    const h = await start({ keywords: ["election"], new_markets: false });
    h.emit("market.new", market("m1", "Who wins the election?"));
    h.emit("market.new", market("m2", "Will it rain?"));
    h.emit("market.tick_size", { feed: "pm", instrument: "m1-y", key: "m1-y", tsEvent: 0, tsRecv: 0, oldTickSize: 0.01, newTickSize: 0.001 });
    h.emit("market.tick_size", { feed: "pm", instrument: "m2-y", key: "m2-y", tsEvent: 0, tsRecv: 0, oldTickSize: 0.01, newTickSize: 0.001 });
    h.emit("market.resolved", { feed: "pm", instrument: "m1", key: "m1", tsEvent: 0, tsRecv: 0, winningOutcome: "Yes" });
    h.emit("market.resolved", { feed: "pm", instrument: "m2", key: "m2", tsEvent: 0, tsRecv: 0, winningOutcome: "No" });
    expect(h.alerts.map((a) => a.title)).toEqual(["tick size 0.01 → 0.001: Who wins the election?", "resolved: Who wins the election? → Yes"]);
    await h.stop();
  });

  it("does hold repeated alerts of one key within cooldown_ms", async () => {
    const h = await start({ cooldown_ms: 60_000 });
    const tick = (n: number) => h.emit("market.tick_size", { feed: "pm", instrument: "m1-y", key: "m1-y", tsEvent: 0, tsRecv: 0, oldTickSize: 0.01, newTickSize: n });
    h.emit("market.new", market("m1", "Q?"));
    tick(0.001);
    tick(0.001);
    h.advance(60_000);
    tick(0.001);
    expect(h.alerts.filter((a) => a.key.includes("tick"))).toHaveLength(2);
    await h.stop();
  });

  it("does reject an invalid pattern", async () => {
    await expect(start({ pattern: "(" })).rejects.toThrow("not a valid regular expression");
  });
});

describe("matches", () => {
  it("does combine keywords, exclusions and a pattern", () => {
    const c = { keywords: ["fed"], exclude: ["cut"], pattern: "^Will" };
    expect(matches(c, { question: "Will the Fed hike?" })).toBe(true);
    expect(matches(c, { question: "Will the Fed cut?" })).toBe(false);
    expect(matches(c, { question: "Fed hikes?" })).toBe(false);
    expect(matches({}, { question: "anything" })).toBe(true);
  });
});
