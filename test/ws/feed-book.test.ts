/**
 * The feed wiring of docs/market-data.md end to end: a sequenced fake venue → WsShards → parse → store
 * writer → frame.end. Through gaps, bad checksums, duplicates, drops and stalls the book comes back equal
 * to the venue's, and no frame.end ever shows it fresh while it differs from the venue's book.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { Bus } from "../../core/bus.ts";
import { ManualClock } from "../../core/clock.ts";
import type { Level } from "../../core/events.ts";
import { silentLogger } from "../../core/log.ts";
import type { BookView } from "../../core/market.ts";
import { createMarketStore, defaultHealthSettings } from "../../core/store.ts";
import { WsShards } from "../../core/ws/shards.ts";
import { FakeVenue, waitFor, type FakeClient } from "../fakes/fake-venue.ts";

/** The venue's truth: one book per id with a sequence number. */
class VenueBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  seq = 1;
  constructor() {
    for (let i = 0; i < 5; i++) {
      this.bids.set(100 - i, 1 + i);
      this.asks.set(101 + i, 1 + i);
    }
    this.record();
  }
  levels(side: "bids" | "asks"): Level[] {
    const m = side === "bids" ? this.bids : this.asks;
    return [...m.entries()].sort((a, b) => (side === "bids" ? b[0] - a[0] : a[0] - b[0]));
  }
  /** Levels at each sequence number, as JSON: what a client's book must equal at that seq. */
  history = new Map<number, string>();
  record(): void {
    this.history.set(this.seq, JSON.stringify([this.levels("bids"), this.levels("asks")]));
  }
  checksum(): string {
    return `${this.levels("bids")[0]?.[0]}:${this.levels("asks")[0]?.[0]}`;
  }
}

const books = new Map<string, VenueBook>();
let step = 0;
function snapshotFrame(id: string): string {
  const b = books.get(id)!;
  return JSON.stringify({ type: "snapshot", id, seq: b.seq, bids: b.levels("bids"), asks: b.levels("asks") });
}
/** One change on the venue's book, published as a delta. */
function nextDelta(id: string): string {
  const b = books.get(id)!;
  const prev = b.seq++;
  step++;
  const bidPx = 100 - (step % 5);
  const askPx = 101 + ((step * 3) % 5);
  const bidSz = step % 4 === 0 ? 0 : 1 + (step % 7);
  b.bids.set(bidPx, bidSz);
  if (bidSz === 0) b.bids.delete(bidPx);
  b.asks.set(askPx, 2 + (step % 3));
  b.record();
  return JSON.stringify({ type: "delta", id, seq: b.seq, prev, bids: [[bidPx, bidSz]], asks: [[askPx, 2 + (step % 3)]], cs: b.checksum() });
}

/** The client's book equals the venue's book at the same sequence number (latest: the venue's book now). */
function sameAsVenue(view: BookView | undefined, id: string, latest = false): boolean {
  if (view === undefined || view.seq === undefined) return false;
  const v = books.get(id)!;
  if (latest && view.seq !== v.seq) return false;
  const d = view.depth(100);
  return JSON.stringify([d.bids, d.asks]) === v.history.get(view.seq);
}

