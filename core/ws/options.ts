/**
 * Options of one resilient connection, and the heartbeat a venue needs. Config keys (snake_case, with
 * units) map onto these in `wsSettings` (config.ts).
 */
import type { Clock } from "../clock.ts";
import type { EventMap } from "../events.ts";
import type { Logger } from "../log.ts";
import type { BackoffOptions } from "./backoff.ts";
import type { WsConnection } from "./connection.ts";
import type { SocketFactory } from "./socket.ts";

/**
 * How a connection proves the venue is still there.
 *
 * @example
 * // plain text ping every 10 s, bare text pong
 * { intervalMs: 10_000, payload: "PING", isPong: (f) => f === "PONG" }
 * // JSON ping only when nothing arrived for 20 s (venues that close idle sockets)
 * { intervalMs: 20_000, idleOnly: true, payload: '{"method":"ping"}', isPong: (f) => f === '{"channel":"pong"}' }
 * // protocol-level ping frames
 * { intervalMs: 15_000, protocol: true }
 * // the server pings in text and wants an answer
 * { intervalMs: 0, reply: (f) => (f === "ping" ? "pong" : undefined) }
 */
export interface HeartbeatOptions {
  /** Send a ping every `intervalMs` (0 = never send; only `reply` is used). */
  readonly intervalMs: number;
  /** The text ping (`"ping"`, `'{"op":"ping"}'`), or a builder for pings that carry an id or a time. */
  readonly payload?: string | (() => string);
  /** Send protocol-level ping frames instead of text; a protocol pong answers them. */
  readonly protocol?: boolean;
  /**
   * True for the venue's pong. Runs on every text frame, so keep it cheap (compare, `startsWith`).
   * Pongs are counted as received data and are not passed to `onFrame`.
   */
  readonly isPong?: (frame: string) => boolean;
  /** A ping with no pong within this many ms means the socket is dead (default `intervalMs`). */
  readonly timeoutMs?: number;
  /** Ping only when nothing was received for `intervalMs` (venues that keep a busy socket alive). */
  readonly idleOnly?: boolean;
  /**
   * Answers the venue's own text pings: return the reply to send (and the frame is not passed on),
   * or `undefined` for every other frame. Runs on every text frame: keep it cheap.
   */
  readonly reply?: (frame: string) => string | undefined;
}

/** Settings shared by every connection of a feed. Times in ms. */
export interface ConnectionSettings {
  /** Endpoints, tried in order; the next one after `rotateAfterFailures` failures in a row. */
  readonly urls: readonly string[];
  /** Give up on a handshake after this long (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Nothing received (not even a pong) for this long = stale: close and reopen (default 30000; 0 = off). */
  readonly staleAfterMs?: number;
  /** Live this long = healthy: backoff and failure counts start again (default 10000). */
  readonly healthyAfterMs?: number;
  /** Consecutive failures on one endpoint before moving to the next (default 3). */
  readonly rotateAfterFailures?: number;
  /**
   * Consecutive handshake refusals with an HTTP 4xx other than 408/429 (bad credentials, wrong path)
   * before the connection gives up as `faulted` (default 5).
   */
  readonly faultAfterRejections?: number;
  readonly backoff?: BackoffOptions;
  readonly heartbeat?: HeartbeatOptions;
  /** Headers for the upgrade request, built fresh for each attempt (signed auth). */
  readonly headers?: () => Readonly<Record<string, string>> | undefined;
  /** The socket implementation (default: Bun's `WebSocket`). */
  readonly socketFactory?: SocketFactory;
}

/** Defaults of `ConnectionSettings`, exported so docs and tests quote one source. */
export const connectionDefaults = {
  connectTimeoutMs: 10_000,
  staleAfterMs: 30_000,
  healthyAfterMs: 10_000,
  rotateAfterFailures: 3,
  faultAfterRejections: 5,
  reconnectMinMs: 250,
  reconnectMaxMs: 30_000,
} as const;

/** A connection's own state. `idle` before `start()`. */
export type ConnectionState = "idle" | "connecting" | "live" | "stale" | "reconnecting" | "stopped" | "faulted";

/** What a connection tells its owner (the shard manager, or a feed using one connection directly). */
export interface ConnectionHooks {
  /** The socket is open: send subscriptions now. */
  onOpen(conn: WsConnection): void;
  /** One frame (pongs and answered pings excluded). Throwing is caught, counted and logged once. */
  onFrame(data: string | Uint8Array, conn: WsConnection, tsRecv: number): void;
  /** A live socket went away (closed, stale, no pong): its data is no longer current. */
  onDown?(conn: WsConnection, reason: string): void;
  /** Every state change, with a plain-sentence reason. */
  onState?(conn: WsConnection, state: ConnectionState, reason: string): void;
}

/** The slice of the bus a connection uses (the raw frame tap). */
export interface RawTap {
  listenerCount(name: "frame.raw"): number;
  emit(name: "frame.raw", payload: EventMap["frame.raw"]): void;
}

/** Everything one `WsConnection` needs: the shared settings plus its identity, clock and hooks. */
export interface ConnectionOptions extends ConnectionSettings {
  /** Stable id, `<feed>#<shard>`. */
  readonly id: string;
  readonly feed: string;
  readonly clock: Clock;
  readonly hooks: ConnectionHooks;
  readonly log?: Logger;
  /** Emits `frame.raw` per frame while something listens (recorder). */
  readonly tap?: RawTap;
}

/** Counters of one connection. */
export interface ConnectionStats {
  readonly id: string;
  /** Sockets opened so far (1 for the first, +1 per reconnect). */
  readonly generation: number;
  readonly state: ConnectionState;
  readonly url: string;
  readonly messages: number;
  readonly bytes: number;
  readonly errors: number;
  /** Successful re-opens after the first open. */
  readonly reconnects: number;
  /** Connect attempts, successful or not. */
  readonly attempts: number;
  /** Clock time of the last frame of any kind, or null before the first. */
  readonly lastMessageAt: number | null;
  /** A handshake is in flight (a socket exists and has not opened yet). */
  readonly handshaking: boolean;
}
