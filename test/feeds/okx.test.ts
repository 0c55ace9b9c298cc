/**
 * The OKX feed plugin against the fake OKX venue, in every venue mode (WS snapshot + CRC32, checksum 0,
 * REST snapshot, pre-2023 frames without seq fields) and through the venue's faults: books equal the
 * venue's after 1,000 random updates, and every fault is detected and recovered by itself.
 */
import { afterEach, describe, expect, it } from "bun:test";
import type { Funding, Trade } from "../../core/events.ts";
import { clearOkxInstrumentCache } from "../../plugins/feeds/okx/rest.ts";
import { FakeOkx, type FakeOkxMode } from "../fakes/okx/fake-okx.ts";
import { quoteMatches, rigClock, sameDepth, startRig, storeDepth, type Rig } from "./okx-hyperliquid-rig.ts";

const IDS = ["BTC-USDT-SWAP", "ETH-USDT-SWAP", "BTC-USD-SWAP"];
let fake: FakeOkx | undefined;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  fake?.stop();
  rig = fake = undefined;
  clearOkxInstrumentCache();
});

async function start(mode: FakeOkxMode, extra = "", ids = IDS): Promise<{ fake: FakeOkx; rig: Rig }> {
  const clock = rigClock();
  const f = (fake = new FakeOkx({ clock, mode }));
  const r = (rig = await startRig(
    clock,
    `[feeds.okx]
ws_url = "${f.url}"
rest_url = "${f.httpUrl}"
instruments = [${ids.map((i) => `"${i}"`).join(", ")}]
channels = ["books", "trades", "funding-rate"]
${extra}`,
  ));
  return { fake: f, rig: r };
}

function inSync(f: FakeOkx, r: Rig, id: string): boolean {
  const book = r.runtime.store.book("okx", id);
  const depth = f.depth(id);
  return book !== undefined && r.runtime.store.fresh("okx", id).ok && sameDepth(storeDepth(r, "okx", id), depth) && quoteMatches(r, "okx", id, depth);
}

async function synced(f: FakeOkx, r: Rig, ids = IDS): Promise<void> {
  await r.until(() => ids.every((id) => inSync(f, r, id)), `books equal to the venue's (${ids.join(", ")})`);
}

async function steps(f: FakeOkx, r: Rig, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    f.step();
    if (i % 50 === 49) await r.flush(2);
  }
  await r.flush(5);
}

/**
 * Watches every frame.end: a book the store calls fresh must equal the venue's book at the same seqId.
 * Returns the violations seen (none expected: a wrong book is never fresh).
 */
function neverFreshWhileWrong(f: FakeOkx, r: Rig): { violations: string[]; checked: () => number } {
  const violations: string[] = [];
  let checked = 0;
  r.runtime.bus.on("frame.end", (fe) => {
    if (fe.feed !== "okx") return;
    for (const id of fe.instruments) {
      const book = r.runtime.store.book("okx", id);
      if (book === undefined || !r.runtime.store.fresh("okx", id).ok || book.seq === undefined) continue;
      const venue = f.depthAt(id, book.seq);
      if (venue === undefined) continue;
      checked++;
      if (!sameDepth(book.depth(400), venue)) violations.push(`${id} fresh but different from the venue at seqId ${book.seq}`);
    }
  });
  return { violations, checked: () => checked };
}

function resyncs(r: Rig): Record<string, number> {
  return { ...(r.runtime.store.feedStats("okx")?.resyncs ?? {}) };
}

