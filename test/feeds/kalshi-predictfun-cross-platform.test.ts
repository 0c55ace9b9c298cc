/**
 * End to end across platforms: the Kalshi and Predict.fun feeds against their fakes; `bot match` collects
 * both catalogs from the running feeds and proposes the one equivalent pair (not its near-twin strike);
 * a person's confirmation (uncommenting) makes it the registry; the cross-platform strategy then finds
 * YES on Kalshi + NO on Predict.fun below 1 with the figures of the reference, and closes it when the
 * Kalshi connection drops.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { loadConfigSource } from "../../core/config/load.ts";
import { collectCatalog } from "../../core/equivalence/match-command.ts";
import { proposePairs } from "../../core/equivalence/match.ts";
import { parseEquivalences } from "../../core/equivalence/registry.ts";
import { renderProposals, uncommentAll } from "../../core/equivalence/render.ts";
import type { Opportunity, OpportunityClosed } from "../../core/events.ts";
import { createRegistry } from "../../core/registry.ts";
import { refBuyAll } from "../../core/testing.ts";
import { kalshiFeed } from "../../plugins/feeds/kalshi/index.ts";
import { predictfunFeed } from "../../plugins/feeds/predictfun/index.ts";
import { crossPlatform } from "../../strategies/cross-platform/index.ts";
import { startFeedRig, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { waitFor } from "../fakes/fake-venue.ts";
import { FakeKalshi } from "../fakes/kalshi/server.ts";
import { FakePredict } from "../fakes/predictfun/server.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const ENV = { KALSHI_API_KEY_ID: "key-1", KALSHI_PRIVATE_KEY: PEM, PREDICT_API_KEY: "pk-1" };
const K = "KXBTC-26DEC31-T100000";
const K2 = "KXBTC-26DEC31-T110000";
const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));

let kalshi: FakeKalshi | undefined;
let predict: FakePredict | undefined;
let rig: FeedRig | undefined;
afterEach(async () => {
  await rig?.stop();
  kalshi?.stop();
  predict?.stop();
  rig = kalshi = predict = undefined;
});

function feedTables(k: FakeKalshi, p: FakePredict): string {
  return `[feeds.ks]
plugin = "kalshi"
ws_url = "${k.url}"
rest_url = "${k.venue.httpUrl}/trade-api/v2"
markets = ["${K}", "${K2}"]
api_key_id = "\${KALSHI_API_KEY_ID}"
private_key = "\${KALSHI_PRIVATE_KEY}"
reconnect_min_ms = 100

[feeds.pf]
plugin = "predictfun"
ws_url = "${p.url}"
rest_url = "${p.venue.httpUrl}"
markets = ["101", "202"]
api_key = "\${PREDICT_API_KEY}"
`;
}

describe("cross-platform end to end (kalshi + predictfun fakes)", () => {
  setDefaultTimeout(30_000);

  it("does propose the equivalent pair from live catalogs, and once confirmed finds the edge the reference finds", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    kalshi = new FakeKalshi({
      markets: [K, K2],
      publicKey,
      clock,
      meta: { [K]: { title: "Bitcoin above $100,000 on Dec 31, 2026?", close: "2026-12-31T23:00:00Z" }, [K2]: { title: "Bitcoin above $110,000 on Dec 31, 2026?", close: "2026-12-31T23:00:00Z" } },
    });
    predict = new FakePredict({
      clock,
      markets: ["101", "202"],
      apiKey: "pk-1",
      meta: { "101": { question: "Will BTC be over 100k on December 31 2026?", endsAt: "2026-12-31T22:00:00Z" }, "202": { question: "Will the Fed cut rates in December 2026?", endsAt: "2026-12-17T19:00:00Z" } },
    });
    const registry = createRegistry([kalshiFeed, predictfunFeed, crossPlatform]);
    const dir = mkdtempSync(join(tmpdir(), "xplat-e2e-"));

    // 1. bot match: the feeds' own market.new catalogs
    const config = await loadConfigSource(`[bot]\nname = "match"\nlog_format = "json"\n\n${feedTables(kalshi, predict)}`, join(dir, "bot.toml"), { registry, env: ENV });
    const catalog = await collectCatalog(config, 1_000, () => {});
    expect(catalog.map((m) => `${m.feed}:${m.market}`).sort()).toEqual(["ks:" + K, "ks:" + K2, "pf:101", "pf:202"]);
    const pairs = proposePairs(catalog);
    expect(pairs.map((p) => [`${p.a.feed}:${p.a.market}`, `${p.b.feed}:${p.b.market}`, p.inverted])).toEqual([[`ks:${K}`, "pf:101", false]]);
    const proposed = renderProposals(pairs, clock.now());
    expect(parseEquivalences(proposed, "proposed.toml").groups).toEqual([]); // nothing confirmed yet
    const path = join(dir, "equivalences.toml");
    writeFileSync(path, uncommentAll(proposed)); // a person checked and confirmed it

    // 2. the strategy on the confirmed registry
    const strategy = `\n[strategies.xp]\nplugin = "cross-platform"\nfeeds = ["ks", "pf"]\nregistry = "${path}"\nwatch_registry = false\nmin_edge_bps = 10\nsize_usd = 50\n`;
    const r = (rig = await startFeedRig([kalshiFeed, predictfunFeed, crossPlatform], "ks", feedTables(kalshi, predict) + strategy, ENV, clock));
    const opened: Opportunity[] = [];
    const closed: OpportunityClosed[] = [];
    r.rt.bus.on("opportunity.open", (o) => void opened.push(o));
    r.rt.bus.on("opportunity.close", (o) => void closed.push(o));
    const books: [string, string][] = [["ks", `${K}:yes`], ["ks", `${K}:no`], ["pf", "101:yes"], ["pf", "101:no"]];
    await r.settle(() => books.every(([f, i]) => r.rt.store.fresh(f, i).ok), "four books fresh");
    expect(opened).toEqual([]);

    // Kalshi: a NO bid at 0.59 is a YES ask at 0.41 (its YES bids reach 0.40); Predict.fun: a YES bid at
    // 0.45 is a NO ask at 0.55
    predict.setBook("101", [[45, 500], [44, 800]], [[47, 500]]);
    await waitFor(() => r.rt.store.book("pf", "101:no")?.price("ask", 0) === 0.55, "the Predict.fun book applied");
    expect(opened).toEqual([]);
    kalshi.setBid(K, "no", 5900, 100e6);
    await waitFor(() => opened.length === 1, "opportunity opened");
    const o = opened[0]!;
    expect(o.legs.map((l) => [l.feed, l.instrument, l.side])).toEqual([["ks", `${K}:yes`, "buy"], ["pf", "101:no", "buy"]]);
    const ks = r.rt.store.book("ks", `${K}:yes`)!.depth(100).asks;
    const pf = r.rt.store.book("pf", "101:no")!.depth(100).asks;
    expect(ks[0]).toEqual([0.41, 100]);
    expect(pf[0]).toEqual([0.55, 500]);
    const want = refBuyAll(
      [
        { levels: ks, feeAt: (p) => 0.07 * p * (1 - p) },
        { levels: pf, feeAt: (p) => 0.02 * Math.min(p, 1 - p) },
      ],
      { minEdgeBps: 10, sizeUsd: 50 },
    )!;
    near(o.edgeBps, want.edgeBps);
    near(o.sizeUsd, want.sizeUsd);
    near(o.details!.shares as number, want.size);

    // a dropped Kalshi socket: its books are stale, the opportunity closes
    kalshi.venue.last().drop();
    await waitFor(() => closed.length === 1, "closed on the stale leg");
    expect(["stale", "feed_down", "resyncing"]).toContain(closed[0]!.reason);
  });
});
