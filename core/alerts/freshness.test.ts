import { describe, expect, it } from "bun:test";
import type { Opportunity, OpportunityClosed, OpportunityLeg } from "../events.ts";
import type { Freshness } from "../market.ts";
import { makeAlert, routerKit, settle } from "./test-kit.ts";

const route = { notifiers: ["tg"], cooldown_ms: 0 };
const QUIET_MS = 10 * 60_000;

function leg(feed: string, instrument: string, side: "buy" | "sell"): OpportunityLeg {
  return { feed, instrument, key: instrument, side, size: 1, vwap: 0.5, worstPrice: 0.5, feeUsd: 0, notionalUsd: 0.5 };
}

function opportunity(id: string): Opportunity {
  return {
    id,
    strategy: "arb",
    kind: "negrisk",
    legs: [leg("pm", "YES-1", "buy"), leg("pm", "YES-2", "buy")],
    edgeBps: 120,
    sizeUsd: 100,
    profitUsd: 1.2,
    peakEdgeBps: 120,
    openedAt: 0,
    updatedAt: 0,
    severity: "warning",
  };
}

/** A store stand-in: every book quiet for ten minutes and valid, except the ones given. */
function freshness(bad: Record<string, Freshness> = {}) {
  const asked: string[] = [];
  const fresh = (feed: string, instrument: string): Freshness => {
    asked.push(`${feed}:${instrument}`);
    return bad[`${feed}:${instrument}`] ?? { ok: true, reasons: [], ageMs: QUIET_MS };
  };
  return { fresh, asked };
}

describe("alert router freshness gate", () => {
  it("delivers an opportunity alert built on quiet but valid books, with its dataAgeMs as given", async () => {
    const f = freshness();
    const k = routerKit({ routes: [route] }, ["tg"], { fresh: f.fresh });
    const a = makeAlert({ opportunity: opportunity("o1"), dataAgeMs: QUIET_MS });
    k.bus.emit("alert", a);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([a.id]);
    expect(k.n("tg").sent[0]!.alert.dataAgeMs).toBe(QUIET_MS);
    expect(f.asked).toEqual(["pm:YES-1", "pm:YES-2"]);
    expect(k.router.stats().suppressed).toEqual({});
    await k.router.stop();
  });

  it("refuses an opportunity alert with a resyncing leg, counted as resyncing and stored as suppressed", async () => {
    const f = freshness({ "pm:YES-2": { ok: false, reasons: ["resyncing"], ageMs: 5 } });
    const k = routerKit({ routes: [route] }, ["tg"], { fresh: f.fresh });
    const a = makeAlert({ opportunity: opportunity("o2"), dataAgeMs: 5 });
    k.bus.emit("alert", a);
    await settle();
    expect(k.n("tg").calls).toHaveLength(0);
    expect(k.router.stats().suppressed).toEqual({ resyncing: 1 });
    expect(k.router.stats().totals.tg!.suppressed).toBe(1);
    expect(k.router.recent(1)[0]!.deliveries.tg).toMatchObject({ state: "suppressed", error: "resyncing" });
    await k.router.stop();
  });

  it("refuses a feed + instrument alert on a down feed, and lets health, close and book-less alerts through", async () => {
    const f = freshness({
      "venue:BTC": { ok: false, reasons: ["feed_down", "stale"], ageMs: 0 },
      "venue:TRADES": { ok: false, reasons: ["no_book"], ageMs: 0 },
    });
    const k = routerKit({ routes: [route] }, ["tg"], { fresh: f.fresh });
    const priced = makeAlert({ kind: "info", feed: "venue", instrument: "BTC", dataAgeMs: 0 });
    const health = makeAlert({ kind: "health", feed: "venue" });
    const cleared = makeAlert({ kind: "info", feed: "venue", instrument: "BTC" });
    const trades = makeAlert({ kind: "info", feed: "venue", instrument: "TRADES", dataAgeMs: 0 });
    const closed: OpportunityClosed = { ...opportunity("o3"), legs: [leg("venue", "BTC", "buy")], closedAt: 1, durationMs: 1, reason: "feed_down" };
    const close = makeAlert({ opportunity: closed });
    for (const a of [priced, health, cleared, trades, close]) k.bus.emit("alert", a);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([health.id, cleared.id, trades.id, close.id]);
    expect(k.router.stats().suppressed).toEqual({ feed_down: 1 });
    await k.router.stop();
  });

  it("checks nothing when no freshness source is given", async () => {
    const k = routerKit({ routes: [route] }, ["tg"]);
    const a = makeAlert({ opportunity: opportunity("o4"), dataAgeMs: QUIET_MS });
    k.bus.emit("alert", a);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([a.id]);
    await k.router.stop();
  });
});
