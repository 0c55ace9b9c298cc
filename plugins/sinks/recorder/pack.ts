/**
 * Batches of recorded rows in columns, so handing a batch to the writer thread costs a few copies
 * instead of one structured clone per row: text bodies joined into one string, times in typed arrays,
 * and (kind, feed, connection, url) as an index into a lane table that grows as lanes appear.
 */
import type { ColumnBatch, Lane } from "../../../core/replay/chunk.ts";
import type { RowKind } from "../../../core/replay/recording.ts";

/** A batch as posted to the writer thread: columns plus the lanes first seen in it. */
export interface PackedBatch extends Omit<ColumnBatch, "lanes"> {
  /** Lanes first seen in this batch (their ids continue the table). */
  readonly newLanes: Lane[];
}

/** The writing side: appends rows into preallocated typed columns (only the bodies stay as objects). */
export class BatchPacker {
  readonly #laneIds = new Map<string, number>();
  #newLanes: Lane[] = [];
  #n = 0;
  #cap: number;
  #lane: Int32Array;
  #ts: Float64Array;
  #ns: BigInt64Array;
  #hasNs: Uint8Array;
  #lengths: Int32Array;
  #texts: string[] = [];
  #binary: Uint8Array[] = [];

  constructor(capacity = 1024) {
    this.#cap = capacity;
    this.#lane = new Int32Array(capacity);
    this.#ts = new Float64Array(capacity);
    this.#ns = new BigInt64Array(capacity);
    this.#hasNs = new Uint8Array(capacity);
    this.#lengths = new Int32Array(capacity);
  }

  get size(): number {
    return this.#n;
  }

  add(kind: RowKind, feed: string, connection: string, url: string | undefined, tsRecv: number, tsRecvNs: bigint | undefined, data: string | Uint8Array): void {
    const key = kind === "ws" ? connection : `${kind}\u0001${feed}\u0001${connection}\u0001${url ?? ""}`;
    let lane = this.#laneIds.get(key);
    if (lane === undefined) {
      lane = this.#laneIds.size;
      this.#laneIds.set(key, lane);
      this.#newLanes.push({ kind, feed, connection, url });
    }
    if (this.#n === this.#cap) this.#grow();
    const i = this.#n++;
    this.#lane[i] = lane;
    this.#ts[i] = tsRecv;
    if (tsRecvNs !== undefined) {
      this.#ns[i] = tsRecvNs;
      this.#hasNs[i] = 1;
    } else this.#hasNs[i] = 0;
    if (typeof data === "string") {
      this.#texts.push(data);
      this.#lengths[i] = data.length;
    } else {
      this.#binary.push(data);
      this.#lengths[i] = -(data.byteLength + 1);
    }
  }

  /** Takes the rows added so far as one batch (its typed arrays are copies, safe to transfer). */
  take(): PackedBatch {
    const n = this.#n;
    const batch: PackedBatch = {
      newLanes: this.#newLanes,
      lane: this.#lane.slice(0, n),
      ts: this.#ts.slice(0, n),
      ns: this.#ns.slice(0, n),
      hasNs: this.#hasNs.slice(0, n),
      text: this.#texts.join(""),
      lengths: this.#lengths.slice(0, n),
      binary: this.#binary,
    };
    this.#newLanes = [];
    this.#texts = [];
    this.#binary = [];
    this.#n = 0;
    return batch;
  }

  #grow(): void {
    const cap = this.#cap * 2;
    const grow = <T extends Int32Array | Float64Array | BigInt64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.#lane = grow(this.#lane, (n) => new Int32Array(n));
    this.#ts = grow(this.#ts, (n) => new Float64Array(n));
    this.#ns = grow(this.#ns, (n) => new BigInt64Array(n));
    this.#hasNs = grow(this.#hasNs, (n) => new Uint8Array(n));
    this.#lengths = grow(this.#lengths, (n) => new Int32Array(n));
    this.#cap = cap;
  }
}

/** The writer thread's side: keeps the lane table and turns posted batches into column batches. */
export class BatchUnpacker {
  readonly #lanes: Lane[] = [];

  columns(b: PackedBatch): ColumnBatch {
    this.#lanes.push(...b.newLanes);
    return { ...b, lanes: this.#lanes };
  }
}
