/**
 * A single-producer, single-consumer ring in shared memory between the feed's thread (which appends
 * frames as they arrive) and the recorder's writer thread (which drains it). Appending copies the body
 * into the ring (UTF-8 for text) and a 32-byte header; nothing is posted and nothing is retained on the
 * feed's thread, so recording adds no garbage there.
 *
 * Record layout (8-byte aligned): u32 record bytes, i32 lane, f64 receive ms, i64 receive ns, u32 flags
 * (1 = has ns, 2 = binary body, 4 = lane definition: the body is the lane as JSON, 8 = the ns slot holds
 * the f64 `performance.now()` reading instead: the reader makes the ns BigInt with the ring's origin),
 * u32 body bytes, body.
 * A record never wraps: when it does not fit before the end, a wrap marker (record bytes 0xFFFFFFFF)
 * sends both sides to the start. Positions are unsigned 32-bit counters; the capacity is a power of two.
 */
import type { ChunkBuilder, Lane } from "../../../core/replay/chunk.ts";
import type { RecordedRow, RowKind } from "../../../core/replay/recording.ts";
import { nsFromPerf, perfOriginNs } from "../../../core/ws/raw-frame.ts";

const HEADER = 32;
const WRAP = 0xffffffff;
const HAS_NS = 1;
const BINARY = 2;
const LANE = 4;
const PERF = 8;
/** Control words: [0] write position, [1] read position. */
const WRITE = 0;
const READ = 1;

/** The shared memory of one ring (posted once to the writer thread). */
export interface RingMemory {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
  /** The appending thread's `performance.timeOrigin` in ns (for receive times appended as `performance.now()`). */
  readonly originNs: bigint;
}

