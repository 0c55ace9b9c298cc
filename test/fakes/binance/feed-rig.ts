/**
 * Runs one perp feed plugin (Paradex, Binance, Bybit) in a real `Runtime` on a ManualClock against its
 * fake venue on 127.0.0.1: real sockets and REST, timers only when the test advances the clock. Shared by
 * test/feeds/{paradex,binance,bybit}.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../../core/clock.ts";
import { loadConfigSource } from "../../../core/config/load.ts";
import type { Level } from "../../../core/events.ts";
import { createLogger, MemorySink } from "../../../core/log.ts";
import type { BookView } from "../../../core/market.ts";
import type { AnyPlugin, FeedRow } from "../../../core/plugin.ts";
import { createRegistry } from "../../../core/registry.ts";
import { Runtime } from "../../../core/runtime.ts";
import { bunSocketFactory, type SocketFactory } from "../../../core/ws/socket.ts";
import { waitFor, type FakeVenue } from "../fake-venue.ts";
import { bookText, type TruthHistory } from "./book-truth.ts";

export interface FeedRig {
  readonly rt: Runtime;
  readonly clock: ManualClock;
  readonly log: MemorySink;
  readonly feed: string;
  /** The store's book of `instrument`, best first, at most `depth` levels per side. */
  depth(instrument: string, depth?: number): { bids: Level[]; asks: Level[] } | undefined;
  book(instrument: string): BookView | undefined;
  /** `store.fresh(...).ok`. */
  fresh(instrument: string): boolean;
  row(): FeedRow;
  /** Waits (real time, network) until `cond` holds. */
  until(cond: () => boolean, what: string, ms?: number): Promise<void>;
  /** Waits until `cond` holds, nudging the clock by `stepMs` between polls (zero-delay timers, handshakes). */
  settle(cond: () => boolean, what: string, stepMs?: number, ms?: number): Promise<void>;
  /**
   * Advances the clock in steps; after each step, waits (real time) until the frames and pings of that
   * step have crossed the network both ways, so a heartbeat timeout never fires on I/O still in flight.
   */
  run(totalMs: number, stepMs?: number): Promise<void>;
  /** Waits until nothing is in flight between the feed's sockets and the venues (bounded; see `run`). */
  quiet(): Promise<void>;
  /** Log lines (JSON) containing `text`. */
  logged(text: string): string[];
  stop(): Promise<void>;
}

/** Frames and pings one of the feed's sockets sent and received (the client side of `quiet`). */
interface SocketIo {
  open: boolean;
  sent: number;
  received: number;
  pings: number;
  pongs: number;
}

