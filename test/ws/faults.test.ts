/**
 * The connection driven through every venue fault against a real fake venue on 127.0.0.1: detected
 * within the stated time (ManualClock), recovered by itself, resubscribed, status transitions as expected.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { waitFor } from "../fakes/fake-venue.ts";
import { TcpProxy } from "../fakes/tcp-proxy.ts";
import { harness, jsonProtocol, shardOf, type Harness } from "./harness.ts";

let h: Harness | undefined;
let proxy: TcpProxy | undefined;
afterEach(() => {
  h?.stop();
  proxy?.stop();
  h = proxy = undefined;
});

/** Subscribes, connects and waits until the venue has the subscription. */
async function connected(hh: Harness, ids = ["A", "B"]): Promise<void> {
  hh.ws.subscribe(ids);
  await hh.run(250 * ids.length);
  await waitFor(() => hh.frames.length >= ids.length, "snapshots");
  expect(hh.ws.status().state).toBe("live");
}

/** The venue's newest client has all `ids` subscribed again. */
async function resubscribed(hh: Harness, ids: string[], clientsBefore: number): Promise<void> {
  await waitFor(() => hh.venue.clients.length > clientsBefore && ids.every((id) => hh.venue.last().subscriptions.has(id)), "resubscribe");
}

function states(hh: Harness): string[] {
  return hh.statuses.map((s) => s.state);
}

