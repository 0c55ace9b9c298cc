/**
 * The WebSocket keys every feed's TOML table shares, as valibot entries a feed spreads into its own
 * strict schema, the entry builders feeds use for their other ms and url keys, and the mapping from
 * those keys onto `ConnectionSettings`.
 */
import * as v from "valibot";
import type { PluginContext } from "../plugin.ts";
import { connectionDefaults, type HeartbeatOptions } from "./options.ts";

/**
 * A feed-table key in whole milliseconds (at least `min`), described as `<what> (ms, default <defaultMs>)`.
 *
 * @example
 * const table = v.strictObject({ ...wsConfigEntries, ping_interval_ms: msEntry(20_000, "text ping interval") });
 */
export function msEntry(defaultMs: number, what: string, min = 0) {
  return v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.description(`${what} (ms, default ${defaultMs})`)), defaultMs);
}

/**
 * A feed-table key holding an http:// or https:// url, `defaultUrl` when absent.
 *
 * @example
 * rest_url: httpUrlEntry("https://venue.example", "REST base url (default https://venue.example)"),
 */
export function httpUrlEntry(defaultUrl: string, description: string) {
  return v.optional(v.pipe(v.string(), v.regex(/^https?:\/\//, "expected an http(s):// url"), v.description(description)), defaultUrl);
}

const wsUrl = v.pipe(v.string(), v.regex(/^wss?:\/\//, "expected a ws:// or wss:// url"));

/**
 * Valibot entries for the shared keys. A feed sets its venue's `max_per_connection` default itself.
 *
 * @example
 * const config = v.strictObject({
 *   ...wsConfigEntries,
 *   max_per_connection: v.optional(v.number(), 500),
 *   instruments: v.array(v.string()),
 * });
 */
export const wsConfigEntries = {
  /** One endpoint. */
  ws_url: v.optional(v.pipe(wsUrl, v.description("WebSocket endpoint"))),
  /** Endpoints in order of preference; the next is tried after repeated failures. */
  ws_urls: v.optional(v.pipe(v.array(wsUrl), v.minLength(1), v.description("WebSocket endpoints, tried in order"))),
  reconnect_min_ms: msEntry(connectionDefaults.reconnectMinMs, "first reconnect delay ceiling"),
  reconnect_max_ms: msEntry(connectionDefaults.reconnectMaxMs, "largest reconnect delay"),
  connect_timeout_ms: msEntry(connectionDefaults.connectTimeoutMs, "handshake timeout"),
  stale_after_ms: msEntry(connectionDefaults.staleAfterMs, "nothing received for this long: stale, reconnect; 0 = off"),
} as const;

/** The shared keys as a feed's config type carries them. */
export interface WsConfig {
  readonly ws_url?: string | undefined;
  readonly ws_urls?: readonly string[] | undefined;
  readonly reconnect_min_ms: number;
  readonly reconnect_max_ms: number;
  readonly connect_timeout_ms: number;
  readonly stale_after_ms: number;
  readonly max_per_connection?: number | undefined;
}

/**
 * The endpoint list of a config: `ws_urls`, else `ws_url`, else `fallback` (the venue's default).
 * `ws_url` first when both are given.
 */
export function wsUrls(config: WsConfig, fallback?: string): string[] {
  const urls: string[] = [];
  if (config.ws_url !== undefined) urls.push(config.ws_url);
  for (const u of config.ws_urls ?? []) if (!urls.includes(u)) urls.push(u);
  if (urls.length === 0 && fallback !== undefined) urls.push(fallback);
  return urls;
}

/**
 * Maps the shared keys onto connection settings (spread into `new WsShards({...})`).
 *
 * @example
 * new WsShards({ ...wsSettings(ctx.config, "wss://venue.example/ws"), feed: ctx.id, … });
 */
export function wsSettings(config: WsConfig, fallbackUrl?: string) {
  return {
    urls: wsUrls(config, fallbackUrl),
    connectTimeoutMs: config.connect_timeout_ms,
    staleAfterMs: config.stale_after_ms,
    maxPerConnection: config.max_per_connection,
    backoff: { minMs: config.reconnect_min_ms, maxMs: config.reconnect_max_ms },
  };
}

/**
 * What a plugin's context gives its connections (spread into `new WsShards({...})` next to `wsSettings`):
 * the feed id for connection ids, clock, bus, log, stop signal and the socket factory (live or replay).
 *
 * @example
 * new WsShards({ ...wsSettings(c, "wss://venue.example/ws"), ...wsContext(ctx), heartbeat, onFrame });
 */
export function wsContext(ctx: Pick<PluginContext<unknown>, "id" | "clock" | "bus" | "log" | "signal" | "sockets">) {
  return { feed: ctx.id, clock: ctx.clock, bus: ctx.bus, log: ctx.log, signal: ctx.signal, socketFactory: ctx.sockets };
}

/**
 * An idle-only text heartbeat checked every half `pingIntervalMs` (at least 1 ms), so a ping leaves after
 * at most `pingIntervalMs` of silence; no pong within `pongTimeoutMs` = dead socket.
 *
 * @example
 * idlePingHeartbeat(c.ping_interval_ms, c.pong_timeout_ms, "ping", (f) => f === "pong");
 */
export function idlePingHeartbeat(pingIntervalMs: number, pongTimeoutMs: number, payload: string, isPong: (frame: string) => boolean): HeartbeatOptions {
  return { intervalMs: Math.max(1, Math.floor(pingIntervalMs / 2)), idleOnly: true, payload, isPong, timeoutMs: pongTimeoutMs };
}

/**
 * Cross-field checks, one plain sentence per problem (empty when fine). With `fallbackUrl` (the venue's
 * default endpoint), a table that sets neither `ws_url` nor `ws_urls` connects there; an empty `ws_urls`
 * is still a problem.
 *
 * @example
 * const problems = checkWsConfig(c, "wss://venue.example/ws");
 */
export function checkWsConfig(config: WsConfig, fallbackUrl?: string): string[] {
  const problems: string[] = [];
  const wsUrl = config.ws_url ?? (config.ws_urls === undefined ? fallbackUrl : undefined);
  if (wsUrl === undefined && (config.ws_urls === undefined || config.ws_urls.length === 0)) {
    problems.push("set ws_url or ws_urls: the feed has no endpoint to connect to");
  }
  if (config.reconnect_max_ms < config.reconnect_min_ms) {
    problems.push(`reconnect_max_ms (${config.reconnect_max_ms}) is below reconnect_min_ms (${config.reconnect_min_ms})`);
  }
  if (config.reconnect_min_ms < 1) problems.push("reconnect_min_ms must be at least 1");
  return problems;
}
