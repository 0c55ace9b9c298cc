import { describe, expect, it } from "bun:test";
import { Bus } from "../bus.ts";
import { ManualClock } from "../clock.ts";
import type { FeedStatus } from "../events.ts";
import { FakeSocketFactory } from "../../test/fakes/fake-socket.ts";
import { WsShards, type ShardsOptions, type SubscribeCause } from "./shards.ts";

interface Rig {
  clock: ManualClock;
  fake: FakeSocketFactory;
  bus: Bus;
  ws: WsShards;
  statuses: FeedStatus[];
  subscribed: { ids: string[]; cause: SubscribeCause; connection: string; generation: number }[];
  downs: { ids: string[]; connection: string }[];
}

const enc = (op: string) => (ids: readonly string[]) => [JSON.stringify({ op, ids })];

function rig(extra: Partial<ShardsOptions> = {}): Rig {
  const clock = new ManualClock(0);
  const fake = new FakeSocketFactory();
  const bus = new Bus();
  const r = { clock, fake, bus, statuses: [], subscribed: [], downs: [] } as unknown as Rig;
  bus.on("feed.status", (s) => r.statuses.push(s));
  r.ws = new WsShards({
    feed: "f",
    clock,
    bus,
    urls: ["ws://venue"],
    socketFactory: fake.factory,
    backoff: { random: () => 0.5 },
    maxPerConnection: 3,
    staggerMs: 200,
    encodeSubscribe: enc("sub"),
    encodeUnsubscribe: enc("unsub"),
    onFrame: () => {},
    onSubscribed: (ids, cause, info) => r.subscribed.push({ ids: [...ids], cause, ...info }),
    onDown: (ids, _reason, info) => r.downs.push({ ids: [...ids], connection: info.connection }),
    ...extra,
  });
  return r;
}

/** Sub/unsub ids a socket was sent, in order. */
function ops(texts: string[]): string[] {
  return texts.map((t) => {
    const m = JSON.parse(t) as { op: string; ids: string[] };
    return `${m.op}:${m.ids.join(",")}`;
  });
}

function openAll(r: Rig): void {
  r.clock.advance(5_000);
  for (const s of r.fake.alive()) if (!s.opened) s.open();
}

