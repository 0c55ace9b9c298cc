/**
 * The running Hyperliquid feed: coins checked against `/info` first (a bad coin is reported and left out,
 * since the venue would close the socket and every good stream on it), then sharded sockets from core/ws,
 * frames parsed and written to the store. Books are whole snapshots each push: a reconnect needs nothing
 * but the resubscription; a book that misses its cadence is marked stale and resubscribed.
 */
import { applyEvents } from "../../../core/book/apply.ts";
import type { FeedHandle, FeedStats, PluginContext } from "../../../core/plugin.ts";
import type { TimerHandle } from "../../../core/clock.ts";
import { bookHooks, WsShards, idlePingHeartbeat, wsContext, wsSettings, type WsConnection } from "../../../core/ws/index.ts";
import type { HlCoin } from "./coins.ts";
import { HL_WS_URL, type HlConfig } from "./config.ts";
import { parseHlFrame } from "./parse.ts";
import { requestHlCoins, type HlInfoOptions } from "./rest.ts";
import { encodeHlOp, hlParseId, hlSubscriptionId, type HlBookOptions } from "./subscriptions.ts";
import { frameText } from "../shared/frame.ts";

/** A socket closed this soon after subscribing, twice in a row, suggests a coin the venue no longer lists. */
const QUICK_CLOSE_MS = 2_000;