/** Creates ring memory of at least `bytes` (rounded up to a power of two, at least 64 KiB). */
export function createRingMemory(bytes: number): RingMemory {
  let cap = 1 << 16;
  while (cap < bytes && cap < 1 << 30) cap *= 2;
  const data = new SharedArrayBuffer(cap);
  // fault every page in now (setup), so the feed's thread never takes a page fault appending
  const view = new Uint8Array(data);
  for (let i = 0; i < cap; i += 4096) view[i] = 0;
  return { control: new SharedArrayBuffer(8), data, originNs: perfOriginNs };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const align8 = (n: number): number => (n + 7) & ~7;

/** The feed thread's side. */
export class RingWriter {
  readonly #ctl: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #cap: number;
  readonly #laneIds = new Map<string, number>();
  /** Frames not appended because the ring was full (the disk or the writer thread fell behind). */
  dropped = 0;

  constructor(memory: RingMemory) {
    this.#ctl = new Int32Array(memory.control);
    this.#bytes = new Uint8Array(memory.data);
    this.#view = new DataView(memory.data);
    this.#cap = memory.data.byteLength;
  }

  /**
   * Appends one row; false (and counted) when the ring has no room for it. `tsRecvNs` is the receive
   * time in ns, or (a number) this thread's `performance.now()` at receive, turned into ns by the reader.
   */
  append(kind: RowKind, feed: string, connection: string, url: string | undefined, tsRecv: number, tsRecvNs: bigint | number | undefined, data: string | Uint8Array): boolean {
    const key = kind === "ws" ? connection : `${kind}\u0001${feed}\u0001${connection}\u0001${url ?? ""}`;
    let lane = this.#laneIds.get(key);
    if (lane === undefined) {
      lane = this.#laneIds.size;
      const lane_ = lane;
      if (!this.#put(lane_, 0, undefined, LANE, JSON.stringify({ kind, feed, connection, url } satisfies Lane))) {
        this.dropped++;
        return false;
      }
      this.#laneIds.set(key, lane);
    }
    if (this.#put(lane, tsRecv, tsRecvNs, typeof data === "string" ? 0 : BINARY, data)) return true;
    this.dropped++;
    return false;
  }

  #put(lane: number, ts: number, ns: bigint | number | undefined, flags: number, data: string | Uint8Array): boolean {
    const maxBody = typeof data === "string" ? data.length * 3 : data.byteLength;
    const maxRecord = align8(HEADER + maxBody);
    if (maxRecord + 8 > this.#cap / 2) return false; // larger than half the ring: cannot be stored
    let write = Atomics.load(this.#ctl, WRITE) >>> 0;
    const read = Atomics.load(this.#ctl, READ) >>> 0;
    let used = (write - read) >>> 0;
    let at = write & (this.#cap - 1);
    if (at + maxRecord > this.#cap) {
      // not enough room before the end: a wrap marker, and the record goes at the start
      const skip = this.#cap - at;
      if (used + skip + maxRecord > this.#cap) return false;
      this.#view.setUint32(at, WRAP, true);
      write = (write + skip) >>> 0;
      used += skip;
      at = 0;
    }
    if (used + maxRecord > this.#cap) return false;
    let bodyBytes: number;
    if (typeof data === "string") bodyBytes = encoder.encodeInto(data, this.#bytes.subarray(at + HEADER, at + HEADER + maxBody)).written;
    else {
      this.#bytes.set(data, at + HEADER);
      bodyBytes = data.byteLength;
    }
    const size = align8(HEADER + bodyBytes);
    const v = this.#view;
    v.setUint32(at, size, true);
    v.setInt32(at + 4, lane, true);
    v.setFloat64(at + 8, ts, true);
    if (typeof ns === "number") {
      v.setFloat64(at + 16, ns, true);
      flags |= HAS_NS | PERF;
    } else if (ns !== undefined) {
      v.setBigInt64(at + 16, ns, true);
      flags |= HAS_NS;
    }
    v.setUint32(at + 24, flags, true);
    v.setUint32(at + 28, bodyBytes, true);
    Atomics.store(this.#ctl, WRITE, (write + size) | 0);
    return true;
  }
}

/** The writer thread's side. */
export class RingReader {
  readonly #ctl: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #cap: number;
  readonly #lanes: Lane[] = [];
  readonly #originNs: bigint;

  constructor(memory: RingMemory) {
    this.#ctl = new Int32Array(memory.control);
    this.#bytes = new Uint8Array(memory.data);
    this.#view = new DataView(memory.data);
    this.#cap = memory.data.byteLength;
    this.#originNs = memory.originNs;
  }

  /** The receive time in ns of the record at `at`, or undefined. */
  #ns(at: number, flags: number): bigint | undefined {
    if ((flags & HAS_NS) === 0) return undefined;
    const v = this.#view;
    return (flags & PERF) !== 0 ? nsFromPerf(v.getFloat64(at + 16, true), this.#originNs) : v.getBigInt64(at + 16, true);
  }

  /**
   * Copies up to `max` records appended so far into `chunk` (bodies as bytes, no decoding); its lane
   * table must be this reader's (`lanes`). Returns how many rows were added.
   */
  drainInto(chunk: ChunkBuilder, max: number): number {
    let added = 0;
    const write = Atomics.load(this.#ctl, WRITE) >>> 0;
    let read = Atomics.load(this.#ctl, READ) >>> 0;
    const v = this.#view;
    while (read !== write && added < max) {
      const at = read & (this.#cap - 1);
      const size = v.getUint32(at, true);
      if (size === WRAP) {
        read = (read + (this.#cap - at)) >>> 0;
        continue;
      }
      const lane = v.getInt32(at + 4, true);
      const flags = v.getUint32(at + 24, true);
      const body = this.#bytes.subarray(at + HEADER, at + HEADER + v.getUint32(at + 28, true));
      if ((flags & LANE) !== 0) this.#lanes[lane] = JSON.parse(decoder.decode(body)) as Lane;
      else {
        chunk.add(lane, v.getFloat64(at + 8, true), this.#ns(at, flags), (flags & BINARY) !== 0, body);
        added++;
      }
      read = (read + size) >>> 0;
    }
    Atomics.store(this.#ctl, READ, read | 0);
    return added;
  }

  /** The lane table (shared with the chunks this reader fills). */
  get lanes(): Lane[] {
    return this.#lanes;
  }

  /** Takes every complete record appended so far (at most `max` rows), decoded (tests). */
  drain(max = Number.POSITIVE_INFINITY): RecordedRow[] {
    const rows: RecordedRow[] = [];
    const write = Atomics.load(this.#ctl, WRITE) >>> 0;
    let read = Atomics.load(this.#ctl, READ) >>> 0;
    while (read !== write && rows.length < max) {
      const at = read & (this.#cap - 1);
      const size = this.#view.getUint32(at, true);
      if (size === WRAP) {
        read = (read + (this.#cap - at)) >>> 0;
        continue;
      }
      const v = this.#view;
      const lane = v.getInt32(at + 4, true);
      const flags = v.getUint32(at + 24, true);
      const bodyBytes = v.getUint32(at + 28, true);
      const body = this.#bytes.subarray(at + HEADER, at + HEADER + bodyBytes);
      if ((flags & LANE) !== 0) this.#lanes[lane] = JSON.parse(decoder.decode(body)) as Lane;
      else {
        const l = this.#lanes[lane]!;
        rows.push({
          kind: l.kind,
          feed: l.feed,
          connection: l.connection,
          url: l.url ?? undefined,
          tsRecv: v.getFloat64(at + 8, true),
          tsRecvNs: this.#ns(at, flags),
          data: (flags & BINARY) !== 0 ? body.slice() : decoder.decode(body),
        });
      }
      read = (read + size) >>> 0;
    }
    Atomics.store(this.#ctl, READ, read | 0);
    return rows;
  }
}
