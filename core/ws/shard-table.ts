/**
 * Bookkeeping of which subscription id lives on which shard. No I/O: `WsShards` sends the frames.
 */
import type { ConnectionState, WsConnection } from "./connection.ts";

/** One shard: a connection and the ids it carries. */
export interface Shard {
  readonly index: number;
  readonly id: string;
  readonly conn: WsConnection;
  readonly ids: Set<string>;
  state: ConnectionState;
  reason: string;
  /** Sockets opened by earlier shards with the same index (generations keep counting up). */
  readonly genBase: number;
}

/** A planned move of ids from one shard to another. */
export interface ShardMove {
  readonly from: Shard;
  readonly to: Shard;
  readonly ids: readonly string[];
}

/** Id → shard placement with a per-shard cap. */
export class ShardTable {
  readonly max: number;
  #shards: Shard[] = [];
  #where = new Map<string, Shard>();

  constructor(maxPerShard: number) {
    if (!(maxPerShard >= 1)) throw new Error(`max_per_connection must be at least 1, got ${maxPerShard}`);
    this.max = maxPerShard;
  }

  /** Shards by index. */
  shards(): readonly Shard[] {
    return this.#shards;
  }

  has(shard: Shard): boolean {
    return this.#shards.includes(shard);
  }

  shardOf(id: string): Shard | undefined {
    return this.#where.get(id);
  }

  allIds(): string[] {
    return [...this.#where.keys()];
  }

  /** The lowest shard index not in use. */
  freeIndex(): number {
    let i = 0;
    for (const s of this.#shards) {
      if (s.index !== i) break;
      i++;
    }
    return i;
  }

  add(shard: Shard): void {
    this.#shards.push(shard);
    this.#shards.sort((a, b) => a.index - b.index);
  }

  delete(shard: Shard): void {
    const i = this.#shards.indexOf(shard);
    if (i >= 0) this.#shards.splice(i, 1);
    for (const id of shard.ids) if (this.#where.get(id) === shard) this.#where.delete(id);
  }

  /** Places new ids on the lowest shards with room, creating shards as needed. Returns what was added where. */
  place(ids: Iterable<string>, create: () => Shard): Map<Shard, string[]> {
    const added = new Map<Shard, string[]>();
    let cursor = 0;
    for (const id of ids) {
      if (this.#where.has(id)) continue;
      while (cursor < this.#shards.length && this.#shards[cursor]!.ids.size >= this.max) cursor++;
      let shard = this.#shards[cursor];
      if (shard === undefined) {
        shard = create();
        cursor = this.#shards.indexOf(shard);
      }
      shard.ids.add(id);
      this.#where.set(id, shard);
      let list = added.get(shard);
      if (list === undefined) added.set(shard, (list = []));
      list.push(id);
    }
    return added;
  }

  /** Removes ids; returns what was removed from which shard. Unknown ids are ignored. */
  remove(ids: Iterable<string>): Map<Shard, string[]> {
    const removed = new Map<Shard, string[]>();
    for (const id of ids) {
      const shard = this.#where.get(id);
      if (shard === undefined) continue;
      this.#where.delete(id);
      shard.ids.delete(id);
      let list = removed.get(shard);
      if (list === undefined) removed.set(shard, (list = []));
      list.push(id);
    }
    return removed;
  }

  /** Moves ids (already planned) from one shard to another. */
  move(ids: readonly string[], from: Shard, to: Shard): void {
    for (const id of ids) {
      from.ids.delete(id);
      to.ids.add(id);
      this.#where.set(id, to);
    }
  }

  /** Plans moves that empty the highest shards into the room left on lower ones. */
  compactionMoves(): ShardMove[] {
    if (!Number.isFinite(this.max)) return [];
    const sizes = new Map(this.#shards.map((s) => [s, s.ids.size] as const));
    const pending = new Map<Shard, string[]>(this.#shards.map((s) => [s, [...s.ids]]));
    const moves: ShardMove[] = [];
    let lo = 0;
    let hi = this.#shards.length - 1;
    while (lo < hi) {
      const to = this.#shards[lo]!;
      const from = this.#shards[hi]!;
      const room = this.max - sizes.get(to)!;
      const left = pending.get(from)!;
      if (room <= 0) {
        lo++;
        continue;
      }
      if (left.length === 0) {
        hi--;
        continue;
      }
      const ids = left.splice(0, room);
      sizes.set(to, sizes.get(to)! + ids.length);
      sizes.set(from, sizes.get(from)! - ids.length);
      moves.push({ from, to, ids });
    }
    return moves;
  }
}
