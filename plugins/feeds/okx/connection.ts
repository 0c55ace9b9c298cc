/**
 * The running OKX feed: instrument metadata first (ctVal, and a clear rejection for ids OKX does not
 * list), then sharded sockets from core/ws, frames parsed and written to the store, incremental books kept
 * in sync (book-sync.ts), venue errors and maintenance notices surfaced per instrument.
 */
import { applyEvents } from "../../../core/book/apply.ts";
import type { FeedHandle, FeedStats, PluginContext } from "../../../core/plugin.ts";
import type { TimerHandle } from "../../../core/clock.ts";
import { bookHooks, WsShards, idlePingHeartbeat, wsContext, wsSettings, type WsConnection } from "../../../core/ws/index.ts";
import { OkxBookSync } from "./book-sync.ts";
import { OKX_BOOK_CHANNELS, OKX_WS_URL, type OkxConfig } from "./config.ts";
import type { OkxInstrument } from "./instruments.ts";
import { OKX_INCREMENTAL, parseOkxFrame, parseOkxRestBooks, type OkxEvent } from "./parse.ts";
import { requestOkxBooks, requestOkxInstruments, type OkxRestOptions } from "./rest.ts";
import { encodeOkxOp, encodeOkxResubscribe } from "./subscriptions.ts";
import { OkxLoginGate } from "./login.ts";
import { frameText } from "../shared/frame.ts";

/** How long a maintenance notice stays among the feed's reasons (OKX sends it 60 s ahead of the upgrade). */
const NOTICE_MS = 60_000;

