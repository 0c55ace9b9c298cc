/**
 * A chunk: one batch of recorded rows stored as one SQLite row, so recording costs one insert per batch
 * (not per frame) and compresses the batch as a whole. Layout: u32 header length, JSON header (lanes,
 * row count, body bytes), then per row: lane (i32), receive ms (f64), receive ns (i64), flags (u8:
 * 1 = has ns, 2 = binary), body length in bytes (u32); then the bodies back to back (text as UTF-8).
 * The recorder's writer thread copies bodies straight from its ring into a chunk, with no decoding.
 */
import type { RecordedRow, RowKind } from "./recording.ts";

/** What rows of one connection and kind share. */
export interface Lane {
  readonly kind: RowKind;
  readonly feed: string;
  readonly connection: string;
  readonly url: string | undefined;
}

const HAS_NS = 1;
const BINARY = 2;
const PER_ROW = 4 + 8 + 8 + 1 + 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A chunk being filled. Lane ids index a table the builder's owner keeps (`lanes`). */
export class ChunkBuilder {
  readonly lanes: Lane[];
  #n = 0;
  #cap = 256;
  #lane = new Int32Array(this.#cap);
  #ts = new Float64Array(this.#cap);
  #ns = new BigInt64Array(this.#cap);
  #flags = new Uint8Array(this.#cap);
  #len = new Uint32Array(this.#cap);
  #body = new Uint8Array(1 << 16);
  #bodyBytes = 0;
  #laneIds = new Map<string, number>();

  constructor(lanes: Lane[] = []) {
    this.lanes = lanes;
  }

  get size(): number {
    return this.#n;
  }