describe("okx feed against the fake venue", () => {
  it("does keep books equal to the venue's through 1,000 random updates with real checksums (legacy mode)", async () => {
    const { fake: f, rig: r } = await start("legacy");
    const watch = neverFreshWhileWrong(f, r);
    await synced(f, r);
    await steps(f, r, 1_000);
    await synced(f, r);
    expect(resyncs(r)).toEqual({});
    expect(watch.violations).toEqual([]);
    expect(watch.checked()).toBeGreaterThan(2_000);
    const q = r.runtime.store.quoteRow("okx", "BTC-USDT-SWAP")!;
    expect(q).toMatchObject({ key: "BTC-USDT-PERP", stale: false });
    expect(q.spreadBps).toBeGreaterThan(0);
    expect(r.runtime.store.quoteRow("okx", "BTC-USD-SWAP")!.key).toBe("BTC-USD-PERP");
    // sizes in base units: contracts × ctVal
    const top = f.books.get("ETH-USDT-SWAP")!.levels("bid", 1)[0]!;
    expect(r.runtime.store.book("okx", "ETH-USDT-SWAP")!.size("bid", 0)).toBeCloseTo(+top[1] * 0.1, 9);
    expect(f.venue.last().subscribeFrames[0]).toBe(
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"},{"channel":"trades","instId":"BTC-USDT-SWAP"},{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},{"channel":"books","instId":"ETH-USDT-SWAP"},{"channel":"trades","instId":"ETH-USDT-SWAP"},{"channel":"funding-rate","instId":"ETH-USDT-SWAP"},{"channel":"books","instId":"BTC-USD-SWAP"},{"channel":"trades","instId":"BTC-USD-SWAP"},{"channel":"funding-rate","instId":"BTC-USD-SWAP"}]}',
    );
  });

  it("does log in before subscribing the VIP channel books50-l2-tbt, on every new socket", async () => {
    const clock = rigClock();
    const credentials = { apiKey: "k-123", secretKey: "s3cret", passphrase: "pp" };
    const f = (fake = new FakeOkx({ clock, credentials }));
    const r = (rig = await startRig(
      clock,
      `[feeds.okx]\nws_url = "${f.url}"\nrest_url = "${f.httpUrl}"\ninstruments = ["BTC-USDT-SWAP"]\nchannels = ["books50-l2-tbt"]\napi_key = "k-123"\nsecret_key = "s3cret"\npassphrase = "pp"\n`,
    ));
    await steps(f, r, 10);
    await synced(f, r, ["BTC-USDT-SWAP"]);
    expect(JSON.parse(f.venue.last().received[0]!).op).toBe("login");
    f.venue.last().drop();
    await r.until(() => f.venue.clients.length === 2 && f.venue.last().subscriptions.size === 1, "logged in and resubscribed");
    await steps(f, r, 10);
    await synced(f, r, ["BTC-USDT-SWAP"]);
    expect(f.logins).toBe(2);
    expect(r.log.lines.join("\n")).not.toContain("s3cret");
  });

  it("does fault when the venue refuses the login", async () => {
    const clock = rigClock();
    const f = (fake = new FakeOkx({ clock, credentials: { apiKey: "k", secretKey: "right", passphrase: "p" } }));
    const r = (rig = await startRig(
      clock,
      `[feeds.okx]\nws_url = "${f.url}"\nrest_url = "${f.httpUrl}"\ninstruments = ["BTC-USDT-SWAP"]\nchannels = ["books-l2-tbt"]\napi_key = "k"\nsecret_key = "wrong"\npassphrase = "p"\n`,
    ));
    await r.until(() => r.runtime.store.feedState("okx") === "faulted", "faulted");
    expect(r.runtime.instances().get("okx")!.reasons[0]).toContain("OKX refused the login (error 60009: Login failed.)");
  });

  it("does quote from tickers, bbo-tbt and books5", async () => {
    for (const channel of ["tickers", "bbo-tbt", "books5"]) {
      const clock = rigClock();
      const f = (fake = new FakeOkx({ clock }));
      const r = (rig = await startRig(clock, `[feeds.okx]\nws_url = "${f.url}"\nrest_url = "${f.httpUrl}"\ninstruments = ["ETH-USDT-SWAP", "BTC-USD-SWAP"]\nchannels = ["${channel}"]\n`));
      await steps(f, r, 20);
      const levels = channel === "books5" ? 5 : 1;
      for (const id of ["ETH-USDT-SWAP", "BTC-USD-SWAP"]) {
        await r.until(() => r.runtime.store.fresh("okx", id).ok && sameDepth(storeDepth(r, "okx", id), f.depth(id, levels)), `${channel} ${id}`);
      }
      expect(r.runtime.store.quoteRow("okx", "ETH-USDT-SWAP")!.key).toBe("ETH-USDT-PERP");
      await r.stop();
      f.stop();
      rig = fake = undefined;
      clearOkxInstrumentCache();
    }
  });

  it("does shard instruments over connections opened at most 3 a second", async () => {
    const { fake: f, rig: r } = await start("legacy", "max_per_connection = 1");
    await synced(f, r);
    expect(f.venue.clients).toHaveLength(3);
    expect(f.venue.clients.map((c) => [...c.subscriptions].sort())).toEqual(IDS.map((id) => [`books:${id}`, `funding-rate:${id}`, `trades:${id}`]));
    expect(r.runtime.view.feeds().find((x) => x.id === "okx")!.connections).toBe(3);
    f.venue.clients[1]!.drop();
    await steps(f, r, 10);
    await synced(f, r);
    expect(f.venue.clients).toHaveLength(4);
  });

  it("does detect a sequence gap and a bad checksum, and recover by resubscribing", async () => {
    const { fake: f, rig: r } = await start("legacy");
    const watch = neverFreshWhileWrong(f, r);
    await synced(f, r);
    f.venue.last().dropNext();
    await steps(f, r, 5);
    await synced(f, r);
    expect(resyncs(r).gap).toBeGreaterThanOrEqual(1);
    f.venue.last().mutateNext((frame) => frame.replace(/"checksum":-?\d+/, '"checksum":123456789'));
    await steps(f, r, 5);
    await synced(f, r);
    expect(resyncs(r).checksum).toBe(1);
    expect(f.venue.clients).toHaveLength(1); // resubscribed on the same socket
    expect(f.venue.last().subscribeFrames.filter((x) => x.includes('"unsubscribe"'))).toHaveLength(2);
    await steps(f, r, 100);
    await synced(f, r);
    expect(watch.violations).toEqual([]);
    expect(watch.checked()).toBeGreaterThan(100);
  });

  it("does accept checksum 0 (2026) without verifying it, and still catch gaps", async () => {
    const { fake: f, rig: r } = await start("checksum0");
    await synced(f, r);
    await steps(f, r, 1_000);
    await synced(f, r);
    expect(resyncs(r)).toEqual({});
    f.venue.last().dropNext();
    await steps(f, r, 3);
    await synced(f, r);
    expect(resyncs(r).gap).toBeGreaterThanOrEqual(1);
  });

  it("does sync from the REST snapshot when the venue sends none on the socket, retrying a lagging one", async () => {
    const clock = rigClock();
    const f = (fake = new FakeOkx({ clock, mode: "rest" }));
    f.restBookFailures = 2;
    f.restLag = { times: 1, steps: 40 };
    for (let i = 0; i < 50; i++) f.step(); // history for the lagging answer
    const r = (rig = await startRig(clock, `[feeds.okx]\nws_url = "${f.url}"\nrest_url = "${f.httpUrl}"\ninstruments = ["BTC-USDT-SWAP"]\nrest_retry_ms = 200\n`));
    await r.until(() => f.venue.live().length === 1 && f.venue.last().subscriptions.size === 1, "subscribed");
    // updates arrive, no snapshot: the feed buffers and asks REST (the first answer lags and is retried)
    for (let i = 0; i < 30 && !inSync(f, r, "BTC-USDT-SWAP"); i++) {
      await steps(f, r, 1);
      await r.flush();
      clock.advance(100);
    }
    await synced(f, r, ["BTC-USDT-SWAP"]);
    expect(f.restBookRequests).toBeGreaterThanOrEqual(4); // two HTTP 500s, one lagging answer, one good
    expect(r.runtime.view.feeds().find((x) => x.id === "okx")!.errors).toBe(2);
    await steps(f, r, 1_000);
    await synced(f, r, ["BTC-USDT-SWAP"]);
    // a gap in REST mode: a new REST sync, no resubscription
    const before = f.restBookRequests;
    f.venue.last().dropNext();
    await steps(f, r, 3);
    await synced(f, r, ["BTC-USDT-SWAP"]);
    expect(f.restBookRequests).toBeGreaterThan(before);
    expect(f.venue.last().subscribeFrames).toHaveLength(1);
    // a reconnect in REST mode: resubscribe, then a new REST sync
    f.venue.last().drop();
    await r.until(() => f.venue.clients.length === 2 && f.venue.last().subscriptions.size === 1, "resubscribed");
    for (let i = 0; i < 30 && !inSync(f, r, "BTC-USDT-SWAP"); i++) {
      await steps(f, r, 1);
      clock.advance(100);
    }
    await synced(f, r, ["BTC-USDT-SWAP"]);
  });

  it("does use REST snapshots when configured to, even where the venue still sends WS ones", async () => {
    const { fake: f, rig: r } = await start("legacy", 'book_snapshot = "rest"', ["BTC-USDT-SWAP"]);
    await r.until(() => f.venue.live().length === 1 && f.venue.last().subscriptions.size === 3, "subscribed");
    for (let i = 0; i < 30 && !inSync(f, r, "BTC-USDT-SWAP"); i++) {
      await steps(f, r, 1);
      r.clock.advance(100);
    }
    await synced(f, r, ["BTC-USDT-SWAP"]);
    expect(f.restBookRequests).toBe(1);
    await steps(f, r, 300);
    await synced(f, r, ["BTC-USDT-SWAP"]);
    expect(resyncs(r)).toEqual({});
  });

  it("does accept pre-2023 frames without seq fields and verify their checksums", async () => {
    const { fake: f, rig: r } = await start("noseq");
    await synced(f, r);
    await steps(f, r, 300);
    await synced(f, r);
    expect(resyncs(r)).toEqual({});
    f.venue.last().mutateNext((frame) => frame.replace(/"checksum":-?\d+/, '"checksum":42'));
    await steps(f, r, 3);
    await synced(f, r);
    expect(resyncs(r).checksum).toBe(1);
  });

  it("does treat the keep-alive update and the maintenance sequence reset as legal", async () => {
    const { fake: f, rig: r } = await start("legacy");
    await synced(f, r);
    f.keepAlive("BTC-USDT-SWAP");
    f.resetSeq("BTC-USDT-SWAP", 3);
    await steps(f, r, 20);
    await synced(f, r);
    expect(resyncs(r)).toEqual({});
    expect(r.runtime.store.book("okx", "BTC-USDT-SWAP")!.seq).toBe(f.books.get("BTC-USDT-SWAP")!.seqId);
  });

  it("does recover from a disconnect and from a silent stall (no pong) by itself", async () => {
    const { fake: f, rig: r } = await start("legacy");
    await synced(f, r);
    f.venue.last().drop();
    await r.until(() => r.runtime.store.feedState("okx") === "reconnecting", "close seen", 5_000);
    expect(r.runtime.store.fresh("okx", "BTC-USDT-SWAP").ok).toBe(false);
    await steps(f, r, 10);
    await synced(f, r);
    expect(f.venue.clients).toHaveLength(2);

    f.venue.last().mode = "stalled";
    await steps(f, r, 10);
    await r.until(() => f.venue.clients.length === 3 && f.venue.last().subscriptions.size === 9, "reconnect after the stall", 60_000, 250);
    expect(f.venue.clients[1]!.textPings).toBeGreaterThanOrEqual(1);
    await steps(f, r, 10);
    await synced(f, r);
  });

  it("does mark books stale when pushes stop while pongs still come, and resubscribe them", async () => {
    const { fake: f, rig: r } = await start("legacy");
    await synced(f, r);
    f.venue.last().mode = "data-stalled";
    await r.until(() => r.runtime.store.book("okx", "BTC-USDT-SWAP")!.state === "stale", "stale books", 200_000, 1_000);
    expect(r.runtime.store.fresh("okx", "ETH-USDT-SWAP").reasons).toContain("stale");
    expect(f.venue.clients).toHaveLength(1);
    f.venue.last().mode = "normal";
    await r.until(() => IDS.every((id) => inSync(f, r, id)), "books rebuilt", 300_000, 1_000);
    await steps(f, r, 20);
    await synced(f, r);
    expect(f.venue.clients).toHaveLength(1);
  });

  it("does send a text ping when quiet and stay connected while pongs come back", async () => {
    const { fake: f, rig: r } = await start("legacy");
    await synced(f, r);
    await r.until(() => f.venue.last().textPings >= 3, "three pings", 120_000, 1_000);
    // quiet for 200 s: the venue's keep-alive updates keep the books live (no cadence false alarm)
    const t = r.clock.now();
    await r.until(() => r.clock.now() - t >= 200_000, "200 s", 250_000, 1_000);
    expect(f.venue.clients).toHaveLength(1);
    expect(resyncs(r)).toEqual({});
    // connected; a quiet book may make the feed `degraded` by the [health] update-rate threshold, never stale
    expect(["live", "degraded"]).toContain(r.runtime.store.feedState("okx")!);
    expect(r.runtime.store.book("okx", "BTC-USDT-SWAP")!.state).toBe("live");
  });

  it("does emit trades and funding in base units", async () => {
    const { fake: f, rig: r } = await start("legacy");
    const trades: Trade[] = [];
    const funding: Funding[] = [];
    r.runtime.bus.on("trade", (t) => void trades.push(t));
    r.runtime.bus.on("funding", (x) => void funding.push(x));
    await synced(f, r);
    f.trades();
    f.funding("0.00012", 1_700_006_400_000);
    await r.until(() => trades.length === 3 && funding.length === 3, "trades and funding");
    const eth = trades.find((t) => t.instrument === "ETH-USDT-SWAP")!;
    expect(eth.key).toBe("ETH-USDT-PERP");
    expect(Number.isInteger(Math.round(eth.size / 0.1 * 1e9) / 1e9)).toBe(true);
    expect(funding.find((x) => x.instrument === "BTC-USDT-SWAP")).toMatchObject({ rate: 0.00012, nextFundingTime: 1_700_006_400_000, intervalMs: 28_800_000, key: "BTC-USDT-PERP" });
  });

  it("does reject an unknown instrument clearly and keep the others running", async () => {
    const { fake: f, rig: r } = await start("legacy", "", ["BTC-USDT-SWAP", "NOPE-USDT-SWAP", "ETH-USDT-SWAP"]);
    f.wsRefused.add("ETH-USDT-SWAP"); // listed over REST, refused on the socket (60018)
    await synced(f, r, ["BTC-USDT-SWAP"]);
    const row = () => r.runtime.view.feeds().find((x) => x.id === "okx")!;
    await r.until(() => row().reasons.length === 2, "both rejections reported");
    expect(row().reasons.join("\n")).toContain("NOPE-USDT-SWAP is not listed by OKX");
    expect(row().reasons.join("\n")).toContain("OKX refused books for ETH-USDT-SWAP: error 60018");
    expect(r.runtime.instances().get("okx")!.state).toBe("degraded");
    await steps(f, r, 50);
    await synced(f, r, ["BTC-USDT-SWAP"]);
    expect(r.runtime.store.feedState("okx")).toBe("live");
    expect(f.venue.last().subscriptions.has("books:ETH-USDT-SWAP")).toBe(false);
  });

  it("does keep an instrument's book when only a side channel is refused", async () => {
    const clock = rigClock();
    const f = (fake = new FakeOkx({ clock }));
    f.wsRefused.add("funding-rate:BTC-USD-SWAP");
    const r = (rig = await startRig(clock, `[feeds.okx]\nws_url = "${f.url}"\nrest_url = "${f.httpUrl}"\ninstruments = ["BTC-USD-SWAP"]\nchannels = ["books", "funding-rate"]\n`));
    await synced(f, r, ["BTC-USD-SWAP"]);
    await r.until(() => r.runtime.instances().get("okx")!.reasons.length === 1, "refusal reported");
    expect(r.runtime.instances().get("okx")!.reasons[0]).toContain("OKX refused funding-rate for BTC-USD-SWAP: error 60018");
    await steps(f, r, 30);
    await synced(f, r, ["BTC-USD-SWAP"]);
  });

  it("does reconnect ahead of a maintenance notice and report it per instrument", async () => {
    const { fake: f, rig: r } = await start("legacy");
    await synced(f, r);
    f.notice(f.venue.last());
    await r.until(() => f.venue.clients.length === 2, "reconnect after the notice");
    const reasons = r.runtime.instances().get("okx")!.reasons.join("\n");
    expect(reasons).toContain("OKX notice 64008");
    expect(reasons).toContain("BTC-USDT-SWAP");
    await steps(f, r, 10);
    await synced(f, r);
    r.clock.advance(61_000);
    await r.until(() => r.runtime.instances().get("okx")!.reasons.length === 0, "notice cleared");
    expect(r.runtime.instances().get("okx")!.state).toBe("running");
  });

  it("does count malformed frames, log each shape once, and keep going", async () => {
    const { fake: f, rig: r } = await start("legacy");
    await synced(f, r);
    const before = r.runtime.view.feeds().find((x) => x.id === "okx")!.errors;
    f.venue.last().sendMalformed();
    f.venue.last().sendMalformed();
    f.venue.last().sendRaw('{"arg":{"channel":"mystery","instId":"BTC-USDT-SWAP"},"data":[]}');
    await steps(f, r, 10);
    await synced(f, r);
    expect(r.runtime.view.feeds().find((x) => x.id === "okx")!.errors).toBe(before + 3);
    expect(r.log.lines.filter((l) => l.includes("malformed frame") && l.includes("not json"))).toHaveLength(1);
    expect(r.log.lines.filter((l) => l.includes("malformed frame") && l.includes("channel mystery"))).toHaveLength(1);
  });
});
