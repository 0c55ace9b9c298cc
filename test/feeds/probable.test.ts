/**
 * The Probable feed (REST polling) against its fake: both books of each market equal to the venue's after
 * changes, requests paced to max_requests_per_s, HTTP failures ridden out, books stale after missed rounds
 * and the feed stale when nothing answers (a stalled venue), recovery, market.new from the market API.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { ManualClock } from "../../core/clock.ts";
import type { FeedStatus, MarketNew } from "../../core/events.ts";
import { probableFeed } from "../../plugins/feeds/probable/index.ts";
import { levelsText, startFeedRig, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { FakeProbable } from "../fakes/probable/server.ts";

let fake: FakeProbable | undefined;
let rig: FeedRig | undefined;
afterEach(async () => {
  fake?.release();
  await rig?.stop();
  fake?.stop();
  rig = fake = undefined;
});

async function start(extra = "", pollMs = 1000): Promise<{ r: FeedRig; f: FakeProbable; statuses: FeedStatus[]; news: MarketNew[] }> {
  const clock = new ManualClock(1_700_000_000_000);
  const f = (fake = new FakeProbable({ clock, markets: ["11", "22"] }));
  const table = `[feeds.pb]\nplugin = "probable"\nrest_url = "${f.httpUrl}"\nmarket_api_url = "${f.httpUrl}"\nmarkets = ["11", "22"]\npoll_interval_ms = ${pollMs}\nmax_requests_per_s = 20\nrequest_timeout_ms = 300\n${extra}`;
  const r = (rig = await startFeedRig([probableFeed], "pb", table, {}, clock, [f.venue]));
  const statuses: FeedStatus[] = [];
  const news: MarketNew[] = [];
  r.rt.bus.on("feed.status", (s) => void statuses.push(s));
  r.rt.bus.on("market.new", (m) => void news.push(m));
  await r.settle(() => ["0x11a", "0x11b", "0x22a", "0x22b"].every((t) => r.book(t)?.state === "live"), "books live", 20);
  return { r, f, statuses, news };
}

const same = (r: FeedRig, f: FakeProbable, token: string): boolean => {
  const mine = r.depth(token);
  const want = f.levels(token);
  return mine !== undefined && levelsText(mine.bids) === levelsText(want.bids) && levelsText(mine.asks) === levelsText(want.asks);
};

describe("probable feed (REST polling) against the fake venue", () => {
  setDefaultTimeout(20_000);

  it("keeps both books of each market equal to the venue's, one market per frame, and says it is polled", async () => {
    const { r, f } = await start();
    const tokens = ["0x11a", "0x11b", "0x22a", "0x22b"];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) for (const t of tokens) f.change(t);
      const before = f.requests.length;
      await r.settle(() => f.requests.length >= before + 4, "a full round", 20);
      await r.settle(() => tokens.every((t) => same(r, f, t)), "books equal after the round", 20);
    }
    for (const t of tokens) expect(r.fresh(t)).toBe(true);
    expect(r.row().state).toBe("live");
    expect(r.row().reasons).toEqual(["polled over REST every 1000 ms (no documented socket protocol)"]);
    expect(r.row().errors).toBe(0);
  });

  it("paces its requests to max_requests_per_s on the clock", async () => {
    const { r, f } = await start("", 100); // 4 requests every 100 ms would be 40/s unpaced
    await r.run(3_000, 10);
    expect(f.requests.length).toBeGreaterThanOrEqual(12);
    // 20 requests/s: any 11 consecutive requests span at least 500 ms (arrival times carry some network lag)
    const spans = f.requests.slice(10).map((x, i) => x.at - f.requests[i]!.at);
    expect(Math.min(...spans)).toBeGreaterThanOrEqual(450);
  });

  it("rides out failing answers, then marks books and the feed stale when nothing answers, and recovers", async () => {
    const { r, f, statuses } = await start();
    f.failNext = 3;
    await r.run(2_000, 20);
    expect(r.row().errors).toBeGreaterThanOrEqual(3);
    expect(r.fresh("0x11a")).toBe(true);
    f.hang = true; // the venue stops answering: every request times out
    await r.settle(() => r.book("0x11a")?.state === "stale" && r.row().state === "stale", "stale books and feed", 100, 10_000);
    expect(r.fresh("0x22b")).toBe(false);
    expect(statuses.at(-1)?.reasons[0]).toMatch(/^no book answered for \d+ ms/);
    f.release();
    f.change("0x11a");
    await r.settle(() => r.row().state === "live" && same(r, f, "0x11a") && r.book("0x11a")?.state === "live", "recovered", 20, 10_000);
    expect(r.fresh("0x11a")).toBe(true);
  });

  it("announces each market with its tokens, the fee model and its polling cadence", async () => {
    const { news } = await start();
    expect(news.map((m) => [m.instrument, m.instruments])).toEqual([["11", ["0x11a", "0x11b"]], ["22", ["0x22a", "0x22b"]]]);
    expect(news[0]).toMatchObject({ question: "Will probable market 11 resolve Yes?", outcomes: ["Yes", "No"], meta: { feeModel: { kind: "min_side", rate: 0.0175 }, polledEveryMs: 1000 } });
  });
});
