/**
 * The Paradex feed's sockets and frame handling: JSON-RPC subscribe per channel over sharded
 * connections (SBE negotiated on the URL), protocol pings, optional JWT auth, and every frame applied
 * to the store as one writer frame.
 */
import type { FeedHandle, PluginContext } from "../../../core/plugin.ts";
import { applyEvents } from "../../../core/book/apply.ts";
import { bookHooks } from "../../../core/ws/book-hooks.ts";
import { WsShards } from "../../../core/ws/shards.ts";
import { wsContext, wsSettings, wsUrls } from "../../../core/ws/config.ts";
import { snapshotWatch } from "../shared/snapshot-watch.ts";
import { PARADEX_BOOK_CHANNELS, PARADEX_WS_URL, type ParadexConfig } from "./config.ts";
import { paradexKey, parseParadexFrame, type ParadexMarket } from "./parse.ts";
import { paradexCodec } from "./sbe/paradex-schema.ts";
import { paradexAuthFrame, paradexChannelId, paradexKindOf, paradexMarketOf, paradexRequests, paradexUrl } from "./subscriptions.ts";

/** JSON-RPC error code Paradex answers an invalid bearer token with. */
export const PARADEX_INVALID_BEARER = 40111;

/**
 * Starts the feed: subscribes every configured channel of every market and returns its handle.
 *
 * @example
 * setup(ctx) { return startParadexFeed(ctx); }
 */
export function startParadexFeed(ctx: PluginContext<ParadexConfig>): FeedHandle {
  const c = ctx.config;
  const codec = paradexCodec();
  const markets = new Map<string, ParadexMarket>(c.instruments.map((m) => [m, { instrument: m, key: paradexKey(m) }]));
  const lookup = (market: string): ParadexMarket | undefined => markets.get(market);
  const bookChannel = c.channels.find((ch) => PARADEX_BOOK_CHANNELS.includes(ch));
  const bookIds = new Map<string, string>();
  const ids: string[] = [];
  for (const market of c.instruments) {
    for (const ch of c.channels) {
      const id = paradexChannelId(ch, market, c);
      ids.push(id);
      if (ch === bookChannel) bookIds.set(market, id);
    }
  }
  const isBookId = (id: string): boolean => bookIds.get(paradexMarketOf(id)) === id;
  let rpcId = 1;
  const nextId = (): number => rpcId++;
  /** Channel of each subscribe request still unanswered, so a refusal names what was refused. */
  const pending = new Map<number, string>();
  const remember = (id: number, channel: string): void => {
    pending.set(id, channel);
    if (pending.size > 10_000) pending.delete(pending.keys().next().value!);
  };
  const snapshots = snapshotWatch({
    clock: ctx.clock,
    timeoutMs: c.resync_timeout_ms,
    bookLive: (market) => w.book(market)?.state === "live",
    connectionLive: (id) => ws.connectionOf(id)?.live === true,
    onLost(market, id) {
      ctx.log.once(`paradex-resync-timeout:${market}`, "warn", "no snapshot after subscribing; subscribing again (logged once per market)", { market, channel: id });
      ws.noteResync();
      ws.resubscribe([id]);
    },
  });

  /** A book that got no snapshot within resync_timeout_ms of (re)subscribing asks again (a lost snapshot). */
  function watchResync(market: string): void {
    const id = bookIds.get(market);
    // order_book answers a subscribe with a snapshot; bbo only pushes on change, so a quiet bbo is not lost
    if (id === undefined || bookChannel !== "order_book") return;
    snapshots.watch(market, id);
  }

  const w = ctx.writer({
    onResync(instrument) {
      // gap or crossed book: a fresh subscription starts with a snapshot
      const id = bookIds.get(instrument);
      if (id === undefined) return;
      ws.noteResync();
      ws.resubscribe([id]);
    },
  });

  // only book channels feed a book: a trades/funding connection going down leaves the books alone
  const books = bookHooks(w, ctx.clock, (id) => (isBookId(id) ? [paradexMarketOf(id)] : []));
  const ws: WsShards = new WsShards({
    ...wsSettings(c, PARADEX_WS_URL),
    urls: wsUrls(c, PARADEX_WS_URL).map((u) => paradexUrl(u, c.sbe, c.sbe_schema_version)),
    ...wsContext(ctx),
    // Paradex keeps connections alive with WebSocket ping/pong (docs); a missing pong = dead socket.
    heartbeat: { intervalMs: c.ping_interval_ms, protocol: true },
    encodeSubscribe: (list) => paradexRequests("subscribe", list, nextId, remember),
    encodeUnsubscribe: (list) => paradexRequests("unsubscribe", list, nextId),
    onSubscribed(list, cause) {
      if (c.jwt !== undefined && (cause === "open" || cause === "reopen")) {
        ws.connectionOf(list[0]!)?.send(paradexAuthFrame(c.jwt, nextId()));
      }
      for (const id of list) if (isBookId(id)) watchResync(paradexMarketOf(id));
      books.onSubscribed(list, cause); // a resync: already resyncing since the gap
    },
    onDown: books.onDown,
    onFrame(data, conn, tsRecv) {
      // a delta's gap calls onResync above
      const rest = applyEvents(w, parseParadexFrame(data, ctx.id, tsRecv, lookup, codec));
      for (const ev of rest) {
        switch (ev.kind) {
          case "error": {
            if (ev.code === PARADEX_INVALID_BEARER) return ws.fault(`Paradex refused the bearer token (${ev.code} ${ev.message}): check the jwt setting`);
            const channel = ev.id === null ? undefined : pending.get(ev.id);
            if (ev.id !== null) pending.delete(ev.id);
            // a refused channel is config the venue rejects (unknown market, bad depth); "already
            // subscribed" after a race is not
            if (channel !== undefined && !/already/i.test(ev.message)) return ws.fault(`Paradex refused ${channel}: ${ev.code} ${ev.message}`);
            conn.malformed(`rpc error ${ev.code}`, ev.message);
            break;
          }
          case "ack":
            if (ev.id !== null) pending.delete(ev.id);
            break;
          case "malformed":
            conn.malformed(ev.shape, ev.detail);
            break;
          case "funding": // after endFrame, below
          case "heartbeat":
          case "ignored":
            break;
        }
      }
      w.endFrame(tsRecv);
      for (const ev of rest) if (ev.kind === "funding") ctx.bus.emit("funding", ev.funding);
    },
  });
  ws.subscribe(ids);
  ctx.log.debug("subscribing", { channels: ids.length, kinds: [...new Set(ids.map(paradexKindOf))] });
  return {
    stop() {
      snapshots.stop();
      ws.stop();
    },
    stats: () => ws.stats(),
  };
}
