import { describe, expect, it } from "bun:test";
import { ManualClock } from "../clock.ts";
import { createLogger, MemorySink } from "../log.ts";
import { FakeSocketFactory } from "../../test/fakes/fake-socket.ts";
import { WsConnection, type ConnectionOptions, type ConnectionState } from "./connection.ts";
import type { HeartbeatOptions } from "./options.ts";

interface Rig {
  clock: ManualClock;
  fake: FakeSocketFactory;
  conn: WsConnection;
  states: { state: ConnectionState; reason: string; at: number }[];
  frames: (string | Uint8Array)[];
  opens: number;
  downs: string[];
  log: MemorySink;
}

function rig(extra: Partial<ConnectionOptions> = {}): Rig {
  const clock = new ManualClock(1_000_000);
  const fake = new FakeSocketFactory();
  const log = new MemorySink();
  const r: Rig = { clock, fake, conn: undefined as unknown as WsConnection, states: [], frames: [], opens: 0, downs: [], log };
  r.conn = new WsConnection({
    id: "f#0",
    feed: "f",
    clock,
    urls: ["ws://a"],
    socketFactory: fake.factory,
    staleAfterMs: 10_000,
    backoff: { minMs: 250, maxMs: 30_000, random: () => 0.5 },
    log: createLogger({ sink: log, level: "debug" }),
    hooks: {
      onOpen: () => r.opens++,
      onFrame: (d) => r.frames.push(d),
      onDown: (_c, reason) => r.downs.push(reason),
      onState: (_c, state, reason) => r.states.push({ state, reason, at: clock.now() }),
    },
    ...extra,
  });
  return r;
}

/** Advances until the connection has made a new socket. */
function nextSocket(r: Rig, maxMs = 60_000): void {
  const before = r.fake.sockets.length;
  for (let t = 0; t < maxMs && r.fake.sockets.length === before; t += 50) r.clock.advance(50);
  expect(r.fake.sockets.length).toBe(before + 1);
}

/** Advances until the connection has a new socket, then opens it. */
function reopen(r: Rig, maxMs = 60_000): void {
  nextSocket(r, maxMs);
  r.fake.last().open();
}

