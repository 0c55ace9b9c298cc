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

/** The writing side: appends rows into growing columns. */
export class BatchPacker {
  readonly #laneIds = new Map<string, number>();
  #newLanes: Lane[] = [];
  #lanes: number[] = [];
  #ts: number[] = [];
  #ns: bigint[] = [];
  #hasNs: number[] = [];
  #texts: string[] = [];
  #lengths: number[] = [];
  #binary: Uint8Array[] = [];

  get size(): number {
    return this.#ts.length;
  }

  add(kind: RowKind, feed: string, connection: string, url: string | undefined, tsRecv: number, tsRecvNs: bigint | undefined, data: string | Uint8Array): void {
    const key = kind === "ws" ? connection : `${kind}\u0001${feed}\u0001${connection}\u0001${url ?? ""}`;
    let lane = this.#laneIds.get(key);
    if (lane === undefined) {
      lane = this.#laneIds.size;
      this.#laneIds.set(key, lane);
      this.#newLanes.push({ kind, feed, connection, url });
    }
    this.#lanes.push(lane);
    this.#ts.push(tsRecv);
    this.#ns.push(tsRecvNs ?? 0n);
    this.#hasNs.push(tsRecvNs === undefined ? 0 : 1);
    if (typeof data === "string") {
      this.#texts.push(data);
      this.#lengths.push(data.length);
    } else {
      this.#binary.push(data);
      this.#lengths.push(-(data.byteLength + 1));
    }
  }

  /** Takes the rows added so far as one batch. */
  take(): PackedBatch {
    const batch: PackedBatch = {
      newLanes: this.#newLanes,
      lane: Int32Array.from(this.#lanes),
      ts: Float64Array.from(this.#ts),
      ns: BigInt64Array.from(this.#ns),
      hasNs: Uint8Array.from(this.#hasNs),
      text: this.#texts.join(""),
      lengths: Int32Array.from(this.#lengths),
      binary: this.#binary,
    };
    this.#newLanes = [];
    this.#lanes = [];
    this.#ts = [];
    this.#ns = [];
    this.#hasNs = [];
    this.#texts = [];
    this.#lengths = [];
    this.#binary = [];
    return batch;
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
