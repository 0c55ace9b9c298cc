/**
 * The Binance feed's sockets and frame handling: combined streams over shards of at most 200 streams,
 * client messages paced under 10/s, protocol pings (the server's own pings are answered by the socket),
 * a proactive reconnect before the 24-hour disconnect, and the diff-depth REST snapshot procedure.
 */
import type { TimerHandle } from "../../../core/clock.ts";
import { applyEvents } from "../../../core/book/apply.ts";
import type { FeedHandle, PluginContext } from "../../../core/plugin.ts";
import { wsSettings, wsUrls } from "../../../core/ws/config.ts";
import type { WsConnection } from "../../../core/ws/connection.ts";
import { bookHooks } from "../../../core/ws/book-hooks.ts";
import { WsShards } from "../../../core/ws/shards.ts";
import { BINANCE_BOOK_CHANNELS, BINANCE_WS_URL, type BinanceConfig } from "./config.ts";
import { BinanceDepthSync } from "./depth-sync.ts";
import { pacedSockets } from "./pacing.ts";
import { binanceKey, parseBinanceFrame, parseBinanceRestDepth, type BinanceMarket } from "./parse.ts";
import { BINANCE_STREAMS_PER_FRAME, binanceRequest, binanceStream, binanceSymbolOf } from "./subscriptions.ts";
import { TierStatus, binanceTierOf, sumStats, type BinanceTier } from "./tiers.ts";

/** A depth stream silent this long after subscribing gets its REST snapshot anyway (quiet or unknown symbol). */
export const BINANCE_FIRST_EVENT_WAIT_MS = 5_000;

/** Binance's error code for a symbol it does not list. */
export const BINANCE_INVALID_SYMBOL = -1121;

/**
 * Starts the feed and returns its handle.
 *
 * @example
 * setup(ctx) { return startBinanceFeed(ctx); }
 */