describe("connection faults against a fake venue", () => {
  it("does connect, subscribe and go live", async () => {
    h = harness();
    h.ws.subscribe(["A", "B"]);
    expect(states(h)).toEqual(["connecting"]);
    await connected(h);
    expect(states(h)).toEqual(["connecting", "live"]);
    expect(h.venue.last().subscribeFrames).toEqual(['{"op":"subscribe","args":["A","B"]}']);
    expect(h.subscribed).toEqual([{ ids: ["A", "B"], cause: "open", connection: "fake#0" }]);
  });

  it("does recover from an abrupt close and resubscribe", async () => {
    h = harness();
    await connected(h);
    h.venue.last().drop();
    await waitFor(() => h!.ws.status().state === "reconnecting", "close seen");
    expect(h.downs).toEqual([["A", "B"]]);
    await h.run(1_000);
    await resubscribed(h, ["A", "B"], 1);
    expect(states(h)).toEqual(["connecting", "live", "reconnecting", "live"]);
    expect(h.subscribed.at(-1)!.cause).toBe("reopen");
    expect(h.ws.stats()).toMatchObject({ reconnects: 1, connections: 1 });
  });

  it("does detect a silent stall within 2 × stale_after_ms and recover", async () => {
    h = harness(jsonProtocol, { heartbeat: undefined, staleAfterMs: 10_000 });
    await connected(h);
    const lastData = h.clock.now();
    h.venue.last().mode = "stalled";
    let detectedAt = -1;
    h.bus.on("feed.status", (s) => {
      if (s.state === "stale" && detectedAt < 0) detectedAt = h!.clock.now();
    });
    await h.run(12_000, 500);
    expect(detectedAt).toBeGreaterThan(0);
    expect(detectedAt - lastData).toBeLessThanOrEqual(2 * 10_000);
    await resubscribed(h, ["A", "B"], 1);
    expect(states(h)).toEqual(["connecting", "live", "stale", "reconnecting", "live"]);
  });

  it("does keep a quiet connection whose venue answers pings live", async () => {
    h = harness();
    await connected(h);
    await h.run(120_000, 1_000);
    expect(h.venue.clients).toHaveLength(1);
    expect(h.venue.last().textPings).toBeGreaterThanOrEqual(20);
    expect(states(h)).toEqual(["connecting", "live"]);
  });

  it("does treat a venue that stops answering pings as dead (half-open)", async () => {
    h = harness(jsonProtocol, { staleAfterMs: 60_000, heartbeat: { intervalMs: 5_000, timeoutMs: 3_000, payload: "ping", isPong: (f) => f === "pong" } });
    await connected(h);
    const c = h.venue.last();
    c.mode = "mute-pongs";
    const stop = h.venue.load(1_000, 1, (i) => c.send(JSON.stringify({ id: "A", seq: i + 2 })));
    await h.run(9_000, 500);
    stop();
    expect(h.statuses.find((s) => s.state === "stale")!.reasons.join()).toContain("no pong within 3000 ms");
    await resubscribed(h, ["A", "B"], 1);
    expect(h.ws.status().state).toBe("live");
  });

  it("does detect a half-open TCP connection with protocol pings and recover", async () => {
    h = harness(jsonProtocol, (venue) => {
      proxy = TcpProxy.start(venue.port);
      return {
        urls: [`ws://127.0.0.1:${proxy.port}/ws`],
        heartbeat: { intervalMs: 5_000, timeoutMs: 5_000, protocol: true },
        staleAfterMs: 60_000,
      };
    });
    await connected(h);
    h.clock.advance(5_000);
    await waitFor(() => h!.venue.last().protocolPings === 1, "first protocol ping");
    await Bun.sleep(5); // its pong comes back through the proxy
    proxy!.blackhole(true);
    h.clock.advance(5_000); // second ping, lost
    await Bun.sleep(5);
    expect(h.ws.status().state).toBe("live");
    h.clock.advance(5_000); // its pong never came
    expect(states(h)).toEqual(["connecting", "live", "stale", "reconnecting"]);
    proxy!.blackhole(false);
    await h.run(1_000);
    await resubscribed(h, ["A", "B"], 1);
    expect(states(h)).toEqual(["connecting", "live", "stale", "reconnecting", "live"]);
  });

  it("does count malformed frames without crashing and log each shape once", async () => {
    const seen: string[] = [];
    h = harness(jsonProtocol, {
      onFrame: (data, conn) => {
        try {
          seen.push((JSON.parse(String(data)) as { id: string }).id);
        } catch {
          conn.malformed("json", String(data));
        }
      },
    });
    h.ws.subscribe(["A", "B"]);
    await h.run(250);
    await waitFor(() => seen.length === 2, "snapshots");
    const c = h.venue.last();
    for (let i = 0; i < 3; i++) c.sendMalformed();
    c.send(JSON.stringify({ id: "A", seq: 2 }));
    await waitFor(() => seen.length === 3, "frame after garbage");
    expect(h.ws.stats().errors).toBe(3);
    expect(h.log.lines.filter((l) => l.includes("malformed frame"))).toHaveLength(1);
    expect(h.ws.status().state).toBe("live");
  });

  it("does reconnect after a clean close (24-hour limit, service upgrade, server error)", async () => {
    h = harness();
    await connected(h);
    for (const [i, [code, reason]] of ([[1001, "24h limit"], [1011, "internal error"], [1012, "service restart"]] as const).entries()) {
      h.venue.last().close(code, reason);
      await waitFor(() => h!.ws.status().state === "reconnecting", "close seen");
      expect(h.statuses.at(-1)!.reasons.join()).toContain(`code ${code}: ${reason}`);
      await h.run(1_000);
      await resubscribed(h, ["A", "B"], i + 1);
    }
    expect(h.ws.stats().reconnects).toBe(3);
  });

  it("does recover after the venue cuts a slow consumer", async () => {
    h = harness({ ...jsonProtocol, maxBufferedBytes: 256 * 1024 });
    await connected(h);
    const c = h.venue.last();
    const big = JSON.stringify({ id: "A", pad: "x".repeat(64 * 1024) });
    for (let i = 0; i < 400 && c.open; i++) c.send(big);
    expect(c.closeCode ?? 1008).toBe(1008);
    await waitFor(() => h!.ws.status().state === "reconnecting", "cut seen");
    await h.run(1_000);
    await resubscribed(h, ["A", "B"], 1);
  });

  it("does fault on the feed's request and stop connecting", async () => {
    h = harness(
      { ...jsonProtocol, onSubscribe: (c) => c.send('{"event":"error","code":"60018","msg":"bad instrument"}') },
      {
        onFrame: (data) => {
          if (String(data).includes('"error"')) h!.ws.fault("the venue rejected the subscription: bad instrument");
        },
      },
    );
    h.ws.subscribe(["NOPE"]);
    await h.run(250);
    await waitFor(() => h!.ws.status().state === "faulted", "fault");
    const upgrades = h.venue.upgrades;
    await h.run(120_000, 10_000);
    expect(h.venue.upgrades).toBe(upgrades);
    expect(h.statuses.at(-1)).toMatchObject({ state: "faulted", reasons: ["the venue rejected the subscription: bad instrument"] });
  });

  it("does fault after the venue refuses the handshake with 401 repeatedly", async () => {
    h = harness(jsonProtocol, { faultAfterRejections: 3 });
    h.venue.refuse(401);
    h.ws.subscribe(["A"]);
    await h.run(60_000, 500);
    expect(h.ws.status().state).toBe("faulted");
    expect(h.venue.refusals).toBe(3);
    expect(h.ws.status().reasons.join()).toContain("HTTP 401");
  });

  it("does answer the venue's protocol pings and count them as activity", async () => {
    h = harness(jsonProtocol, { heartbeat: undefined, staleAfterMs: 15_000 });
    await connected(h);
    const c = h.venue.last();
    for (let i = 0; i < 12; i++) {
      c.ping("heartbeat");
      await Bun.sleep(2);
      h.clock.advance(10_000);
    }
    expect(h.venue.clients).toHaveLength(1);
    expect(h.ws.status().state).toBe("live");
  });

  it("does tag every socket with its shard and keep one socket per shard", async () => {
    h = harness(jsonProtocol, { maxPerConnection: 1 });
    await connected(h, ["A", "B", "C"]);
    expect(h.venue.live().map(shardOf).sort()).toEqual(["fake#0", "fake#1", "fake#2"]);
    for (let round = 0; round < 5; round++) {
      h.venue.dropAll();
      h.ws.connectionOf("B")?.reconnect("forced");
      await Bun.sleep(5);
      await h.run(2_000);
    }
    await h.run(10_000, 500); // backoff grew: none of them stayed up for healthy_after_ms
    await waitFor(() => h!.ws.status().state === "live", `all live (${JSON.stringify(h!.ws.connections().map((c) => [c.state, c.handshaking]))})`);
    expect([...h.tracker.maxAlive.values()]).toEqual([1, 1, 1]);
  });
});
