/**
 * The connections of one feed: subscription ids split over shards of at most `maxPerConnection`,
 * opened with a stagger (connection bursts get HTTP 429), changed live without touching other shards,
 * and reported as one `feed.status` plus `FeedStats`.
 */
import type { TimerHandle } from "../clock.ts";
import type { FeedStats } from "../plugin.ts";
import { CadenceWatchdog } from "./cadence.ts";
import { WsConnection, type ConnectionState, type ConnectionStats } from "./connection.ts";
import type { ConnectionInfo, ShardsOptions, ShardStats, SubscribeCause } from "./shards-options.ts";
import { aggregateStatus, type AggregateStatus } from "./status.ts";
import { ShardTable, type Shard } from "./shard-table.ts";

export type { ConnectionInfo, ShardsBus, ShardsOptions, ShardStats, SubscribeCause } from "./shards-options.ts";

/**
 * The socket side of a feed plugin. One instance per feed; shards are created and removed as ids come
 * and go. Status aggregation: see `aggregateStatus`.
 *
 * @example
 * const ws = new WsShards({
 *   feed: ctx.id, clock: ctx.clock, bus: ctx.bus, log: ctx.log, signal: ctx.signal,
 *   ...wsSettings(ctx.config),
 *   heartbeat: { intervalMs: 10_000, payload: "PING", isPong: (f) => f === "PONG" },
 *   encodeSubscribe: (ids) => [JSON.stringify({ assets_ids: ids, operation: "subscribe" })],
 *   encodeUnsubscribe: (ids) => [JSON.stringify({ assets_ids: ids, operation: "unsubscribe" })],
 *   ...bookHooks(writer, ctx.clock, (id) => [id]), // onSubscribed: resync; onDown: markStale
 *   onFrame(data, conn, tsRecv) {
 *     const rest = applyEvents(writer, parseFrame(data, tsRecv)); // snapshots, deltas, tops, trades
 *     writer.endFrame(tsRecv);
 *     for (const ev of rest) if (ev.kind === "funding") ctx.bus.emit("funding", ev.funding);
 *   },
 * });
 * ws.subscribe(ctx.config.instruments);
 * return { stop: () => ws.stop(), stats: () => ws.stats() };
 */
export class WsShards {
  readonly feed: string;
  #o: ShardsOptions;
  #table: ShardTable;
  #cadence: CadenceWatchdog | undefined;
  #starts = new Set<TimerHandle>();
  #nextStartAt = 0;
  #state: "running" | "stopped" | "faulted" = "running";
  #faultReason = "";
  #last: AggregateStatus | undefined;
  /** Counters of shards already removed, so totals never go backwards. */
  #retired = { messages: 0, bytes: 0, errors: 0, reconnects: 0 };
  #resyncs = 0;
  #generations = new Map<number, number>();
  #onAbort = (): void => this.stop("the feed stopped");

  constructor(options: ShardsOptions) {
    this.feed = options.feed;
    this.#o = options;
    this.#table = new ShardTable(options.maxPerConnection ?? Number.POSITIVE_INFINITY);
    if (options.cadence !== undefined) {
      this.#cadence = new CadenceWatchdog({ clock: options.clock, ...options.cadence });
    }
    options.signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (options.signal?.aborted === true) this.stop("the feed stopped");
  }