export function startBinanceFeed(ctx: PluginContext<BinanceConfig>): FeedHandle {
  const c = ctx.config;
  const markets = new Map<string, BinanceMarket>(c.instruments.map((s) => [s, { instrument: s, key: binanceKey(s) }]));
  const lookup = (symbol: string): BinanceMarket | undefined => markets.get(symbol);
  const bookChannel = c.channels.find((ch) => BINANCE_BOOK_CHANNELS.includes(ch));
  const streams: string[] = [];
  for (const s of c.instruments) for (const ch of c.channels) streams.push(binanceStream(ch, s, c));
  const isBook = (stream: string): boolean => bookChannel !== undefined && stream === binanceStream(bookChannel, binanceSymbolOf(stream), c);
  let reqId = 1;
  let stopped = false;
  const retries = new Set<TimerHandle>();
  const rotations = new Map<string, TimerHandle>();
  const status = new TierStatus(ctx.id, ctx.bus);
  const tiers = new Map<BinanceTier, WsShards>();

  const w = ctx.writer({
    onResync(instrument) {
      // a pu gap or a crossed book: initialize again from the snapshot (the stream keeps flowing)
      if (bookChannel !== "depth") return;
      tiers.get("public")?.noteResync();
      sync.start(instrument);
    },
  });

  const sync = new BinanceDepthSync({
    requestSnapshot: (symbol, generation) => void requestSnapshot(symbol, generation),
    applySnapshot: (book) => w.snapshot(book),
    applyDelta: (ev) => w.delta(ev.delta),
  });

  /** Gives up for good on every tier: the venue rejects the config. */
  function fault(reason: string): void {
    for (const t of tiers.values()) t.fault(reason);
  }

  async function requestSnapshot(symbol: string, generation: number): Promise<void> {
    const inst = markets.get(symbol);
    if (inst === undefined || stopped) return;
    const url = `${c.rest_url}/fapi/v1/depth?symbol=${symbol}&limit=${c.depth_snapshot_limit}`;
    try {
      const res = await ctx.fetch(url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(c.rest_timeout_ms)]) });
      const body: unknown = await res.json();
      if (stopped) return;
      const tsRecv = ctx.clock.now();
      const parsed = parseBinanceRestDepth(body, inst, ctx.id, tsRecv);
      // -1121: the symbol does not exist — config the venue rejects, not a passing failure
      if (!parsed.ok && parsed.code === BINANCE_INVALID_SYMBOL) return fault(`Binance refused ${symbol}: ${parsed.error}`);
      if (!parsed.ok) throw new Error(`HTTP ${res.status}: ${parsed.error}`);
      sync.onSnapshot(symbol, generation, parsed.book, parsed.lastUpdateId);
      w.endFrame(tsRecv);
    } catch (error) {
      if (stopped) return;
      ctx.log.once(`binance-depth-rest:${symbol}`, "warn", "depth snapshot request failed; retrying (logged once per symbol)", { symbol, error: String(error) });
      sync.onSnapshotFailed(symbol, generation);
      const t = ctx.clock.setTimeout(function retrySnapshot() {
        retries.delete(t);
        sync.retry(symbol);
      }, c.rest_retry_ms);
      retries.add(t);
    }
  }

  function rotateLater(ws: WsShards, connection: string, anyStream: string): void {
    clear(rotations.get(connection));
    if (c.reconnect_before_ms <= 0) return;
    const t = ctx.clock.setTimeout(function rotateBefore24h() {
      rotations.delete(connection);
      ws.connectionOf(anyStream)?.reconnect("proactive reconnect before Binance's 24-hour disconnect");
    }, c.reconnect_before_ms);
    rotations.set(connection, t);
  }
  function clear(t: TimerHandle | undefined): void {
    if (t !== undefined) ctx.clock.clearTimeout(t);
  }

  function onFrame(data: string | Uint8Array, conn: WsConnection, tsRecv: number): void {
    if (typeof data !== "string") return conn.malformed("binary frame", `${data.byteLength} bytes`);
    const rest = applyEvents(w, parseBinanceFrame(data, ctx.id, tsRecv, lookup));
    for (const ev of rest) {
      switch (ev.kind) {
        case "depth":
          if (bookChannel === "depth") sync.onEvent(ev);
          break;
        case "error":
          conn.malformed(`request error ${ev.code}`, ev.msg);
          break;
        case "malformed":
          conn.malformed(ev.shape, ev.detail);
          break;
        case "funding": // after endFrame, below
        case "ack":
        case "ignored":
          break;
      }
    }
    w.endFrame(tsRecv);
    // after the frame's books: a funding listener reading the store sees the whole frame applied
    for (const ev of rest) if (ev.kind === "funding") ctx.bus.emit("funding", ev.funding);
  }

  // only depth/book streams feed a book: a trades/funding connection going down leaves the books alone
  const books = bookHooks(w, ctx.clock, (stream) => (isBook(stream) ? [binanceSymbolOf(stream)] : []));

  function openTier(tier: BinanceTier, urls: string[]): WsShards {
    const ws: WsShards = new WsShards({
      ...wsSettings(c, BINANCE_WS_URL),
      urls,
      // connection ids `<feed>#n` (public) and `<feed>/market#n`: distinct, so recordings replay per socket
      feed: tier === "public" ? ctx.id : `${ctx.id}/${tier}`,
      clock: ctx.clock,
      bus: status.busFor(tier),
      log: ctx.log,
      signal: ctx.signal,
      socketFactory: pacedSockets(ctx.sockets, ctx.clock, c.max_messages_per_s),
      maxPerFrame: BINANCE_STREAMS_PER_FRAME,
      // The server pings every 3 minutes (answered by the socket); our own pings keep quiet symbols' watchdog fed.
      heartbeat: { intervalMs: c.ping_interval_ms, protocol: true, timeoutMs: Math.max(1, Math.floor(c.ping_interval_ms / 2)) },
      encodeSubscribe: (list) => [binanceRequest("SUBSCRIBE", list, reqId++)],
      encodeUnsubscribe: (list) => [binanceRequest("UNSUBSCRIBE", list, reqId++)],
      onSubscribed(list, cause, info) {
        if (cause === "open" || cause === "reopen") rotateLater(ws, info.connection, list[0]!);
        books.onSubscribed(list, cause);
        if (bookChannel === "depth") {
          for (const s of list.filter(isBook).map(binanceSymbolOf)) {
            sync.start(s);
            const t = ctx.clock.setTimeout(function snapshotWithoutEvents() {
              retries.delete(t);
              sync.requestNow(s);
            }, BINANCE_FIRST_EVENT_WAIT_MS);
            retries.add(t);
          }
        }
      },
      onDown(list, _reason, info) {
        clear(rotations.get(info.connection));
        rotations.delete(info.connection);
        books.onDown(list);
      },
      onFrame,
    });
    tiers.set(tier, ws);
    return ws;
  }

  const byTier = Map.groupBy(streams, binanceTierOf);
  const publicStreams = byTier.get("public") ?? [];
  const marketStreams = byTier.get("market") ?? [];
  if (publicStreams.length > 0) openTier("public", wsUrls(c, BINANCE_WS_URL)).subscribe(publicStreams);
  if (marketStreams.length > 0) openTier("market", [c.market_ws_url]).subscribe(marketStreams);
  return {
    stop() {
      stopped = true;
      for (const t of retries) ctx.clock.clearTimeout(t);
      for (const t of rotations.values()) ctx.clock.clearTimeout(t);
      for (const t of tiers.values()) t.stop();
    },
    stats: () => sumStats([...tiers.values()].map((t) => t.stats())),
  };
}