describe("WsConnection", () => {
  it("does connect, report live and pass frames to the feed", () => {
    const r = rig();
    r.conn.start();
    expect(r.conn.state).toBe("connecting");
    r.fake.last().open();
    expect(r.conn.state).toBe("live");
    expect(r.opens).toBe(1);
    r.fake.last().message('{"a":1}');
    expect(r.frames).toEqual(['{"a":1}']);
    expect(r.conn.stats()).toMatchObject({ messages: 1, bytes: 7, generation: 1, reconnects: 0 });
  });

  it("does reconnect by itself after the venue closes, and reports the socket down", () => {
    const r = rig();
    r.conn.start();
    r.fake.last().open();
    r.fake.last().close(1001, "going away");
    expect(r.conn.state).toBe("reconnecting");
    expect(r.downs).toHaveLength(1);
    expect(r.downs[0]).toContain("code 1001");
    reopen(r);
    expect(r.conn.state).toBe("live");
    expect(r.opens).toBe(2);
    expect(r.conn.stats()).toMatchObject({ generation: 2, reconnects: 1 });
  });

  it("does detect a silent stall within stale_after_ms, close the socket and reopen", () => {
    const r = rig();
    r.conn.start();
    const first = r.fake.last();
    first.open();
    first.message("x");
    const lastAt = r.clock.now();
    r.clock.advance(9_999);
    expect(r.conn.state).toBe("live");
    r.clock.advance(1);
    const stale = r.states.find((s) => s.state === "stale");
    expect(stale).toBeDefined();
    expect(stale!.at - lastAt).toBeLessThanOrEqual(2 * 10_000);
    expect(first.terminated).toBe(true);
    expect(r.downs).toHaveLength(1);
    reopen(r);
    expect(r.states.map((s) => s.state)).toEqual(["connecting", "live", "stale", "reconnecting", "reconnecting", "live"]);
  });

  it("does not call a quiet but answering socket stale", () => {
    const r = rig({ heartbeat: { intervalMs: 4_000, payload: "ping", isPong: (f) => f === "pong" } });
    r.conn.start();
    const s = r.fake.last();
    s.open();
    for (let i = 0; i < 20; i++) {
      r.clock.advance(4_000);
      expect(s.texts.at(-1)).toBe("ping");
      s.message("pong");
    }
    expect(r.conn.state).toBe("live");
    expect(r.frames).toEqual([]); // pongs are not passed on
    expect(s.texts.filter((t) => t === "ping")).toHaveLength(20);
  });

  it("does treat a missing pong as a dead socket (half-open)", () => {
    const hb: HeartbeatOptions = { intervalMs: 5_000, timeoutMs: 3_000, payload: () => '{"op":"ping"}', isPong: (f) => f.includes('"pong"') };
    const r = rig({ heartbeat: hb, staleAfterMs: 60_000 });
    r.conn.start();
    const s = r.fake.last();
    s.open();
    r.clock.advance(5_000);
    expect(s.texts).toEqual(['{"op":"ping"}']);
    s.message("data keeps flowing but no pong");
    r.clock.advance(2_999);
    expect(r.conn.state).toBe("live");
    r.clock.advance(1);
    expect(r.states.some((x) => x.state === "stale" && x.reason.includes("no pong within 3000 ms"))).toBe(true);
    expect(s.terminated).toBe(true);
    reopen(r);
    expect(r.conn.state).toBe("live");
  });

  it("does ping only when idle with idleOnly", () => {
    const r = rig({ heartbeat: { intervalMs: 5_000, idleOnly: true, payload: "ping", isPong: (f) => f === "pong" } });
    r.conn.start();
    const s = r.fake.last();
    s.open();
    for (let i = 0; i < 10; i++) {
      r.clock.advance(1_000);
      s.message("tick");
    }
    expect(s.texts).toEqual([]);
    r.clock.advance(10_000);
    expect(s.texts).toEqual(["ping"]);
  });

  it("does send protocol pings and accept protocol pongs", () => {
    const r = rig({ heartbeat: { intervalMs: 5_000, protocol: true } });
    r.conn.start();
    const s = r.fake.last();
    s.open();
    r.clock.advance(5_000);
    expect(s.pings).toBe(1);
    s.pong();
    r.clock.advance(5_000);
    expect(s.pings).toBe(2);
    r.clock.advance(5_000); // no pong to the second ping
    expect(r.conn.state).not.toBe("live");
    expect(s.terminated).toBe(true);
  });

  it("does answer the venue's text pings and count protocol pings as activity", () => {
    const r = rig({ heartbeat: { intervalMs: 0, reply: (f) => (f === "ping" ? "pong" : undefined) } });
    r.conn.start();
    const s = r.fake.last();
    s.open();
    s.message("ping");
    expect(s.texts).toEqual(["pong"]);
    expect(r.frames).toEqual([]);
    for (let i = 0; i < 10; i++) {
      r.clock.advance(9_000);
      s.serverPing();
    }
    expect(r.conn.state).toBe("live");
  });

  it("does give up a handshake after connect_timeout_ms and try again", () => {
    const r = rig({ connectTimeoutMs: 2_000 });
    r.conn.start();
    const s = r.fake.last();
    r.clock.advance(2_000);
    expect(s.terminated).toBe(true);
    expect(r.conn.state).toBe("reconnecting");
    expect(r.states.at(-1)!.reason).toContain("no handshake within 2000 ms");
    reopen(r);
    expect(r.conn.state).toBe("live");
  });

  it("does fault after repeated 4xx handshake refusals, and never for 429", () => {
    const r = rig({ faultAfterRejections: 3 });
    r.conn.start();
    for (let i = 0; i < 10; i++) {
      r.fake.last().error("Expected 101 status code: 429", 429);
      r.clock.advance(60_000);
    }
    expect(r.conn.state).not.toBe("faulted");
    for (let i = 0; i < 3; i++) {
      r.fake.last().error("Expected 101 status code: 401", 401);
      r.clock.advance(60_000);
    }
    expect(r.conn.state).toBe("faulted");
    expect(r.states.at(-1)!.reason).toContain("HTTP 401");
    const n = r.fake.sockets.length;
    r.clock.advance(10 * 60_000);
    expect(r.fake.sockets.length).toBe(n);
    expect(r.clock.pending()).toBe(0);
  });

  it("does rotate to the next endpoint after repeated failures and wrap around", () => {
    const r = rig({ urls: ["ws://a", "ws://b"], rotateAfterFailures: 2 });
    r.conn.start();
    const urls: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = r.fake.last();
      urls.push(s.url);
      s.error("connect ECONNREFUSED");
      nextSocket(r);
    }
    expect(urls).toEqual(["ws://a", "ws://a", "ws://b", "ws://b", "ws://a", "ws://a"]);
  });

  it("does stay on an endpoint that keeps working", () => {
    const r = rig({ urls: ["ws://a", "ws://b"], rotateAfterFailures: 2, healthyAfterMs: 1_000 });
    r.conn.start();
    for (let i = 0; i < 5; i++) {
      r.fake.last().open();
      r.fake.last().message("x");
      r.clock.advance(1_000);
      r.fake.last().message("x");
      r.fake.last().close();
      nextSocket(r);
    }
    expect(new Set(r.fake.sockets.map((s) => s.url))).toEqual(new Set(["ws://a"]));
  });

  it("does back off exponentially and start again after a healthy period", () => {
    const r = rig({ healthyAfterMs: 5_000, staleAfterMs: 0, backoff: { minMs: 250, maxMs: 30_000, random: () => 1 } });
    r.conn.start();
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const s = r.fake.last();
      s.error("connect ECONNREFUSED");
      delays.push(Number(/reconnecting in (\d+) ms/.exec(r.states.at(-1)!.reason)![1]));
      r.clock.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    r.fake.last().open();
    r.clock.advance(5_000);
    r.fake.last().close();
    expect(r.states.at(-1)!.reason).toContain("reconnecting in 250 ms");
  });

  it("does bound attempts while the venue refuses for ten minutes", () => {
    for (const random of [() => 0, () => 1, Math.random]) {
      const r = rig({ backoff: { minMs: 250, maxMs: 30_000, random } });
      r.conn.start();
      const end = r.clock.now() + 10 * 60_000;
      while (r.clock.now() < end) {
        const s = r.fake.last();
        if (s.alive) s.error("Expected 101 status code: 503", 503);
        r.clock.advance(100);
      }
      // worst case (every draw at the floor, cap/2): 125+250+…+15000 then 15 s apart
      let t = 0;
      let bound = 1;
      for (let n = 0; t <= 10 * 60_000; n++, bound++) t += Math.min(30_000, 250 * 2 ** n) / 2;
      expect(r.fake.sockets.length).toBeLessThanOrEqual(bound);
      expect(r.fake.sockets.length).toBeGreaterThan(10);
      expect(r.fake.maxAlive.get("f#0")).toBe(1);
    }
  });

  it("does keep one socket per connection under close and error races", () => {
    const r = rig();
    r.conn.start();
    r.conn.start();
    let s = r.fake.last();
    s.open();
    s.error("reset");
    s.close(1006);
    reopen(r);
    s = r.fake.last();
    r.conn.reconnect("asked twice");
    r.conn.reconnect("asked twice");
    s.close(1006);
    reopen(r);
    s = r.fake.last();
    // an error while connecting, then the handshake completes on the dead socket
    r.conn.reconnect("again");
    nextSocket(r);
    const pending = r.fake.last();
    pending.error("boom");
    pending.open();
    pending.message("late");
    // a runtime that reports late events of a socket already dropped
    pending.rawHandlers.onOpen();
    pending.rawHandlers.onMessage("late");
    pending.rawHandlers.onClose(1006, "");
    reopen(r);
    const old = r.fake.of("f#0")[0]!.rawHandlers;
    old.onError("late", undefined);
    old.onClose(1006, "");
    old.onMessage("late");
    expect(r.frames).toEqual([]);
    expect(r.fake.maxAlive.get("f#0")).toBe(1);
    expect(r.fake.alive()).toHaveLength(1);
    expect(r.conn.state).toBe("live");
  });

  it("does survive a factory that throws, and a send on a dying socket", () => {
    const r = rig();
    r.fake.throwNext = new Error("bad url");
    r.conn.start();
    expect(r.conn.state).toBe("reconnecting");
    reopen(r);
    const s = r.fake.last();
    s.terminated = true; // the runtime closed it under us
    expect(r.conn.send("x")).toBe(false);
    expect(r.conn.state).toBe("reconnecting");
    reopen(r);
    expect(r.conn.state).toBe("live");
  });

  it("does count a throwing frame handler and malformed frames, logging each shape once", () => {
    const r = rig({
      hooks: {
        onOpen: () => {},
        onFrame: (d, c) => {
          if (d === "boom") throw new TypeError("bad");
          c.malformed("json", d);
        },
      },
    });
    r.conn.start();
    r.fake.last().open();
    for (let i = 0; i < 5; i++) {
      r.fake.last().message("boom");
      r.fake.last().message("{oops");
    }
    expect(r.conn.state).toBe("live");
    expect(r.conn.stats().errors).toBe(10);
    expect(r.log.lines.filter((l) => l.includes("frame handler threw"))).toHaveLength(1);
    expect(r.log.lines.filter((l) => l.includes("malformed frame"))).toHaveLength(1);
  });

  it("does stop with no timer left and ignore the old socket afterwards", () => {
    const r = rig({ heartbeat: { intervalMs: 1_000, payload: "ping", isPong: (f) => f === "pong" } });
    r.conn.start();
    const s = r.fake.last();
    s.open();
    r.conn.stop();
    expect(r.clock.pending()).toBe(0);
    expect(s.terminated).toBe(true);
    r.clock.advance(120_000);
    expect(r.fake.sockets).toHaveLength(1);
    expect(r.conn.state).toBe("stopped");
  });

  it("does tap raw frames only while something listens", () => {
    const raw: unknown[] = [];
    let listeners = 0;
    const r = rig({
      tap: { listenerCount: () => listeners, emit: (_n, p) => raw.push(p) },
    });
    r.conn.start();
    r.fake.last().open();
    r.fake.last().message("a");
    listeners = 1;
    r.fake.last().message("b");
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatchObject({ feed: "f", connection: "f#0", data: "b", tsRecv: r.clock.now(), source: "ws" });
    const frame = raw[0] as { tsRecvNs: bigint; tsRecvPerf: number };
    expect(typeof frame.tsRecvNs).toBe("bigint");
    expect(frame.tsRecvNs).toBe(BigInt(Math.round(performance.timeOrigin * 1e6)) + BigInt(Math.round(frame.tsRecvPerf * 1e6)));
  });

  it("does send fresh upgrade headers on every attempt", () => {
    let n = 0;
    const r = rig({ headers: () => ({ "x-ts": String(++n) }) });
    r.conn.start();
    r.fake.last().error("refused");
    r.clock.advance(250);
    expect(r.fake.sockets.map((s) => s.headers?.["x-ts"])).toEqual(["1", "2"]);
  });
});