describe("WsShards", () => {
  it("does split ids over connections by max_per_connection, opening them staggered", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d", "e", "f", "g"]);
    expect(r.fake.sockets).toHaveLength(0);
    r.clock.advance(0);
    expect(r.fake.sockets.map((s) => s.connection)).toEqual(["f#0"]);
    r.clock.advance(199);
    expect(r.fake.sockets).toHaveLength(1);
    r.clock.advance(1);
    expect(r.fake.sockets).toHaveLength(2);
    r.clock.advance(200);
    expect(r.fake.sockets.map((s) => s.connection)).toEqual(["f#0", "f#1", "f#2"]);
    for (const s of r.fake.sockets) s.open();
    expect(ops(r.fake.last("f#0").texts)).toEqual(["sub:a,b,c"]);
    expect(ops(r.fake.last("f#1").texts)).toEqual(["sub:d,e,f"]);
    expect(ops(r.fake.last("f#2").texts)).toEqual(["sub:g"]);
    expect(r.subscribed.map((s) => `${s.connection}:${s.cause}:${s.ids.join(",")}`)).toEqual([
      "f#0:open:a,b,c",
      "f#1:open:d,e,f",
      "f#2:open:g",
    ]);
  });

  it("does subscribe and unsubscribe on live sockets without reconnecting the others", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d"]);
    openAll(r);
    const before = r.ws.connections().map((c) => c.generation);
    r.ws.subscribe(["e", "f", "g"]);
    r.ws.unsubscribe(["b"]);
    expect(ops(r.fake.last("f#1").texts)).toEqual(["sub:d", "sub:e,f"]);
    expect(ops(r.fake.last("f#0").texts)).toEqual(["sub:a,b,c", "unsub:b"]);
    openAll(r); // f#2 for "g"
    expect(ops(r.fake.last("f#2").texts)).toEqual(["sub:g"]);
    r.ws.subscribe(["h"]); // room left on f#0 after unsubscribing b
    expect(ops(r.fake.last("f#0").texts)).toEqual(["sub:a,b,c", "unsub:b", "sub:h"]);
    expect(r.ws.connections().slice(0, 2).map((c) => c.generation)).toEqual(before);
    expect(r.fake.sockets).toHaveLength(3);
    expect(r.subscribed.filter((s) => s.cause === "add").map((s) => s.ids.join(","))).toEqual(["e,f", "h"]);
  });

  it("does close a shard left empty and keep totals", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d"]);
    openAll(r);
    r.fake.last("f#1").message("x");
    r.ws.unsubscribe(["d"]);
    expect(r.fake.last("f#1").terminated).toBe(true);
    expect(r.ws.connections().map((c) => c.id)).toEqual(["f#0"]);
    expect(r.ws.stats()).toMatchObject({ connections: 1, messages: 1 });
    r.ws.subscribe(["d", "e", "f", "g"]);
    openAll(r);
    expect(r.ws.connections().map((c) => `${c.id}@${c.generation}`)).toEqual(["f#0@1", "f#1@1", "f#2@1"]);
  });

  it("does resubscribe everything a shard holds on every reconnect, and report the ids down", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d"]);
    openAll(r);
    r.ws.subscribe(["e"]);
    r.fake.last("f#1").close(1006);
    expect(r.downs).toEqual([{ ids: ["d", "e"], connection: "f#1" }]);
    openAll(r);
    expect(ops(r.fake.last("f#1").texts)).toEqual(["sub:d,e"]);
    expect(r.subscribed.at(-1)).toEqual({ ids: ["d", "e"], cause: "reopen", connection: "f#1", generation: 2 });
    expect(r.fake.of("f#0")).toHaveLength(1);
    expect(r.ws.stats()).toMatchObject({ reconnects: 1, resyncs: 2 });
  });

  it("does resubscribe ids for fresh snapshots on their own connections only", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d"]);
    openAll(r);
    r.ws.resubscribe(["b", "d", "unknown"]);
    expect(ops(r.fake.last("f#0").texts)).toEqual(["sub:a,b,c", "unsub:b", "sub:b"]);
    expect(ops(r.fake.last("f#1").texts)).toEqual(["sub:d", "unsub:d", "sub:d"]);
    expect(r.subscribed.filter((s) => s.cause === "resync").map((s) => `${s.connection}:${s.ids.join(",")}`)).toEqual(["f#0:b", "f#1:d"]);
    expect(r.fake.sockets).toHaveLength(2);
  });

  it("does cut subscribe frames to max_per_frame", () => {
    const r = rig({ maxPerConnection: 10, maxPerFrame: 4 });
    r.ws.subscribe(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    openAll(r);
    expect(ops(r.fake.last().texts)).toEqual(["sub:1,2,3,4", "sub:5,6,7,8", "sub:9"]);
  });

  it("does aggregate feed.status over shards", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d"]);
    r.clock.advance(1_000);
    r.fake.last("f#0").open();
    r.fake.last("f#1").open();
    r.fake.last("f#1").close(1006);
    openAll(r);
    r.ws.stop();
    const states = r.statuses.map((s) => s.state);
    expect(states[0]).toBe("connecting");
    expect(states).toContain("degraded");
    expect(states.indexOf("live")).toBeGreaterThan(states.indexOf("degraded"));
    expect(states.at(-1)).toBe("stopped");
    const degraded = r.statuses.find((s) => s.state === "degraded" && s.connection === "f#1")!;
    expect(degraded.reasons.join(" ")).toContain("f#1 reconnecting: closed by the venue");
    for (let i = 1; i < r.statuses.length; i++) expect(r.statuses[i]!.prev).toBe(r.statuses[i - 1]!.state);
  });

  it("does report stale then reconnecting then live when every shard stalls", () => {
    const r = rig({ staleAfterMs: 5_000 });
    r.ws.subscribe(["a"]);
    openAll(r);
    r.clock.advance(5_000);
    const tail = r.statuses.map((s) => s.state);
    expect(tail.slice(-3)).toEqual(["live", "stale", "reconnecting"]);
    openAll(r);
    expect(r.statuses.at(-1)!.state).toBe("live");
  });

  it("does fault the whole feed on request and never reconnect", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d"]);
    openAll(r);
    r.ws.fault("the venue rejected the API key");
    expect(r.statuses.at(-1)).toMatchObject({ state: "faulted", reasons: ["the venue rejected the API key"] });
    expect(r.downs.map((d) => d.connection).sort()).toEqual(["f#0", "f#1"]);
    r.clock.advance(600_000);
    expect(r.fake.alive()).toHaveLength(0);
    expect(r.fake.sockets).toHaveLength(2);
    expect(r.clock.pending()).toBe(0);
  });

  it("does compact shards after unsubscribes without reconnecting", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d", "e", "f", "g"]);
    openAll(r);
    r.ws.unsubscribe(["a", "b", "d"]);
    r.ws.compact();
    expect(r.ws.connections().map((c) => `${c.id}:${c.subscriptions}`)).toEqual(["f#0:3", "f#1:1"]);
    expect(ops(r.fake.last("f#2").texts)).toEqual(["sub:g", "unsub:g"]);
    expect(r.fake.last("f#2").terminated).toBe(true);
    expect(ops(r.fake.last("f#0").texts).slice(-2)).toEqual(["sub:g", "sub:e"]);
    expect(r.ws.connectionOf("g")?.id).toBe("f#0");
    expect(r.subscribed.filter((s) => s.cause === "move").map((s) => s.ids.join(","))).toEqual(["g", "e"]);
    expect(r.fake.sockets).toHaveLength(3);
  });

  it("does stop on abort with no timer left", () => {
    const ac = new AbortController();
    const r = rig({ signal: ac.signal, heartbeat: { intervalMs: 1_000, payload: "ping", isPong: (f) => f === "pong" } });
    r.ws.subscribe(["a", "b", "c", "d"]);
    openAll(r);
    ac.abort();
    expect(r.clock.pending()).toBe(0);
    expect(r.statuses.at(-1)!.state).toBe("stopped");
    r.ws.subscribe(["z"]);
    expect(r.fake.alive()).toHaveLength(0);
  });

  it("does mark a subscription that misses its promised cadence, and not a quiet one elsewhere", () => {
    const missed: string[] = [];
    const r = rig({ cadence: { everyMs: 1_000, graceMs: 1_000, onMissed: (ids) => missed.push(...ids) } });
    r.ws.subscribe(["a", "b"]);
    openAll(r);
    for (let i = 0; i < 5; i++) {
      r.clock.advance(1_000);
      r.fake.last().message("tick");
      r.ws.seen("a");
    }
    expect(missed).toEqual(["b"]);
    expect(r.fake.last().terminated).toBe(false);
  });

  it("does keep one socket per shard through reconnect races", () => {
    const r = rig();
    r.ws.subscribe(["a", "b", "c", "d", "e", "f"]);
    for (let round = 0; round < 20; round++) {
      openAll(r);
      for (const s of r.fake.alive()) {
        if (round % 2 === 0) s.error("reset");
        s.close(1006);
      }
      r.ws.connectionOf("a")?.reconnect("forced");
    }
    openAll(r);
    expect([...r.fake.maxAlive.values()]).toEqual([1, 1]);
    expect(r.fake.alive()).toHaveLength(2);
  });
});
