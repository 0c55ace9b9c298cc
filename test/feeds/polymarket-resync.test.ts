import { afterEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fakeUrls, type PolyKit, startPoly } from "./polymarket-kit.ts";

let kit: PolyKit | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../../plugins/feeds/polymarket/fixtures", name), "utf8");

async function start(lines: string, markets = 2, o: { initialDump?: boolean } = {}): Promise<PolyKit> {
  kit = await startPoly(
    (u) => `${fakeUrls(u)}
markets = [${Array.from({ length: markets }, (_, i) => `"0x${i.toString(16).padStart(64, "0")}"`).join(", ")}]
${lines}`,
    {
      markets,
      prepare(clob, gamma) {
        clob.initialDump = o.initialDump ?? true;
        for (const m of clob.markets) gamma.add({ id: String(m.index), markets: [{ market: m }] });
      },
    },
  );
  return kit;
}

const equalAll = (k: PolyKit) => k.clob.markets.every((m) => k.matches(m, m.yes) && k.matches(m, m.no));

describe("polymarket feed resync paths", () => {
  it("resyncs a token whose venue top disagrees with the book (a lost frame), over REST, and counts it", async () => {
    const k = await start("snapshot_timeout_ms = 0\nrest_poll_ms = 0");
    await k.drive(() => k.allLive(k.clob.tokens()), "live");
    const m = k.clob.markets[0]!;
    k.clob.venue.live()[0]!.dropNext(1);
    k.clob.change(m, "bid", 0.2, 40); // lost: below the top, so the next tops still agree…
    for (const p of [0.29, 0.28, 0.27, 0.26]) k.clob.change(m, "bid", p, 0);
    k.clob.change(m, "bid", 0.25, 0); // …until the lost level is the venue's best bid: 0.2 vs none
    await k.drive(() => k.feed.books.counters.topMismatches > 0 && equalAll(k), "resynced");
    expect(k.feed.books.counters.topMismatches).toBe(2); // YES (best bid) and NO (best ask, mirrored)
    expect(k.clob.rest.books).toBe(1); // both tokens in one POST /books
    expect(k.rt.store.feedStats("pm")?.resyncs.top_mismatch).toBe(2);
  });

  it("replays changes received while the REST snapshot was in flight", async () => {
    const k = await start("snapshot_timeout_ms = 0\nrest_poll_ms = 0");
    await k.drive(() => k.allLive(k.clob.tokens()), "live");
    const m = k.clob.markets[1]!;
    const release = k.clob.pauseRest();
    k.clob.venue.live()[0]!.dropNext(1);
    k.clob.change(m, "ask", 0.4, 9); // lost, behind the top
    for (const p of [0.32, 0.33, 0.34, 0.35]) k.clob.change(m, "ask", p, 0);
    k.clob.change(m, "ask", 0.36, 0); // the venue's ask top is now the lost 0.4: mismatch, REST asked
    await k.drive(() => k.feed.books.counters.topMismatches > 0, "mismatch seen");
    const tokens = [m.yes, m.no];
    // changes arrive while the REST answer is held: buffered, then replayed onto the snapshot
    for (let i = 0; i < 10; i++) k.clob.change(m, "bid", 0.1 + i / 100, 5 + i);
    await k.drive(() => k.feed.books.counters.changes >= 30, "changes received");
    expect(tokens.every((t) => k.feed.books.awaiting(t))).toBe(true);
    // the snapshot is taken after further changes the socket will also deliver
    k.clob.change(m, "bid", 0.2, 99);
    release();
    await k.drive(() => equalAll(k) && !k.feed.books.awaiting(m.yes), "resynced");
    expect(k.feed.books.counters.replayed).toBeGreaterThanOrEqual(20);
  });

  it("resyncs a book whose hash does not match, and counts it", async () => {
    const k = await start("snapshot_timeout_ms = 0\nrest_poll_ms = 0");
    await k.drive(() => k.allLive(k.clob.tokens()), "live");
    const m = k.clob.markets[0]!;
    k.clob.sendBook(m.yes, (b) => {
      b.bids = [{ price: "0.01", size: "1" }]; // the levels changed, the hash did not
    });
    await k.drive(() => k.feed.books.counters.hashMismatches === 1 && k.matches(m, m.yes), "hash resync");
    expect(k.rt.store.feedStats("pm")?.resyncs.hash).toBe(1);
    expect(k.clob.rest.book).toBe(1);
  });

  it("takes the first snapshot over REST when the socket is slow to send it", async () => {
    const k = await start("snapshot_timeout_ms = 2000\nrest_poll_ms = 0", 3, { initialDump: false });
    await k.drive(() => k.allLive(k.clob.tokens()), "live via REST", 10_000);
    expect(k.clock.now() - Date.parse("2026-11-24T08:00:00Z")).toBeGreaterThanOrEqual(2_000);
    expect(k.clob.rest.books).toBe(1); // one batch for all six tokens
    expect(k.clob.rest.booksTokens).toBe(6);
    expect(k.feed.books.counters.restSnapshots).toBe(6);
    k.clob.change(k.clob.markets[0]!, "bid", 0.1, 3);
    await k.drive(() => equalAll(k), "deltas on REST books");
  });

  it("polls books over REST while a connection is down and the venue refuses to reconnect", async () => {
    const k = await start("snapshot_timeout_ms = 0\nrest_poll_ms = 1000\nmax_assets_per_connection = 2", 2);
    await k.drive(() => k.allLive(k.clob.tokens()), "live");
    k.clob.venue.refuse(503, 60_000);
    const victim = k.clob.venue.live()[0]!;
    const tokens = [...victim.subscriptions];
    victim.drop();
    await k.drive(() => tokens.every((t) => k.rt.store.book("pm", t)?.state === "stale"), "stale");
    const m = k.clob.byToken.get(tokens[0]!)!;
    m.set("bid", 0.15, 12); // the venue changes; nobody can be told over the socket
    await k.drive(() => k.matches(m, m.yes) && k.matches(m, m.no), "polled", 5_000);
    expect(k.feed.ws.connections().filter((c) => c.state !== "live")).toHaveLength(1);
  });

  it("replays the shared price_change fixture verbatim onto the fixture's tokens", async () => {
    const A1 = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
    const A2 = "52114319501245915516055106046884209969926127482827954674443846427813813222426";
    kit = await startPoly((u) => `${fakeUrls(u)}\nassets = ["${A1}", "${A2}"]\nsnapshot_timeout_ms = 0\nrest_poll_ms = 0`, {
      prepare(clob) {
        clob.addMarketWith("0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1", A1, A2); // empty books
      },
    });
    const k = kit;
    await k.drive(() => k.allLive([A1, A2]), "live");
    k.clob.sendTo([A1], fixture("ws_docs_price_change.json"));
    k.clob.sendTo([A1], fixture("ws_docs_last_trade_price.json")); // another token: not subscribed, ignored
    await k.drive(() => k.rt.store.book("pm", A1)?.levels("bid") === 1, "applied");
    expect(k.rt.store.book("pm", A1)?.depth(5)).toEqual({ bids: [[0.5, 200]], asks: [] });
    expect(k.rt.store.book("pm", A2)?.depth(5)).toEqual({ bids: [], asks: [[0.5, 200]] });
    expect(k.feed.books.counters.topMismatches).toBe(0);
  });

  it("publishes market_resolved and drops the resolved market's tokens; new_market goes out as market.new", async () => {
    const k = await start("snapshot_timeout_ms = 0\nrest_poll_ms = 0");
    await k.drive(() => k.allLive(k.clob.tokens()), "live");
    const m = k.clob.markets[1]!;
    const resolved = { event_type: "market_resolved", id: "1", market: m.conditionId, assets_ids: [m.yes, m.no], winning_asset_id: m.yes, winning_outcome: "Yes", timestamp: String(k.clock.now()) };
    const created = JSON.parse(fixture("ws_docs_new_market.json")) as Record<string, unknown>;
    k.clob.sendTo([m.yes], JSON.stringify([resolved, created]));
    await k.drive(() => k.seen("market.resolved").length === 1 && !k.feed.tokens().includes(m.yes), "resolved and dropped");
    expect(k.seen("market.resolved")[0]).toMatchObject({ instrument: m.conditionId, winningInstrument: m.yes, winningOutcome: "Yes" });
    expect(k.feed.tokens()).toEqual([k.clob.markets[0]!.yes, k.clob.markets[0]!.no]);
    expect(k.feed.catalog.market(m.conditionId)).toBeUndefined();
    expect(k.rt.store.book("pm", m.yes)?.state).toBe("stale"); // kept for display, never tradable again
    expect(k.seen("market.new").at(-1)).toMatchObject({ instrument: created.market, question: created.question, meta: { source: "ws" } });
    await k.drive(() => k.clob.venue.live().every((c) => !c.subscriptions.has(m.yes) && !c.subscriptions.has(m.no)), "venue unsubscribed");
  });
});
