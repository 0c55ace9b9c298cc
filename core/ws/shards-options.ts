/**
 * Options and reports of `WsShards`: what a feed supplies (frames to subscribe, what a frame means, what
 * to do when books must resync or go stale) and what it gets back.
 */
import type { Clock } from "../clock.ts";
import type { EventMap } from "../events.ts";
import type { Logger } from "../log.ts";
import type { ConnectionSettings, ConnectionStats } from "./options.ts";
import type { WsConnection } from "./connection.ts";

/**
 * Why ids were (re)subscribed: first `open` of a shard, `reopen` after a reconnect, `add` (new ids on a
 * live shard), `move` (compaction), `resync` (the feed asked for fresh snapshots with `resubscribe`).
 */
export type SubscribeCause = "open" | "reopen" | "add" | "move" | "resync";

/** Which connection an event concerns. */
export interface ConnectionInfo {
  /** `<feed>#<shard>`, stable for the life of the shard. */
  readonly connection: string;
  /** Sockets this shard has opened so far. */
  readonly generation: number;
}

/** The bus slice the shards use: `feed.status` always, `frame.raw` while something listens. */
export interface ShardsBus {
  emit<K extends "feed.status" | "frame.raw">(name: K, payload: EventMap[K]): void;
  listenerCount(name: "frame.raw"): number;
}

/** What a feed gives `WsShards`: the connection settings, its identity, and its venue functions. */
export interface ShardsOptions extends ConnectionSettings {
  /** Feed instance id (`ctx.id`). */
  readonly feed: string;
  readonly clock: Clock;
  readonly bus: ShardsBus;
  readonly log?: Logger;
  /** Stops everything when aborted (`ctx.signal`). */
  readonly signal?: AbortSignal;
  /** Most subscription ids on one connection (`max_per_connection`; default: no limit). */
  readonly maxPerConnection?: number;
  /** Most ids in one subscribe/unsubscribe frame (default: no limit). */
  readonly maxPerFrame?: number;
  /** Least time between opening two new connections, ms (default 250). */
  readonly staggerMs?: number;
  /** Frames that subscribe these ids (already cut to `maxPerFrame`). */
  readonly encodeSubscribe: (ids: readonly string[]) => readonly string[];
  /** Frames that unsubscribe these ids; absent = the venue cannot, ids are only forgotten locally. */
  readonly encodeUnsubscribe?: (ids: readonly string[]) => readonly string[];
  /** One venue frame. Parse, write the store, end the frame. Throwing is caught and counted. */
  readonly onFrame: (data: string | Uint8Array, conn: WsConnection, tsRecv: number) => void;
  /**
   * Ids whose subscribe frames are being sent now; their books must resync (fresh snapshot coming).
   * Called before the frames go out: on every open with all of the shard's ids, and for `add`/`move`.
   */
  readonly onSubscribed?: (ids: readonly string[], cause: SubscribeCause, info: ConnectionInfo) => void;
  /** A live connection went away: these ids' data is no longer current (mark them stale). */
  readonly onDown?: (ids: readonly string[], reason: string, info: ConnectionInfo) => void;
  /**
   * Per-subscription cadence, for venues that promise one (a snapshot per block, a ticker per second):
   * each id `promised` (default: all) must see `seen(id)` every `everyMs` (+ `graceMs`), or `onMissed`
   * gets it. Ids without a promise are never called stale for being quiet.
   */
  readonly cadence?: {
    readonly everyMs: number;
    readonly graceMs?: number;
    readonly promised?: (id: string) => boolean;
    readonly onMissed: (ids: readonly string[]) => void;
  };
}

/** One shard as `connections()` reports it. */
export interface ShardStats extends ConnectionStats {
  readonly subscriptions: number;
}