  /** The feed's aggregated state now, with current reasons. */
  status(): AggregateStatus {
    if (this.#state !== "running") return this.#last ?? this.#aggregate();
    return this.#aggregate();
  }

  /** Subscribes ids not yet subscribed: fills shards with room, opens new shards for the rest. */
  subscribe(ids: Iterable<string>): void {
    if (this.#state !== "running") return;
    const placed = this.#table.place(ids, () => this.#newShard());
    for (const [shard, added] of placed) this.#sendSubscribe(shard, added, "add");
    if (placed.size > 0) this.#publish(undefined);
  }

  /** Unsubscribes ids; a shard left empty is closed. Other shards are untouched. */
  unsubscribe(ids: Iterable<string>): void {
    if (this.#state !== "running") return;
    const removed = this.#table.remove(ids);
    for (const [shard, gone] of removed) {
      this.#cadence?.untrack(gone);
      if (shard.conn.live && this.#o.encodeUnsubscribe !== undefined) this.#sendFrames(shard, gone, this.#o.encodeUnsubscribe);
      if (shard.ids.size === 0) this.#removeShard(shard);
    }
    if (removed.size > 0) this.#publish(undefined);
  }

  /**
   * Asks the venue for fresh snapshots of ids it already streams (a sequence gap, a checksum mismatch):
   * unsubscribe (when the venue can) and subscribe again on their live connections, with
   * `onSubscribed(ids, "resync")`. Ids on a connection that is not live are resubscribed on open anyway.
   */
  resubscribe(ids: Iterable<string>): void {
    if (this.#state !== "running") return;
    const byShard = new Map<Shard, string[]>();
    for (const id of ids) {
      const shard = this.#table.shardOf(id);
      if (shard === undefined || !shard.conn.live) continue;
      let list = byShard.get(shard);
      if (list === undefined) byShard.set(shard, (list = []));
      list.push(id);
    }
    for (const [shard, list] of byShard) {
      if (this.#o.encodeUnsubscribe !== undefined) this.#sendFrames(shard, list, this.#o.encodeUnsubscribe);
      this.#sendSubscribe(shard, list, "resync");
    }
  }

  /**
   * Moves ids from the highest shards into free room on lower ones and closes shards left empty
   * (after many unsubscribes). Only the shards involved send frames; none reconnects.
   */
  compact(): void {
    if (this.#state !== "running") return;
    for (const move of this.#table.compactionMoves()) {
      const { from, to, ids } = move;
      this.#table.move(ids, from, to);
      if (from.conn.live && this.#o.encodeUnsubscribe !== undefined) this.#sendFrames(from, ids, this.#o.encodeUnsubscribe);
      this.#sendSubscribe(to, ids, "move");
      if (from.ids.size === 0) this.#removeShard(from);
    }
    this.#publish(undefined);
  }

  /** Every id subscribed now. */
  subscriptions(): string[] {
    return this.#table.allIds();
  }

  /** The connection that carries `id` (to send a venue request about it, or force its reconnect). */
  connectionOf(id: string): WsConnection | undefined {
    return this.#table.shardOf(id)?.conn;
  }

  /** A message for `id` arrived (per-subscription cadence). */
  seen(id: string): void {
    this.#cadence?.seen(id);
  }

  /** Counts book resyncs the feed started itself (sequence gap, checksum mismatch, crossed book). */
  noteResync(count = 1): void {
    this.#resyncs += count;
  }

  /** Gives up for good: the venue rejects the config or the credentials. Emits `faulted` with `reason`. */
  fault(reason: string): void {
    if (this.#state !== "running") return;
    this.#faultReason = reason;
    this.#shutdown("faulted", reason);
  }

  /** Closes every connection and clears every timer. Emits `stopped`. Idempotent. */
  stop(reason = "stopped"): void {
    if (this.#state !== "running") return;
    this.#shutdown("stopped", reason);
  }

  /** Per-connection counters and states. */
  connections(): ShardStats[] {
    return this.#table.shards().map((s) => ({ ...s.conn.stats(), subscriptions: s.ids.size }));
  }

  /** Feed totals for `/api/feeds` and metrics. */
  stats(): FeedStats {
    const t = { ...this.#retired };
    let live = 0;
    let last = -1;
    for (const s of this.#table.shards()) {
      const c = s.conn.stats();
      t.messages += c.messages;
      t.bytes += c.bytes;
      t.errors += c.errors;
      t.reconnects += c.reconnects;
      if (c.state === "live") live++;
      if (c.lastMessageAt !== null && c.lastMessageAt > last) last = c.lastMessageAt;
    }
    if (this.#lastRetiredMessageAt > last) last = this.#lastRetiredMessageAt;
    return { connections: live, ...t, resyncs: this.#resyncs, lastMessageAgeMs: last < 0 ? null : this.#o.clock.now() - last };
  }

  #lastRetiredMessageAt = -1;

  #newShard(): Shard {
    const index = this.#table.freeIndex();
    const id = `${this.feed}#${index}`;
    const gen0 = this.#generations.get(index) ?? 0;
    const o = this.#o;
    const self = this;
    const conn = new WsConnection({
      ...o,
      id,
      feed: this.feed,
      log: o.log,
      tap: o.bus,
      hooks: {
        onOpen: (c) => self.#onOpen(shard, c),
        onFrame: o.onFrame,
        onDown: (c, reason) => self.#onDown(shard, c, reason),
        onState: (c, state, reason) => self.#onState(shard, state, reason),
      },
    });
    const shard: Shard = { index, id, conn, ids: new Set(), state: "idle", reason: "waiting to connect", genBase: gen0 };
    this.#table.add(shard);
    const now = o.clock.now();
    const at = Math.max(now, this.#nextStartAt);
    this.#nextStartAt = at + (o.staggerMs ?? 250);
    const timer = o.clock.setTimeout(function startShard() {
      self.#starts.delete(timer);
      if (self.#table.has(shard)) conn.start();
    }, at - now);
    this.#starts.add(timer);
    return shard;
  }

  #info(shard: Shard): ConnectionInfo {
    return { connection: shard.conn.id, generation: shard.genBase + shard.conn.generation };
  }

  #onOpen(shard: Shard, conn: WsConnection): void {
    if (shard.ids.size === 0) return;
    const ids = [...shard.ids];
    const reopen = conn.generation > 1;
    if (reopen) this.#resyncs += ids.length;
    this.#sendSubscribe(shard, ids, reopen ? "reopen" : "open");
  }

  #sendSubscribe(shard: Shard, ids: readonly string[], cause: SubscribeCause): void {
    if (ids.length === 0) return;
    // not open yet: everything goes out on open
    if (!shard.conn.live) return;
    if (this.#cadence !== undefined) {
      const promised = this.#o.cadence?.promised;
      this.#cadence.track(promised === undefined ? ids : ids.filter(promised));
    }
    try {
      this.#o.onSubscribed?.(ids, cause, this.#info(shard));
    } catch (error) {
      this.#o.log?.error("onSubscribed threw", { connection: shard.conn.id, error });
    }
    this.#sendFrames(shard, ids, this.#o.encodeSubscribe);
  }

  #sendFrames(shard: Shard, ids: readonly string[], encode: (ids: readonly string[]) => readonly string[]): void {
    const per = this.#o.maxPerFrame ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < ids.length; i += per) {
      const chunk = per >= ids.length ? ids : ids.slice(i, i + per);
      let frames: readonly string[];
      try {
        frames = encode(chunk);
      } catch (error) {
        shard.conn.malformed("encode", String(error));
        return;
      }
      for (const f of frames) if (!shard.conn.send(f)) return; // lost the socket: open resends all
      if (chunk === ids) break;
    }
  }

  #onDown(shard: Shard, conn: WsConnection, reason: string): void {
    if (shard.ids.size === 0) return;
    const ids = [...shard.ids];
    this.#cadence?.untrack(ids);
    try {
      this.#o.onDown?.(ids, reason, this.#info(shard));
    } catch (error) {
      this.#o.log?.error("onDown threw", { connection: conn.id, error });
    }
  }

  #onState(shard: Shard, state: ConnectionState, reason: string): void {
    shard.state = state;
    shard.reason = reason;
    if (this.#state === "running") this.#publish(shard.conn.id);
  }

  #removeShard(shard: Shard): void {
    this.#table.delete(shard);
    const c = shard.conn.stats();
    this.#retire(c);
    this.#generations.set(shard.index, shard.genBase + c.generation);
    shard.conn.stop("no subscriptions left");
  }

  #retire(c: ConnectionStats): void {
    this.#retired.messages += c.messages;
    this.#retired.bytes += c.bytes;
    this.#retired.errors += c.errors;
    this.#retired.reconnects += c.reconnects;
    if (c.lastMessageAt !== null && c.lastMessageAt > this.#lastRetiredMessageAt) this.#lastRetiredMessageAt = c.lastMessageAt;
  }

  #shutdown(state: "stopped" | "faulted", reason: string): void {
    this.#state = state;
    for (const t of this.#starts) this.#o.clock.clearTimeout(t);
    this.#starts.clear();
    this.#cadence?.stop();
    for (const shard of this.#table.shards()) {
      if (state === "faulted") shard.conn.fault(reason);
      else shard.conn.stop(reason);
    }
    this.#o.signal?.removeEventListener("abort", this.#onAbort);
    this.#publish(undefined, { state, reasons: [reason] });
  }

  #lastDownKey = "";

  /** Ids of the shards not live, with their states: what a status transition is keyed on. */
  #downKey(): string {
    let key = "";
    for (const s of this.#table.shards()) if (s.state !== "live") key += `${s.id}:${s.state === "idle" ? "connecting" : s.state} `;
    return key;
  }

  #aggregate(): AggregateStatus {
    if (this.#state === "faulted") return { state: "faulted", reasons: [this.#faultReason] };
    return aggregateStatus(this.#table.shards());
  }

  /**
   * Emits `feed.status` when the aggregate state changes, or when the set of connections that are not
   * live changes within the same state (another shard went down while `degraded`). A shard's reason
   * alone changing (the next retry delay) is not a transition: `status()` has the current reasons.
   */
  #publish(connection: string | undefined, forced?: AggregateStatus): void {
    const next = forced ?? this.#aggregate();
    const prev = this.#last;
    const downKey = forced === undefined ? this.#downKey() : "";
    if (prev !== undefined && prev.state === next.state && downKey === this.#lastDownKey) return;
    this.#last = next;
    this.#lastDownKey = downKey;
    this.#o.bus.emit("feed.status", {
      feed: this.feed,
      state: next.state,
      prev: prev?.state,
      reasons: next.reasons,
      connection,
      ts: this.#o.clock.now(),
    });
  }
}