/** Starts the feed for one `[feeds.<id>]` table. */
export function startOkxFeed(ctx: PluginContext<OkxConfig>): FeedHandle {
  const c = ctx.config;
  const bookChannel = c.channels.find((ch) => (OKX_BOOK_CHANNELS as readonly string[]).includes(ch));
  const incremental = bookChannel !== undefined && OKX_INCREMENTAL.has(bookChannel);
  const restDepth = bookChannel === "books50-l2-tbt" ? 50 : 400;
  const instruments = new Map<string, OkxInstrument>();
  const rejected = new Map<string, string>();
  /** `channel:instId` → why OKX refused a side channel (trades, funding-rate); the instrument keeps running. */
  const refusedChannels = new Map<string, string>();
  const notices = new Map<string, string>();
  const timers = new Set<TimerHandle>();
  const rest: OkxRestOptions = { fetch: ctx.fetch, restUrl: c.rest_url, timeoutMs: c.rest_timeout_ms, signal: ctx.signal };
  const lookup = (id: string): OkxInstrument | undefined => instruments.get(id);
  const gate =
    c.api_key !== undefined && c.secret_key !== undefined && c.passphrase !== undefined
      ? new OkxLoginGate({ apiKey: c.api_key, secretKey: c.secret_key, passphrase: c.passphrase })
      : undefined;
  let venueErrors = 0;
  let restErrors = 0;
  let stopped = false;

  function later(fn: () => void, ms: number): void {
    const t = ctx.clock.setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  }

  const writer = ctx.writer({
    checksum(book, expected) {
      const strings = sync.strings(book.instrument);
      return strings !== undefined && strings.verify(book, Number(expected));
    },
    onResync(instrument, reason) {
      ws.noteResync();
      ctx.log.debug("book resync", { instrument, reason });
      if (incremental) sync.resync(instrument);
    },
  });

  const sync = new OkxBookSync({
    writer,
    mode: c.book_snapshot,
    verifyChecksum: c.verify_checksum,
    requestSnapshot: requestSnapshot,
    resubscribe(instId) {
      const conn = ws.connectionOf(instId);
      if (conn === undefined || bookChannel === undefined) return;
      for (const f of encodeOkxResubscribe(instId, bookChannel)) if (!conn.send(f)) return; // reopen resubscribes all
    },
  });

  function requestSnapshot(instId: string, gen: number, retry: boolean): void {
    const inst = instruments.get(instId);
    if (inst === undefined) return;
    const run = async (): Promise<void> => {
      if (!sync.awaiting(instId, gen)) return; // the sync this was for is over (resubscribed, reconnected)
      let body: unknown;
      try {
        body = await requestOkxBooks(rest, instId, restDepth);
      } catch (error) {
        if (stopped) return;
        restErrors++;
        ctx.log.once("rest-books-failed", "warn", "REST book snapshot failed; retrying (logged once)", { instId, error });
        requestSnapshot(instId, gen, true);
        return;
      }
      if (stopped) return;
      const now = ctx.clock.now();
      const parsed = parseOkxRestBooks(body, inst, ctx.id, now);
      if (!parsed.ok) {
        restErrors++;
        ctx.log.once("rest-books-unusable", "warn", "REST book snapshot unusable; retrying (logged once)", { instId, error: parsed.error });
        requestSnapshot(instId, gen, true);
        return;
      }
      const r = sync.onRest(instId, gen, parsed.book, parsed.raw);
      writer.endFrame(now);
      if (r === "retry") requestSnapshot(instId, gen, true);
    };
    if (retry) later(() => void run(), c.rest_retry_ms);
    else void run();
  }

  const books = bookHooks(writer, ctx.clock, (id) => [id]);
  const ws = new WsShards({
    ...wsSettings(c, OKX_WS_URL),
    ...wsContext(ctx),
    staggerMs: 350, // OKX allows 3 new connections per second per IP
    heartbeat: idlePingHeartbeat(c.ping_interval_ms, c.pong_timeout_ms, "ping", (f) => f === "pong"),
    encodeSubscribe(ids) {
      const conn = gate === undefined || ids.length === 0 ? undefined : ws.connectionOf(ids[0]!);
      if (gate === undefined || conn === undefined) return encodeOkxOp("subscribe", ids, c.channels);
      return gate.frames(conn.id, conn.generation, ids, ctx.clock.now(), (x) => encodeOkxOp("subscribe", x, c.channels));
    },
    encodeUnsubscribe: (ids) => encodeOkxOp("unsubscribe", ids, c.channels),
    // incremental books promise a push (a keep-alive at least) about every 60 s; others promise nothing
    cadence: incremental && c.book_cadence_ms > 0 ? { everyMs: c.book_cadence_ms, graceMs: 0, onMissed: onBookSilent } : undefined,
    onSubscribed(ids, cause) {
      if (incremental) sync.subscribing(ids);
      books.onSubscribed(ids, cause);
    },
    onDown: books.onDown,
    onFrame,
  });

  function onFrame(data: string | Uint8Array, conn: WsConnection, tsRecv: number): void {
    const text = frameText(data);
    const rest = applyEvents(writer, parseOkxFrame(text, ctx.id, tsRecv, lookup));
    for (const ev of rest) {
      switch (ev.kind) {
        case "book":
          // only pushes of the current subscription prove the book alive (cadence watchdog)
          if (sync.onBook(ev)) ws.seen(ev.instId);
          break;
        case "depth":
          writer.snapshot(ev.book);
          break;
        case "ack":
          if (incremental && ev.op === "subscribe" && ev.channel === bookChannel && ev.instId !== undefined) sync.onAck(ev.instId);
          break;
        case "error":
          onVenueError(ev, conn);
          break;
        case "notice":
          onNotice(ev, conn);
          break;
        case "login":
          onLogin(ev.code, conn);
          break;
        case "funding": // after endFrame, below
        case "pong":
        case "ignored":
          break;
        case "malformed":
          conn.malformed(ev.shape, ev.detail);
          break;
      }
    }
    writer.endFrame(tsRecv);
    for (const ev of rest) if (ev.kind === "funding") ctx.bus.emit("funding", ev.funding);
  }

  function onLogin(code: string, conn: WsConnection): void {
    if (gate === undefined || code !== "0") return;
    ctx.log.info("logged in", { connection: conn.id });
    for (const f of encodeOkxOp("subscribe", gate.onLogin(conn.id), c.channels)) if (!conn.send(f)) return;
  }

  /** Incremental books that missed even the keep-alive: stale, and subscribed afresh (watched again). */
  function onBookSilent(ids: readonly string[]): void {
    const live = ids.filter((id) => instruments.has(id));
    ctx.log.warn("books silent past their keep-alive: stale, resubscribing", { instruments: live.join(","), cadenceMs: c.book_cadence_ms });
    writer.markStale(live);
    writer.endFrame(ctx.clock.now());
    ws.resubscribe(live);
  }

  function onVenueError(ev: Extract<OkxEvent, { kind: "error" }>, conn: WsConnection): void {
    venueErrors++;
    if (ev.code === "60009") {
      const reason = `OKX refused the login (error ${ev.code}: ${ev.msg}): check api_key, secret_key and passphrase`;
      ctx.log.error("login refused; the feed gives up", { connection: conn.id, code: ev.code });
      ctx.health.set("faulted", [reason]);
      ws.fault(reason);
      return;
    }
    const id = ev.instId;
    if (id !== undefined && instruments.has(id)) {
      const reason = `OKX refused ${ev.channel ?? "the subscription"} for ${id}: error ${ev.code}: ${ev.msg}`;
      if (ev.channel !== undefined && ev.channel !== bookChannel && c.channels.includes(ev.channel as OkxConfig["channels"][number])) {
        // a side channel the instrument does not have (funding-rate of a spot pair): the book keeps running
        if (!refusedChannels.has(`${ev.channel}:${id}`)) ctx.log.error("channel refused; the instrument keeps its other channels", { instrument: id, reason });
        refusedChannels.set(`${ev.channel}:${id}`, reason);
        updateHealth();
        return;
      }
      reject(id, reason);
      return;
    }
    ctx.log.once(`venue-error:${ev.code}`, "error", "OKX error event (logged once per code)", { connection: conn.id, code: ev.code, msg: ev.msg });
  }

  function onNotice(ev: Extract<OkxEvent, { kind: "notice" }>, conn: WsConnection): void {
    const ids = ws.subscriptions().filter((id) => ws.connectionOf(id) === conn);
    const reason = `OKX notice ${ev.code} on ${conn.id} (${ids.join(", ")}): ${ev.msg}`;
    ctx.log.warn("venue notice: reconnecting ahead of the service upgrade", { connection: conn.id, code: ev.code, instruments: ids.join(",") });
    notices.set(conn.id, reason);
    updateHealth();
    later(() => {
      if (notices.get(conn.id) === reason && notices.delete(conn.id)) updateHealth();
    }, NOTICE_MS);
    conn.reconnect(`OKX notice ${ev.code}: the venue closes this connection for a service upgrade`);
  }

  function reject(id: string, reason: string): void {
    rejected.set(id, reason);
    instruments.delete(id);
    sync.forget(id);
    ctx.log.error("instrument rejected; the others keep running", { instrument: id, reason });
    ws.unsubscribe([id]);
    updateHealth();
  }

  function updateHealth(): void {
    const reasons = [...rejected.values(), ...refusedChannels.values(), ...notices.values()];
    if (instruments.size === 0 && rejected.size > 0) {
      ctx.health.set("faulted", reasons);
      ws.fault(`every instrument was rejected: ${[...rejected.values()].join("; ")}`);
    } else {
      ctx.health.set(reasons.length > 0 ? "degraded" : "running", reasons);
    }
  }

  async function loadInstruments(attempt: number): Promise<void> {
    try {
      const r = await requestOkxInstruments(rest, c.instruments, ctx.clock.now(), c.instruments_ttl_ms);
      if (stopped) return;
      for (const [id, inst] of r.known) instruments.set(id, inst);
      for (const [id, reason] of r.rejected) {
        rejected.set(id, reason);
        ctx.log.error("instrument rejected; the others keep running", { instrument: id, reason });
      }
      updateHealth();
      if (instruments.size > 0) ws.subscribe(c.instruments.filter((id) => instruments.has(id)));
    } catch (error) {
      if (stopped) return;
      const delay = Math.min(30_000, c.rest_retry_ms * 2 ** Math.min(attempt, 5));
      ctx.log.warn("instrument metadata unavailable; retrying", { error, retryInMs: delay });
      ctx.bus.emit("feed.status", { feed: ctx.id, state: "connecting", reasons: [`waiting for instrument metadata from ${c.rest_url}: ${String(error)}`], ts: ctx.clock.now() });
      later(() => void loadInstruments(attempt + 1), delay);
    }
  }

  ctx.bus.emit("feed.status", { feed: ctx.id, state: "connecting", reasons: [`loading instrument metadata from ${c.rest_url}`], ts: ctx.clock.now() });
  void loadInstruments(0);

  return {
    stats(): FeedStats {
      const s = ws.stats();
      return { ...s, errors: s.errors + venueErrors + restErrors };
    },
    stop() {
      stopped = true;
      for (const t of timers) ctx.clock.clearTimeout(t);
      timers.clear();
      ws.stop("the feed stopped");
    },
  };
}
