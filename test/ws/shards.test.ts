/**
 * Sharding, refusals, endpoint rotation and venue heartbeat styles against a real fake venue.
 */
import { afterEach, describe, expect, it } from "bun:test";
import type { FrameRaw } from "../../core/events.ts";
import type { HeartbeatOptions } from "../../core/ws/options.ts";
import { FakeVenue, waitFor, type FakeVenueOptions } from "../fakes/fake-venue.ts";
import { harness, jsonProtocol, shardOf, type Harness } from "./harness.ts";

let h: Harness | undefined;
const extra: FakeVenue[] = [];
afterEach(() => {
  h?.stop();
  for (const v of extra.splice(0)) v.stop();
  h = undefined;
});

function opsOf(hh: Harness, shard: string): string[] {
  return hh.venue.clients.filter((c) => shardOf(c) === shard).flatMap((c) => c.subscribeFrames);
}

describe("sharded connections against a fake venue", () => {
  it("does split subscriptions by the venue's cap and change them live without reconnecting others", async () => {
    h = harness({ ...jsonProtocol, maxPerConnection: 2 }, { maxPerConnection: 2 });
    h.ws.subscribe(["A", "B", "C", "D", "E"]);
    await h.run(1_000);
    await waitFor(() => h!.frames.length === 5, "five snapshots");
    expect(h.venue.live().map((c) => `${shardOf(c)}=${[...c.subscriptions].join(",")}`).sort()).toEqual([
      "fake#0=A,B",
      "fake#1=C,D",
      "fake#2=E",
    ]);
    expect(h.venue.clients.flatMap((c) => c.refusedIds)).toEqual([]);

    h.ws.unsubscribe(["C"]);
    h.ws.subscribe(["F", "G"]);
    await waitFor(() => h!.venue.subscribers("G").length === 1, "G subscribed");
    expect(opsOf(h, "fake#1")).toEqual(['{"op":"subscribe","args":["C","D"]}', '{"op":"unsubscribe","args":["C"]}', '{"op":"subscribe","args":["F"]}']);
    expect(opsOf(h, "fake#2")).toEqual(['{"op":"subscribe","args":["E"]}', '{"op":"subscribe","args":["G"]}']);
    expect(h.venue.clients).toHaveLength(3); // nobody reconnected
    expect(h.ws.connections().map((c) => c.generation)).toEqual([1, 1, 1]);

    h.ws.unsubscribe(["E", "G"]);
    await waitFor(() => h!.venue.live().length === 2, "empty shard closed");
    expect(h.ws.status().state).toBe("live");
  });

  it("does bound attempts while the venue refuses for ten minutes, then connect by itself", async () => {
    h = harness();
    h.venue.refuse(503, 10 * 60_000);
    h.ws.subscribe(["A"]);
    await h.run(10 * 60_000, 1_000);
    // the schedule's worst case with defaults (250 → 30000 ms, equal jitter): 125, 250, … then 15 s apart
    let t = 0;
    let bound = 1;
    for (let n = 0; t <= 10 * 60_000; n++, bound++) t += Math.min(30_000, 250 * 2 ** n) / 2;
    expect(h.venue.refusals).toBeLessThanOrEqual(bound);
    expect(h.venue.refusals).toBeGreaterThan(5);
    expect(h.ws.status().state).toBe("reconnecting");
    await h.run(60_000, 1_000);
    await waitFor(() => h!.venue.subscribers("A").length === 1, "subscribed after the refusal");
    expect(h.ws.status().state).toBe("live");
    expect([...h.tracker.maxAlive.values()]).toEqual([1]);
  });

  it("does open shards staggered and ride out 429s on a connection burst", async () => {
    h = harness(jsonProtocol, { maxPerConnection: 1, staggerMs: 100 });
    h.venue.refuse(429, 300);
    h.ws.subscribe(["A", "B", "C", "D", "E", "F"]);
    await h.run(30_000, 100);
    await waitFor(() => h!.frames.length >= 6, "all snapshots");
    expect(h.ws.status().state).toBe("live");
    expect(h.venue.refusals).toBeGreaterThan(0);
    expect(h.ws.status().state).not.toBe("faulted");
  });

  it("does rotate to the backup endpoint after repeated failures", async () => {
    const backup = FakeVenue.start(jsonProtocol);
    extra.push(backup);
    h = harness(jsonProtocol, (primary) => {
      primary.refuse(503);
      return { urls: [primary.url, backup.url], rotateAfterFailures: 3 };
    });
    h.ws.subscribe(["A"]);
    await h.run(10_000, 250);
    await waitFor(() => backup.subscribers("A").length === 1, "subscribed on the backup");
    expect(h.venue.refusals).toBe(3);
    expect(h.ws.connections()[0]!.url).toBe(backup.url);
    expect(h.ws.status().state).toBe("live");
  });

  it("does tap raw frames with receive times only while the recorder listens", async () => {
    h = harness();
    const raw: FrameRaw[] = [];
    h.ws.subscribe(["A"]);
    await h.run(250);
    await waitFor(() => h!.frames.length === 1, "snapshot");
    const off = h.bus.on("frame.raw", (f) => raw.push(f));
    h.venue.last().send('{"id":"A","seq":2}');
    await waitFor(() => raw.length === 1, "raw frame");
    off();
    h.venue.last().send('{"id":"A","seq":3}');
    await waitFor(() => h!.frames.length === 3, "third frame");
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatchObject({ feed: "fake", connection: "fake#0", data: '{"id":"A","seq":2}', source: "ws", tsRecv: h.clock.now() });
  });

  it("does mark a subscription that misses its promised cadence stale, never a quiet one", async () => {
    const missed: string[] = [];
    h = harness(jsonProtocol, {
      cadence: { everyMs: 1_000, graceMs: 1_000, promised: (id) => id !== "QUIET", onMissed: (ids) => missed.push(...ids) },
    });
    h.ws.subscribe(["A", "QUIET"]);
    await h.run(250);
    const c = h.venue.last();
    await waitFor(() => c.subscriptions.size === 2, "subscribed");
    const stop = h.venue.load(1_000, 1, (i) => c.send(JSON.stringify({ id: "A", seq: i + 2 })));
    const before = h.frames.length;
    for (let i = 0; i < 10; i++) {
      await h.run(1_000, 500);
      await waitFor(() => h!.frames.length >= before + i + 1, "tick");
      h.ws.seen("A"); // the feed calls this on every message of A
    }
    expect(missed).toEqual([]);
    c.mode = "data-stalled"; // pongs still answered: the connection stays live
    for (let i = 0; i < 6; i++) await h.run(1_000, 500);
    stop();
    expect(missed).toEqual(["A"]);
    expect(h.ws.status().state).toBe("live");
    expect(h.venue.clients).toHaveLength(1);
  });

  const styles: [string, FakeVenueOptions["heartbeat"], HeartbeatOptions][] = [
    ["text ping/pong", (t) => (t === "ping" ? "pong" : undefined), { intervalMs: 20_000, idleOnly: true, payload: "ping", isPong: (f) => f === "pong" }],
    ["text PING/PONG", (t) => (t === "PING" ? "PONG" : undefined), { intervalMs: 10_000, payload: "PING", isPong: (f) => f === "PONG" }],
    [
      'JSON {"method":"ping"}',
      (t) => (t === '{"method":"ping"}' ? '{"channel":"pong"}' : undefined),
      { intervalMs: 30_000, timeoutMs: 10_000, payload: '{"method":"ping"}', isPong: (f) => f === '{"channel":"pong"}' },
    ],
    [
      'JSON {"op":"ping"}',
      (t) => (t.startsWith('{"op":"ping"') ? '{"success":true,"ret_msg":"pong","op":"pong"}' : undefined),
      { intervalMs: 20_000, payload: () => '{"op":"ping","req_id":"1"}', isPong: (f) => f.includes('"op":"pong"') },
    ],
  ];
  for (const [name, venueRule, clientRule] of styles) {
    it(`does keep a quiet ${name} connection alive for 15 minutes of fake time`, async () => {
      h = harness({ ...jsonProtocol, heartbeat: venueRule }, { heartbeat: clientRule, staleAfterMs: 45_000 });
      h.ws.subscribe(["A"]);
      await h.run(15 * 60_000, 2_500);
      expect(h.venue.clients).toHaveLength(1);
      expect(h.venue.last().textPings).toBeGreaterThan(15);
      expect(h.ws.status().state).toBe("live");
    });
  }
});