  /** Adds a row whose body is already bytes (UTF-8 for text). The bytes are copied. */
  add(lane: number, ts: number, ns: bigint | undefined, binary: boolean, bytes: Uint8Array): void {
    if (this.#n === this.#cap) this.#growRows();
    if (this.#bodyBytes + bytes.byteLength > this.#body.byteLength) this.#growBody(this.#bodyBytes + bytes.byteLength);
    const i = this.#n++;
    this.#lane[i] = lane;
    this.#ts[i] = ts;
    this.#ns[i] = ns ?? 0n;
    this.#flags[i] = (ns === undefined ? 0 : HAS_NS) | (binary ? BINARY : 0);
    this.#len[i] = bytes.byteLength;
    this.#body.set(bytes, this.#bodyBytes);
    this.#bodyBytes += bytes.byteLength;
  }

  /** Adds a decoded row (tests, generators), finding or adding its lane. */
  addRow(r: RecordedRow): void {
    const key = `${r.kind}\u0001${r.feed}\u0001${r.connection}\u0001${r.url ?? ""}`;
    let lane = this.#laneIds.get(key);
    if (lane === undefined) {
      lane = this.lanes.length;
      this.lanes.push({ kind: r.kind, feed: r.feed, connection: r.connection, url: r.url });
      this.#laneIds.set(key, lane);
    }
    const binary = typeof r.data !== "string";
    this.add(lane, r.tsRecv, r.tsRecvNs, binary, binary ? (r.data as Uint8Array) : encoder.encode(r.data as string));
  }

  /** Rows per lane id (the recording's index is kept from it). */
  laneCounts(): Map<number, number> {
    const out = new Map<number, number>();
    for (let i = 0; i < this.#n; i++) out.set(this.#lane[i]!, (out.get(this.#lane[i]!) ?? 0) + 1);
    return out;
  }

  /** First and last receive time, ms. */
  span(): { first: number; last: number } {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.#n; i++) {
      const t = this.#ts[i]!;
      if (t < first) first = t;
      if (t > last) last = t;
    }
    return { first, last };
  }

  /** The chunk body (uncompressed); the builder is empty afterwards. Only lanes used here are stored. */
  build(): Uint8Array {
    const n = this.#n;
    const used = new Map<number, number>();
    const lane = new Int32Array(n);
    const lanes: [RowKind, string, string, string | null][] = [];
    for (let i = 0; i < n; i++) {
      const g = this.#lane[i]!;
      let l = used.get(g);
      if (l === undefined) {
        l = lanes.length;
        used.set(g, l);
        const x = this.lanes[g]!;
        lanes.push([x.kind, x.feed, x.connection, x.url ?? null]);
      }
      lane[i] = l;
    }
    const head = encoder.encode(JSON.stringify({ lanes, n, bodyBytes: this.#bodyBytes }));
    const out = new Uint8Array(4 + head.byteLength + n * PER_ROW + this.#bodyBytes);
    new DataView(out.buffer).setUint32(0, head.byteLength);
    let at = 4;
    const put = (bytes: Uint8Array): void => {
      out.set(bytes, at);
      at += bytes.byteLength;
    };
    put(head);
    put(new Uint8Array(lane.buffer, 0, n * 4));
    put(new Uint8Array(this.#ts.buffer, 0, n * 8));
    put(new Uint8Array(this.#ns.buffer, 0, n * 8));
    put(this.#flags.subarray(0, n));
    put(new Uint8Array(this.#len.buffer, 0, n * 4));
    put(this.#body.subarray(0, this.#bodyBytes));
    this.#n = 0;
    this.#bodyBytes = 0;
    return out;
  }

  #growRows(): void {
    const cap = this.#cap * 2;
    const grow = <T extends Int32Array | Float64Array | BigInt64Array | Uint8Array | Uint32Array>(a: T, b: T): T => {
      b.set(a as never);
      return b;
    };
    this.#lane = grow(this.#lane, new Int32Array(cap));
    this.#ts = grow(this.#ts, new Float64Array(cap));
    this.#ns = grow(this.#ns, new BigInt64Array(cap));
    this.#flags = grow(this.#flags, new Uint8Array(cap));
    this.#len = grow(this.#len, new Uint32Array(cap));
    this.#cap = cap;
  }

  #growBody(need: number): void {
    let size = this.#body.byteLength * 2;
    while (size < need) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.#body.subarray(0, this.#bodyBytes));
    this.#body = b;
  }
}

/** Encodes decoded rows into one chunk body (uncompressed). */
export function encodeChunk(rows: readonly RecordedRow[]): Uint8Array {
  const b = new ChunkBuilder();
  for (const r of rows) b.addRow(r);
  return b.build();
}

/** Decodes a chunk body back into rows, bodies exactly as received. */
export function decodeChunk(body: Uint8Array): RecordedRow[] {
  const headLen = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0);
  let at = 4;
  const head = JSON.parse(decoder.decode(body.subarray(at, at + headLen))) as { lanes: [RowKind, string, string, string | null][]; n: number };
  at += headLen;
  const n = head.n;
  const copy = (bytes: number): Uint8Array<ArrayBuffer> => {
    const out = new Uint8Array(bytes); // its own aligned buffer (the body may be a view into a larger one)
    out.set(body.subarray(at, at + bytes));
    at += bytes;
    return out;
  };
  const lane = new Int32Array(copy(n * 4).buffer);
  const ts = new Float64Array(copy(n * 8).buffer);
  const ns = new BigInt64Array(copy(n * 8).buffer);
  const flags = copy(n);
  const len = new Uint32Array(copy(n * 4).buffer);
  const rows: RecordedRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const [kind, feed, connection, url] = head.lanes[lane[i]!]!;
    const f = flags[i]!;
    const data = (f & BINARY) !== 0 ? copy(len[i]!) : decoder.decode(body.subarray(at, (at += len[i]!)));
    rows[i] = { kind, feed, connection, url: url ?? undefined, tsRecv: ts[i]!, tsRecvNs: (f & HAS_NS) !== 0 ? ns[i]! : undefined, data };
  }
  return rows;
}
