/**
 * The sockets of the Polymarket feed, all through core/ws: the market channel sharded at
 * `max_assets_per_connection` tokens per connection, opened `connect_stagger_ms` apart (the venue
 * answers bursts with HTTP 429), text `PING` every `ping_interval_ms` with a bare `PONG` expected within
 * `pong_timeout_ms`, and the no-message watchdog (`stale_after_ms`) for silent sockets. The first frame
 * on a socket is the initial subscription; later changes use `operation` frames on the live socket.
 */
import type { PluginContext } from "../../../core/plugin.ts";
import { WsConnection, WsShards, wsContext, wsSettings, type ConnectionInfo, type SubscribeCause } from "../../../core/ws/index.ts";
import { POLY_WS_URL, type PolymarketConfig } from "./config.ts";
import {
  encodeInitialMarketSubscribe,
  encodeMarketSubscribe,
  encodeMarketUnsubscribe,
  encodeUserSubscribe,
  PING,
  PONG,
  type UserAuth,
} from "./subscriptions.ts";
import { frameText } from "../shared/frame.ts";

export interface MarketShardHandlers {
  /** The tokens of subscription units (both tokens of a market are one unit, see units.ts). */
  tokensOf(units: readonly string[]): string[];
  onFrame(text: string, tsRecv: number): void;
  onSubscribed(tokens: readonly string[], cause: SubscribeCause, info: ConnectionInfo): void;
  onDown(tokens: readonly string[], reason: string, info: ConnectionInfo): void;
  onMalformed(shape: string, conn: WsConnection): void;
}


/**
 * The market channel's shards. Ids are subscription units (units.ts); a market's unit holds two tokens,
 * so a shard holds `max_assets_per_connection / 2` units, which is at most `max_assets_per_connection`
 * tokens. `onSubscribed`/`onDown` are given tokens.
 */
export function createMarketShards(ctx: PluginContext<PolymarketConfig>, h: MarketShardHandlers): WsShards {
  const c = ctx.config;
  const custom = { customFeatures: c.custom_features };
  // WsShards calls onSubscribed and then encodeSubscribe synchronously for the same ids: the cause says
  // whether this is a socket's first subscription (initial frame) or a change on a live socket.
  let cause: SubscribeCause = "open";
  return new WsShards({
    ...wsSettings({ ...c, max_per_connection: Math.max(1, Math.floor(c.max_assets_per_connection / 2)) }, POLY_WS_URL),
    ...wsContext(ctx),
    staggerMs: c.connect_stagger_ms,
    heartbeat: { intervalMs: c.ping_interval_ms, timeoutMs: c.pong_timeout_ms, payload: PING, isPong: (f) => f === PONG },
    encodeSubscribe(ids) {
      const tokens = h.tokensOf(ids);
      return [cause === "open" || cause === "reopen" ? encodeInitialMarketSubscribe(tokens, custom) : encodeMarketSubscribe(tokens, custom)];
    },
    encodeUnsubscribe: (ids) => [encodeMarketUnsubscribe(h.tokensOf(ids))],
    onSubscribed(ids, why, info) {
      cause = why;
      h.onSubscribed(h.tokensOf(ids), why, info);
    },
    onDown: (ids, reason, info) => h.onDown(h.tokensOf(ids), reason, info),
    onFrame(data, conn, tsRecv) {
      const text = frameText(data);
      if (text.length === 0 || (text.charCodeAt(0) !== 0x7b && text.charCodeAt(0) !== 0x5b)) {
        // not JSON: a stray keep-alive or an error text; counted, logged once per shape
        h.onMalformed(`text:${text.slice(0, 24)}`, conn);
        return;
      }
      h.onFrame(text, tsRecv);
    },
  });
}

export interface UserChannelOptions {
  readonly url: string;
  readonly auth: UserAuth;
  /** Condition ids to follow now (read at every open). */
  readonly markets: () => readonly string[];
  readonly onFrame: (text: string, tsRecv: number) => void;
  /** The socket opened and was subscribed to these condition ids. */
  readonly onSubscribed?: (markets: readonly string[]) => void;
}

/**
 * The user channel: one connection, subscribed by condition ids with the account's credentials (sent
 * in the subscribe frame only; never logged: the connection logs states and reasons, not frames).
 */
export function createUserConnection(ctx: PluginContext<PolymarketConfig>, o: UserChannelOptions): WsConnection {
  const c = ctx.config;
  return new WsConnection({
    id: `${ctx.id}#user`,
    feed: ctx.id,
    clock: ctx.clock,
    log: ctx.log,
    urls: [o.url],
    socketFactory: ctx.sockets,
    connectTimeoutMs: c.connect_timeout_ms,
    staleAfterMs: c.stale_after_ms,
    backoff: { minMs: c.reconnect_min_ms, maxMs: c.reconnect_max_ms },
    heartbeat: { intervalMs: c.ping_interval_ms, timeoutMs: c.pong_timeout_ms, payload: PING, isPong: (f) => f === PONG },
    hooks: {
      onOpen(conn) {
        const markets = o.markets();
        if (conn.send(encodeUserSubscribe(markets, o.auth))) o.onSubscribed?.(markets);
      },
      onFrame: (data, _conn, tsRecv) => o.onFrame(frameText(data), tsRecv),
    },
  });
}