/** Starts the feed for one `[feeds.<id>]` table. */
export function startHlFeed(ctx: PluginContext<HlConfig>): FeedHandle {
  const c = ctx.config;
  const book: HlBookOptions = { nSigFigs: c.n_sig_figs ?? null, mantissa: c.mantissa ?? null, fast: c.fast };
  const coins = new Map<string, HlCoin>();
  const rejected = new Map<string, string>();
  const timers = new Set<TimerHandle>();
  const info: HlInfoOptions = { fetch: ctx.fetch, infoUrl: c.info_url, timeoutMs: c.rest_timeout_ms, signal: ctx.signal };
  const lookup = (coin: string): HlCoin | undefined => coins.get(coin);
  let venueErrors = 0;
  let stopped = false;
  /** Per connection: when it last subscribed on a fresh socket, and how many times in a row it died quickly after. */
  const openedAt = new Map<string, number>();
  const quickCloses = new Map<string, number>();
  let rechecking = false;

  const writer = ctx.writer({
    // a whole book arrives with every push: a crossed one is replaced by the next push
    onResync: (instrument, reason) => ctx.log.debug("book resync", { instrument, reason }),
  });

  /** The instrument (coin) of a subscription id that carries a book or a quote. */
  function bookCoin(id: string): string[] {
    const { channel, arg } = hlParseId(id);
    return channel === "l2Book" || channel === "bbo" ? [arg] : [];
  }
  const books = bookHooks(writer, ctx.clock, bookCoin);

  const ws = new WsShards({
    ...wsSettings(c, HL_WS_URL),
    ...wsContext(ctx),
    staggerMs: 2_000, // the 2026 limits allow 30 new connections per minute per IP
    heartbeat: idlePingHeartbeat(c.ping_interval_ms, c.pong_timeout_ms, '{"method":"ping"}', (f) => f.startsWith('{"channel":"pong"')),
    encodeSubscribe: (ids) => encodeHlOp("subscribe", ids, book),
    encodeUnsubscribe: (ids) => encodeHlOp("unsubscribe", ids, book),
    cadence:
      c.book_cadence_ms > 0 && c.channels.includes("l2Book")
        ? { everyMs: c.book_cadence_ms, graceMs: 0, promised: (id) => id.startsWith("l2Book:"), onMissed }
        : undefined,
    onSubscribed(ids, cause, conn) {
      if (cause === "open" || cause === "reopen") openedAt.set(conn.connection, ctx.clock.now());
      books.onSubscribed(ids, cause);
    },
    onDown(ids, _reason, conn) {
      books.onDown(ids);
      const at = openedAt.get(conn.connection);
      if (at === undefined || ctx.clock.now() - at >= QUICK_CLOSE_MS) {
        quickCloses.delete(conn.connection);
        return;
      }
      const n = (quickCloses.get(conn.connection) ?? 0) + 1;
      quickCloses.set(conn.connection, n);
      if (n >= 2) void recheck(ids, conn.connection);
    },
    onFrame,
  });

  /** l2Book subscriptions that missed their cadence: stale, and subscribed afresh (watched again). */
  function onMissed(ids: readonly string[]): void {
    ctx.log.warn("l2Book missed its cadence: stale, resubscribing", { ids: ids.join(","), cadenceMs: c.book_cadence_ms });
    writer.markStale(ids.map((id) => hlParseId(id).arg));
    writer.endFrame(ctx.clock.now());
    ws.resubscribe(ids);
  }

  function onFrame(data: string | Uint8Array, conn: WsConnection, tsRecv: number): void {
    const text = frameText(data);
    const rest = applyEvents(writer, parseHlFrame(text, ctx.id, tsRecv, lookup));
    for (const ev of rest) {
      switch (ev.kind) {
        case "book":
          writer.snapshot(ev.book);
          ws.seen(`l2Book:${ev.book.instrument}`);
          break;
        case "error":
          venueErrors++;
          ctx.log.once(`venue-error:${ev.text.split(":")[0]}`, "warn", "Hyperliquid error message (logged once per kind)", { connection: conn.id, text: ev.text.slice(0, 200) });
          break;
        case "funding": // after endFrame, below
        case "mid":
        case "ack":
        case "pong":
        case "ignored":
          break;
        case "malformed":
          conn.malformed(ev.shape, ev.detail);
          break;
      }
    }
    writer.endFrame(tsRecv);
    for (const ev of rest) {
      if (ev.kind === "funding") ctx.bus.emit("funding", ev.funding);
      else if (ev.kind === "mid") ctx.bus.emit("price.tick", ev.tick);
    }
  }

  function later(fn: () => void, ms: number): void {
    const t = ctx.clock.setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  }

  function subscriptionIds(): string[] {
    const ids: string[] = [];
    for (const coin of coins.values()) {
      for (const ch of c.channels) {
        const id = hlSubscriptionId(ch, coin.instrument, coin.dex);
        if (!ids.includes(id)) ids.push(id);
      }
    }
    return ids;
  }

  function updateHealth(): void {
    const reasons = [...rejected.values()];
    if (coins.size === 0) {
      ctx.health.set("faulted", reasons);
      ws.fault(`every coin was rejected: ${reasons.join("; ")}`);
    } else {
      ctx.health.set(reasons.length > 0 ? "degraded" : "running", reasons);
    }
  }

  /** Drops a coin the venue does not (or no longer) list, with its subscriptions; the others keep running. */
  function reject(name: string, reason: string): void {
    rejected.set(name, reason);
    coins.delete(name);
    ctx.log.error("coin rejected (the venue closes the socket on it); the others keep running", { coin: name, reason });
    ws.unsubscribe(ws.subscriptions().filter((id) => hlParseId(id).arg === name));
  }

  /**
   * The venue closed a connection right after it subscribed, twice in a row: the way it answers a coin it
   * does not list. Checks that connection's coins against `/info` again and drops those no longer listed.
   */
  async function recheck(ids: readonly string[], connection: string): Promise<void> {
    if (rechecking) return;
    rechecking = true;
    try {
      const names = [...new Set(ids.map((id) => hlParseId(id)).filter((p) => p.channel !== "allMids").map((p) => p.arg))];
      const r = await requestHlCoins(info, names);
      if (stopped) return;
      for (const [name, reason] of r.rejected) reject(name, `${reason} (the venue kept closing ${connection} right after subscribing)`);
      if (r.rejected.size === 0) ctx.log.warn("the venue keeps closing a connection right after subscribing; its coins are still listed", { connection });
      else updateHealth();
    } catch (error) {
      ctx.log.warn("could not re-check coins after quick closes", { connection, error });
    } finally {
      quickCloses.delete(connection);
      rechecking = false;
    }
  }

  async function loadCoins(attempt: number): Promise<void> {
    try {
      const r = await requestHlCoins(info, c.instruments);
      if (stopped) return;
      for (const [name, coin] of r.known) coins.set(name, coin);
      for (const [name, reason] of r.rejected) {
        rejected.set(name, reason);
        ctx.log.error("coin rejected before subscribing (the venue would close the socket); the others keep running", { coin: name, reason });
      }
      updateHealth();
      if (coins.size > 0) ws.subscribe(subscriptionIds());
    } catch (error) {
      if (stopped) return;
      const delay = Math.min(30_000, c.rest_retry_ms * 2 ** Math.min(attempt, 5));
      ctx.log.warn("coin list unavailable; retrying", { error, retryInMs: delay });
      ctx.bus.emit("feed.status", { feed: ctx.id, state: "connecting", reasons: [`waiting for the coin list from ${c.info_url}: ${String(error)}`], ts: ctx.clock.now() });
      later(() => void loadCoins(attempt + 1), delay);
    }
  }

  ctx.bus.emit("feed.status", { feed: ctx.id, state: "connecting", reasons: [`checking coins against ${c.info_url}`], ts: ctx.clock.now() });
  void loadCoins(0);

  return {
    stats(): FeedStats {
      const s = ws.stats();
      return { ...s, errors: s.errors + venueErrors };
    },
    stop() {
      stopped = true;
      for (const t of timers) ctx.clock.clearTimeout(t);
      timers.clear();
      ws.stop("the feed stopped");
    },
  };
}
