/**
 * A feed-shaped harness for the connection tests: `WsShards` on a ManualClock against a real fake venue
 * on 127.0.0.1. Timers (watchdogs, backoff, heartbeats) move only with the clock; network events are
 * real and awaited with `settle()`.
 */
import { Bus } from "../../core/bus.ts";
import { ManualClock } from "../../core/clock.ts";
import type { FeedStatus } from "../../core/events.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import { WsShards, type ShardsOptions } from "../../core/ws/shards.ts";
import { bunSocketFactory } from "../../core/ws/socket.ts";
import { FakeVenue, waitFor, type FakeClient, type FakeVenueOptions } from "../fakes/fake-venue.ts";
import { trackSockets, type SocketTracker } from "../fakes/socket-tracker.ts";

/** A tiny JSON protocol: `{"op":"subscribe","args":[ids]}`; market frames `{"id":…,"seq":n}`. */
export const jsonProtocol: FakeVenueOptions = {
  heartbeat: (t) => (t === "ping" ? "pong" : undefined),
  subscription: (t) => {
    if (!t.startsWith("{")) return undefined;
    const m = JSON.parse(t) as { op?: string; args?: string[] };
    if ((m.op === "subscribe" || m.op === "unsubscribe") && Array.isArray(m.args)) return { op: m.op, ids: m.args };
    return undefined;
  },
  onSubscribe: (c: FakeClient, ids) => {
    for (const id of ids) c.send(JSON.stringify({ id, snapshot: true, seq: 1 }));
  },
};

export interface Harness {
  clock: ManualClock;
  venue: FakeVenue;
  bus: Bus;
  ws: WsShards;
  tracker: SocketTracker;
  statuses: FeedStatus[];
  frames: string[];
  downs: string[][];
  subscribed: { ids: string[]; cause: string; connection: string }[];
  log: MemorySink;
  /** Waits (real time) until no handshake is in flight; false if one is still pending after `ms`. */
  settle(ms?: number): Promise<boolean>;
  /** Advances the clock in steps of `stepMs`, settling the network after each step. */
  run(totalMs: number, stepMs?: number): Promise<void>;
  stop(): void;
}

export function harness(
  venueOptions: FakeVenueOptions = jsonProtocol,
  overrides: Partial<ShardsOptions> | ((venue: FakeVenue) => Partial<ShardsOptions>) = {},
): Harness {
  const clock = new ManualClock(1_700_000_000_000);
  const venue = FakeVenue.start({ clock, ...venueOptions });
  const extra = typeof overrides === "function" ? overrides(venue) : overrides;
  const bus = new Bus();
  const log = new MemorySink();
  const tracker = trackSockets(bunSocketFactory, (url, id) => `${url}?c=${encodeURIComponent(id)}`);
  const h = { clock, venue, bus, tracker, statuses: [], frames: [], downs: [], subscribed: [], log } as unknown as Harness;
  bus.on("feed.status", (s) => h.statuses.push(s));
  h.ws = new WsShards({
    feed: "fake",
    clock,
    bus,
    log: createLogger({ sink: log, level: "debug" }),
    urls: [venue.url],
    socketFactory: tracker.factory,
    backoff: { minMs: 250, maxMs: 30_000, random: () => 0.5 },
    staleAfterMs: 10_000,
    heartbeat: { intervalMs: 5_000, payload: "ping", isPong: (f) => f === "pong" },
    encodeSubscribe: (ids) => [JSON.stringify({ op: "subscribe", args: ids })],
    encodeUnsubscribe: (ids) => [JSON.stringify({ op: "unsubscribe", args: ids })],
    onFrame: (data) => void h.frames.push(typeof data === "string" ? data : new TextDecoder().decode(data)),
    onDown: (ids) => void h.downs.push([...ids]),
    onSubscribed: (ids, cause, info) => void h.subscribed.push({ ids: [...ids], cause, connection: info.connection }),
    ...extra,
  });
  h.settle = async (ms = 2_000) => {
    try {
      await waitFor(() => !h.ws.connections().some((c) => c.handshaking), "handshakes", ms);
      await Bun.sleep(1); // let frames sent on open reach the venue
      return true;
    } catch {
      return false;
    }
  };
  h.run = async (totalMs, stepMs = 250) => {
    for (let t = 0; t < totalMs; t += stepMs) {
      clock.advance(Math.min(stepMs, totalMs - t));
      await h.settle();
    }
  };
  h.stop = () => {
    h.ws.stop();
    venue.stop();
  };
  return h;
}

/** The connection id a venue client belongs to (the harness tags each socket's url). */
export function shardOf(c: FakeClient): string {
  return c.query.get("c") ?? "";
}