/** Wraps the real socket factory to count, per socket, what crossed it. */
function countingSockets(ios: SocketIo[]): SocketFactory {
  return (url, handlers, options) => {
    const io: SocketIo = { open: false, sent: 0, received: 0, pings: 0, pongs: 0 };
    ios.push(io);
    const socket = bunSocketFactory(
      url,
      {
        onOpen() {
          io.open = true;
          handlers.onOpen();
        },
        onMessage(data) {
          io.received++;
          handlers.onMessage(data);
        },
        onPing() {
          io.received++;
          io.sent++; // answered with a pong by the socket
          handlers.onPing();
        },
        onPong() {
          io.pongs++;
          handlers.onPong();
        },
        onError: (message, status) => handlers.onError(message, status),
        onClose(code, reason) {
          io.open = false;
          handlers.onClose(code, reason);
        },
      },
      options,
    );
    return {
      send(d) {
        io.sent++;
        socket.send(d);
      },
      ping() {
        io.sent++;
        io.pings++;
        socket.ping();
      },
      terminate() {
        io.open = false;
        socket.terminate();
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
    };
  };
}

/** Longest real wait for one step's I/O; a step whose I/O cannot complete (a blackholed link) waits this once. */
const QUIET_MAX_MS = 200;

/**
 * Starts `plugin` as `[feeds.<feed>]` with the TOML body `table`. `venues` are the fakes the feed talks
 * to: with them, `run` also waits for the venue side (frames it received, answers it wrote).
 *
 * @example
 * const rig = await startFeedRig([binanceFeed], "binance", `[feeds.binance]\nws_url = "${fake.url}"`, {}, clock, [fake.venue]);
 */
export async function startFeedRig(
  plugins: readonly AnyPlugin[],
  feed: string,
  tables: string,
  env: Record<string, string> = {},
  clock: ManualClock = new ManualClock(1_700_000_000_000),
  venues: readonly FakeVenue[] = [],
): Promise<FeedRig> {
  const log = new MemorySink();
  const dataDir = mkdtempSync(join(tmpdir(), `edgewatch-perp-${feed}-`));
  const source = `[bot]\nname = "perp-test"\ndata_dir = "${dataDir.replaceAll("\\", "/")}"\nlog_format = "json"\n\n${tables}\n`;
  const config = await loadConfigSource(source, join(import.meta.dir, "perp.toml"), { registry: createRegistry(plugins), env });
  const ios: SocketIo[] = [];
  let fetching = 0;
  const countingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    fetching++;
    try {
      const res = await fetch(input, init);
      // the body is read by the feed after this resolves: wait for it too
      const body = await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      fetching--;
    }
  };
  const rt = new Runtime(config, {
    clock,
    log: createLogger({ sink: log, level: "debug", format: "json" }),
    schedules: false,
    transport: { sockets: countingSockets(ios), fetch: countingFetch },
  });
  await rt.start();
  /** A REST call is pending, something sent on an open socket has not arrived yet (either way), or a ping is unanswered. */
  const inFlight = (): boolean => {
    if (fetching > 0) return true;
    let sent = 0;
    let received = 0;
    for (const io of ios) {
      if (!io.open) continue;
      if (io.pings > io.pongs) return true;
      sent += io.sent;
      received += io.received;
    }
    if (venues.length === 0) return false;
    let venueReceived = 0;
    let venueWritten = 0;
    for (const v of venues) {
      for (const c of v.clients) {
        if (!c.open) continue;
        venueReceived += c.received.length + c.protocolPings + c.protocolPongs;
        venueWritten += c.written;
      }
    }
    return venueReceived < sent || received < venueWritten;
  };
  // once a wait ran out (a link broken on purpose), later steps do not wait again until I/O flows
  let broken = false;
  const quiet = async (): Promise<void> => {
    const end = Date.now() + (broken ? 2 : QUIET_MAX_MS);
    await Bun.sleep(1);
    while (inFlight()) {
      if (Date.now() > end) {
        broken = true;
        return;
      }
      await Bun.sleep(1);
    }
    broken = false;
  };
  const rig: FeedRig = {
    rt,
    clock,
    log,
    feed,
    depth: (instrument, depth = 1000) => rt.store.book(feed, instrument)?.depth(depth),
    book: (instrument) => rt.store.book(feed, instrument),
    fresh: (instrument) => rt.store.fresh(feed, instrument).ok,
    row: () => rt.view.feeds().find((r) => r.id === feed)!,
    until: (cond, what, ms = 5_000) => waitFor(cond, what, ms),
    async settle(cond, what, stepMs = 5, ms = 5_000) {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        clock.advance(stepMs);
        await Bun.sleep(2);
      }
    },
    async run(totalMs, stepMs = 250) {
      for (let t = 0; t < totalMs; t += stepMs) {
        clock.advance(Math.min(stepMs, totalMs - t));
        await quiet();
      }
    },
    quiet,
    logged: (text) => log.lines.filter((l) => l.includes(text)),
    async stop() {
      try {
        await rt.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return rig;
}

export { levelsText } from "./book-truth.ts";

/** What `watchFreshness` saw: books judged at `frame.end`, and the fresh ones that differed from the venue. */
export interface FreshnessWatch {
  checked: number;
  wrong: string[];
}

/**
 * At every `frame.end`, each listed instrument the store calls fresh must equal the venue's book at the
 * book's own seq (never fresh while wrong: a strategy evaluating there would trade on a bad book).
 */
export function watchFreshness(rig: FeedRig, history: TruthHistory, instruments: readonly string[], depth = Number.POSITIVE_INFINITY): FreshnessWatch {
  const w: FreshnessWatch = { checked: 0, wrong: [] };
  rig.rt.bus.on("frame.end", (f) => {
    if (f.feed !== rig.feed) return;
    for (const inst of f.instruments) {
      if (!instruments.includes(inst) || !rig.rt.store.fresh(rig.feed, inst).ok) continue;
      const book = rig.rt.store.book(rig.feed, inst)!;
      const d = book.depth(depth);
      const want = history.at(inst, book.seq ?? -1);
      w.checked++;
      if (want !== bookText(d.bids, d.asks)) w.wrong.push(`${inst}@${book.seq}`);
    }
  });
  return w;
}
