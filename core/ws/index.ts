/**
 * Resilient WebSocket connections for feed plugins: reconnect with backoff, heartbeats, watchdogs,
 * endpoint rotation, sharding, status and counters. See docs/market-data.md.
 */
export { bookHooks, type BookHooks } from "./book-hooks.ts";
export { Backoff, type BackoffOptions, type JitterMode } from "./backoff.ts";
export { CadenceWatchdog, type CadenceOptions } from "./cadence.ts";
export { checkWsConfig, idlePingHeartbeat, wsConfigEntries, wsContext, wsSettings, wsUrls, type WsConfig } from "./config.ts";
export {
  WsConnection,
  type ConnectionHooks,
  type ConnectionOptions,
  type ConnectionState,
  type ConnectionStats,
  type RawTap,
} from "./connection.ts";
export { Heartbeat, type HeartbeatIo } from "./heartbeat.ts";
export { connectionDefaults, type ConnectionSettings, type HeartbeatOptions } from "./options.ts";
export {
  WsShards,
  type ConnectionInfo,
  type ShardsBus,
  type ShardsOptions,
  type ShardStats,
  type SubscribeCause,
} from "./shards.ts";
export { bunSocketFactory, upgradeStatus, type SocketFactory, type SocketHandlers, type SocketOptions, type WsSocket } from "./socket.ts";
export { aggregateStatus, type AggregateStatus, type ShardState } from "./status.ts";