function setup() {
  books.clear();
  const clock = new ManualClock(1_700_000_000_000);
  const venue = FakeVenue.start({
    clock,
    heartbeat: (t) => (t === "ping" ? "pong" : undefined),
    subscription: (t) => {
      const m = JSON.parse(t) as { op: "subscribe" | "unsubscribe"; args: string[] };
      return { op: m.op, ids: m.args };
    },
    onSubscribe: (c: FakeClient, ids) => {
      for (const id of ids) {
        if (!books.has(id)) books.set(id, new VenueBook());
        c.send(snapshotFrame(id));
      }
    },
  });
  const bus = new Bus();
  const store = createMarketStore({ bus, clock, health: defaultHealthSettings, log: silentLogger });
  /** Per frame.end: was a fresh book different from the venue's? */
  const violations: string[] = [];
  let frameEnds = 0;
  bus.on("frame.end", (f) => {
    frameEnds++;
    for (const id of f.instruments) {
      if (store.fresh("v", id).ok && !sameAsVenue(store.book("v", id), id)) violations.push(`${id} fresh but wrong at frame ${frameEnds}`);
    }
  });
  const results: string[] = [];
  // --- the feed, wired as docs/market-data.md shows ---
  const w = store.writer("v", {
    checksum: (book, expected) => `${book.price("bid", 0)}:${book.price("ask", 0)}` === expected,
    onResync: (instrument) => ws.resubscribe([instrument]),
  });
  const ws: WsShards = new WsShards({
    feed: "v",
    clock,
    bus,
    urls: [venue.url],
    backoff: { random: () => 0.5 },
    staleAfterMs: 10_000,
    heartbeat: { intervalMs: 3_000, payload: "ping", isPong: (f) => f === "pong" },
    encodeSubscribe: (ids) => [JSON.stringify({ op: "subscribe", args: ids })],
    encodeUnsubscribe: (ids) => [JSON.stringify({ op: "unsubscribe", args: ids })],
    onSubscribed(ids, cause) {
      for (const id of ids) w.resync(id, cause === "add" ? "subscribe" : "reconnect");
      w.endFrame(clock.now());
    },
    onDown(ids) {
      for (const id of ids) w.markStale(id);
      w.endFrame(clock.now());
    },
    onFrame(data, conn, tsRecv) {
      let m: { type: string; id: string; seq: number; prev?: number; bids: Level[]; asks: Level[]; cs?: string };
      try {
        m = JSON.parse(String(data));
      } catch {
        return conn.malformed("json", data);
      }
      const base = { feed: "v", instrument: m.id, key: m.id, tsEvent: tsRecv, tsRecv, bids: m.bids, asks: m.asks, seq: m.seq };
      if (m.type === "snapshot") w.snapshot(base);
      else results.push(w.delta({ ...base, prevSeq: m.prev }, m.cs));
      w.endFrame(tsRecv);
    },
  });
  const settle = async (): Promise<void> => {
    await waitFor(() => !ws.connections().some((c) => c.handshaking), "handshake");
    await Bun.sleep(3);
  };
  const pump = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) venue.publish("X", nextDelta("X"));
    await Bun.sleep(3);
  };
  const synced = async (): Promise<void> => {
    for (let i = 0; i < 200 && !(store.fresh("v", "X").ok && sameAsVenue(store.book("v", "X"), "X", true)); i++) {
      clock.advance(100);
      await settle();
    }
    expect(store.fresh("v", "X").ok).toBe(true);
    expect(sameAsVenue(store.book("v", "X"), "X", true)).toBe(true);
  };
  return { clock, venue, store, ws, violations, results, pump, settle, synced };
}

let rig: ReturnType<typeof setup> | undefined;
afterEach(() => {
  rig?.ws.stop();
  rig?.venue.stop();
  rig?.store.stop();
  rig = undefined;
});

describe("feed → store through venue faults", () => {
  it("does keep the book equal to the venue's through gaps, bad checksums, duplicates, drops and stalls", async () => {
    const r = (rig = setup());
    r.ws.subscribe(["X"]);
    r.clock.advance(0);
    await r.settle();
    await r.synced();
    await r.pump(20);
    await r.synced();

    r.venue.last().dropNext(); // sequence gap
    await r.pump(5);
    expect(r.results).toContain("gap");
    await r.synced();

    r.venue.last().mutateNext((f) => f.replace(/"cs":"[^"]*"/, '"cs":"0:0"')); // bad checksum
    await r.pump(3);
    expect(r.results).toContain("checksum");
    await r.synced();

    r.venue.last().duplicateNext(2);
    await r.pump(3);
    expect(r.results).toContain("duplicate");
    await r.synced();

    r.venue.last().drop(); // abrupt close
    await waitFor(() => r.ws.status().state === "reconnecting", "close seen");
    expect(r.store.fresh("v", "X").ok).toBe(false);
    await r.pump(4); // the venue moves on while we are away
    await r.synced();

    r.venue.last().mode = "stalled"; // silent stall: caught by the watchdog
    await r.pump(4);
    for (let i = 0; i < 120 && r.ws.status().state === "live"; i++) r.clock.advance(100);
    expect(r.store.fresh("v", "X").ok).toBe(false);
    await r.synced();
    await r.pump(10);
    await r.synced();

    expect(r.violations).toEqual([]);
    expect(r.venue.clients.length).toBe(3);
  });
});
