/**
 * The Predict.fun feed against its fake: an API key on the socket and REST, whole-book pushes kept as
 * YES and NO books equal to the venue's, the 15-second heartbeat echoed (a silent client is cut off),
 * a dropped connection, a silent stall, a withheld first book fetched over REST, a late older push.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { ManualClock } from "../../core/clock.ts";
import type { MarketNew } from "../../core/events.ts";
import { predictfunFeed } from "../../plugins/feeds/predictfun/index.ts";
import { levelsText, startFeedRig, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { waitFor } from "../fakes/fake-venue.ts";
import { FakePredict } from "../fakes/predictfun/server.ts";

const KEY = "pk-test-123456";
let fake: FakePredict | undefined;
let rig: FeedRig | undefined;
afterEach(async () => {
  await rig?.stop();
  fake?.stop();
  rig = fake = undefined;
});

async function start(opts: { withhold?: string[] } = {}): Promise<{ r: FeedRig; f: FakePredict }> {
  const clock = new ManualClock(1_700_000_000_000);
  const f = (fake = new FakePredict({ clock, markets: ["101", "202"], apiKey: KEY }));
  for (const m of opts.withhold ?? []) f.withhold.add(m);
  const table = `[feeds.pf]\nplugin = "predictfun"\nws_url = "${f.url}"\nrest_url = "${f.venue.httpUrl}"\nmarkets = ["101", "202"]\napi_key = "\${PREDICT_API_KEY}"\nreconnect_min_ms = 100\nreconnect_max_ms = 1000\n`;
  const r = (rig = await startFeedRig([predictfunFeed], "pf", table, { PREDICT_API_KEY: KEY }, clock, [f.venue]));
  if ((opts.withhold ?? []).length === 0) await r.settle(() => ["101", "202"].every((m) => r.book(`${m}:yes`)?.state === "live"), "books live");
  return { r, f };
}

function same(r: FeedRig, f: FakePredict, id: string): boolean {
  const want = f.books(id);
  const yes = r.depth(`${id}:yes`);
  const no = r.depth(`${id}:no`);
  return yes !== undefined && no !== undefined && levelsText(yes.bids) === levelsText(want.yes.bids) && levelsText(yes.asks) === levelsText(want.yes.asks) && levelsText(no.bids) === levelsText(want.no.bids) && levelsText(no.asks) === levelsText(want.no.asks);
}

async function synced(r: FeedRig, f: FakePredict, id: string, what: string): Promise<void> {
  await waitFor(() => same(r, f, id) && r.book(`${id}:yes`)?.state === "live" && r.book(`${id}:no`)?.state === "live", `${what}: ${id} equal to the venue`);
  expect(r.fresh(`${id}:yes`)).toBe(true);
  expect(r.fresh(`${id}:no`)).toBe(true);
}

describe("predictfun feed against the fake venue", () => {
  setDefaultTimeout(20_000);

  it("sends its API key and keeps YES and NO books equal to the venue's through 500 whole-book pushes", async () => {
    const { r, f } = await start();
    expect(f.unauthorized).toBe(0);
    for (let i = 0; i < 500; i++) {
      f.change("101");
      if (i % 2 === 0) f.change("202");
      if (i % 100 === 0) await Bun.sleep(1);
    }
    await synced(r, f, "101", "after 500 pushes");
    await synced(r, f, "202", "after 500 pushes");
    expect(r.row().errors).toBe(0);
  });

  it("echoes the 15-second heartbeat, so the venue keeps the socket; data silence is not staleness while probes come", async () => {
    const { r, f } = await start();
    await r.run(65_000, 1_000);
    await waitFor(() => f.echoes >= 4, "four echoes");
    expect(f.heartbeatKills).toBe(0);
    expect(f.venue.last().open).toBe(true);
    expect(r.row().reconnects).toBe(0);
    expect(r.fresh("101:yes")).toBe(true);
  });

  it("recovers from a dropped connection: stale, resubscribed, fresh books", async () => {
    const { r, f } = await start();
    f.venue.last().drop();
    await waitFor(() => r.book("101:yes")?.state !== "live", "stale after the drop");
    f.change("101");
    await r.settle(() => f.venue.subscribers("predictOrderbook/101").length === 1, "resubscribed", 50);
    await synced(r, f, "101", "after reconnect");
    expect(r.row().reconnects).toBe(1);
  });

  it("detects a silent stall (no data, no heartbeat probe) and reconnects", async () => {
    const { r, f } = await start();
    const first = f.venue.last();
    const states: string[] = [];
    r.rt.bus.on("feed.status", (s) => void states.push(`${s.state}: ${s.reasons.join("; ")}`));
    first.mode = "stalled";
    f.change("101");
    await r.run(31_000, 500);
    await waitFor(() => !first.open, "the stalled socket closed by the client");
    expect(states.some((s) => /^stale: .*nothing received for 30000 ms/.test(s))).toBe(true);
    await r.settle(() => f.venue.live().length === 1 && f.venue.last() !== first, "reconnected", 50);
    f.change("101");
    await synced(r, f, "101", "after the stall");
  });

  it("fetches a book over REST when none arrives after subscribing", async () => {
    const { r, f } = await start({ withhold: ["202"] });
    await r.settle(() => r.book("101:yes")?.state === "live", "101 live");
    expect(r.book("202:yes")?.state).not.toBe("live");
    await r.settle(() => r.book("202:yes")?.state === "live", "202 from REST", 250);
    expect(f.restBooks).toEqual(["202"]);
    await synced(r, f, "202", "REST book");
  });

  it("repairs a lost push with the next one (every push is the whole book)", async () => {
    const { r, f } = await start();
    f.venue.last().dropNext(1);
    f.change("101"); // lost: the client's book is one change behind
    f.change("202");
    await synced(r, f, "202", "a later frame");
    expect(same(r, f, "101")).toBe(false);
    f.change("101");
    await synced(r, f, "101", "after the next push");
    expect(r.row().resyncs).toBe(0);
  });

  it("drops a push older than the book it holds", async () => {
    const { r, f } = await start();
    const old = f.change("101");
    f.change("101");
    await synced(r, f, "101", "newest");
    f.venue.last().sendRaw(old);
    f.change("202");
    await synced(r, f, "202", "later frame");
    expect(same(r, f, "101")).toBe(true);
  });

  it("announces markets from REST with the venue's fee rate, and keeps the key out of the logs", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const f = (fake = new FakePredict({ clock, markets: ["101"], apiKey: KEY }));
    const table = `[feeds.pf]\nplugin = "predictfun"\nws_url = "${f.url}"\nrest_url = "${f.venue.httpUrl}"\nmarkets = ["101"]\napi_key = "\${PREDICT_API_KEY}"\n`;
    const news: MarketNew[] = [];
    const r = (rig = await startFeedRig([predictfunFeed], "pf", table, { PREDICT_API_KEY: KEY }, clock, [f.venue]));
    r.rt.bus.on("market.new", (m) => void news.push(m));
    await r.settle(() => news.length === 1, "announced");
    expect(news[0]).toMatchObject({ instrument: "101", instruments: ["101:yes", "101:no"], question: "Will market 101 resolve Yes?", meta: { feeModel: { kind: "min_side", rate: 0.02 }, decimalPrecision: 2 } });
    expect(r.logged(KEY)).toEqual([]);
  });
});
