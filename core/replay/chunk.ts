/**
 * A chunk: one batch of recorded rows stored as one SQLite row, so recording costs one insert per batch
 * (not per frame) and compresses the batch as a whole. Rows travel and are stored in columns
 * (`ColumnBatch`): the recorder fills them on the feed's thread and the writer thread stores them with a
 * few copies. Layout: u32 header length, JSON header (lanes, counts), then lane ids (i32), receive times
 * (f64), ns times (i64) and their presence (u8), body lengths (i32), the text bodies as one UTF-8
 * string, the binary bodies. Text lengths count UTF-16 code units; a binary body has length −(bytes+1).
 */
import type { RecordedRow, RowKind } from "./recording.ts";

/** What rows of one connection and kind share. */
export interface Lane {
  readonly kind: RowKind;
  readonly feed: string;
  readonly connection: string;
  readonly url: string | undefined;
}

/** Rows in columns. `lane[i]` indexes `lanes`. */
export interface ColumnBatch {
  readonly lanes: readonly Lane[];
  readonly lane: Int32Array;
  readonly ts: Float64Array;
  readonly ns: BigInt64Array;
  readonly hasNs: Uint8Array;
  readonly lengths: Int32Array;
  readonly text: string;
  readonly binary: readonly Uint8Array[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Puts rows into columns (tests, generators; the recorder fills columns as frames arrive). */
export function columnsOf(rows: readonly RecordedRow[]): ColumnBatch {
  const ids = new Map<string, number>();
  const lanes: Lane[] = [];
  const n = rows.length;
  const b = { lane: new Int32Array(n), ts: new Float64Array(n), ns: new BigInt64Array(n), hasNs: new Uint8Array(n), lengths: new Int32Array(n) };
  const texts: string[] = [];
  const binary: Uint8Array[] = [];
  rows.forEach((r, i) => {
    const key = `${r.kind}\u0001${r.feed}\u0001${r.connection}\u0001${r.url ?? ""}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = lanes.length;
      ids.set(key, id);
      lanes.push({ kind: r.kind, feed: r.feed, connection: r.connection, url: r.url });
    }
    b.lane[i] = id;
    b.ts[i] = r.tsRecv;
    if (r.tsRecvNs !== undefined) {
      b.ns[i] = r.tsRecvNs;
      b.hasNs[i] = 1;
    }
    if (typeof r.data === "string") {
      texts.push(r.data);
      b.lengths[i] = r.data.length;
    } else {
      binary.push(r.data);
      b.lengths[i] = -(r.data.byteLength + 1);
    }
  });
  return { lanes, ...b, text: texts.join(""), binary };
}

/** Encodes a batch into one chunk body (uncompressed). Only the lanes the batch uses are stored. */
export function encodeChunk(batch: ColumnBatch | readonly RecordedRow[]): Uint8Array {
  const b = Array.isArray(batch) ? columnsOf(batch as readonly RecordedRow[]) : (batch as ColumnBatch);
  const n = b.ts.length;
  // renumber to the lanes used here, so a chunk stands alone
  const used = new Map<number, number>();
  const lane = new Int32Array(n);
  const lanes: [RowKind, string, string, string | null][] = [];
  for (let i = 0; i < n; i++) {
    const g = b.lane[i]!;
    let l = used.get(g);
    if (l === undefined) {
      l = lanes.length;
      used.set(g, l);
      const x = b.lanes[g]!;
      lanes.push([x.kind, x.feed, x.connection, x.url ?? null]);
    }
    lane[i] = l;
  }
  const text = encoder.encode(b.text);
  let binBytes = 0;
  for (const x of b.binary) binBytes += x.byteLength;
  const head = encoder.encode(JSON.stringify({ lanes, n, textBytes: text.byteLength, binBytes }));
  const out = new Uint8Array(4 + head.byteLength + n * (4 + 8 + 8 + 1 + 4) + text.byteLength + binBytes);
  new DataView(out.buffer).setUint32(0, head.byteLength);
  let at = 4;
  const put = (bytes: Uint8Array): void => {
    out.set(bytes, at);
    at += bytes.byteLength;
  };
  put(head);
  put(new Uint8Array(lane.buffer, lane.byteOffset, n * 4));
  put(new Uint8Array(b.ts.buffer, b.ts.byteOffset, n * 8));
  put(new Uint8Array(b.ns.buffer, b.ns.byteOffset, n * 8));
  put(b.hasNs.subarray(0, n));
  put(new Uint8Array(b.lengths.buffer, b.lengths.byteOffset, n * 4));
  put(text);
  for (const x of b.binary) put(x);
  return out;
}

/** Decodes a chunk body back into rows, bodies exactly as received. */
export function decodeChunk(body: Uint8Array): RecordedRow[] {
  const headLen = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0);
  let at = 4;
  const head = JSON.parse(decoder.decode(body.subarray(at, at + headLen))) as { lanes: [RowKind, string, string, string | null][]; n: number; textBytes: number };
  at += headLen;
  const n = head.n;
  const copy = (from: number, bytes: number): Uint8Array<ArrayBuffer> => {
    const out = new Uint8Array(bytes); // its own aligned buffer (the body may be a view into a larger one)
    out.set(body.subarray(from, from + bytes));
    return out;
  };
  const take = (bytes: number): ArrayBuffer => {
    const out = copy(at, bytes);
    at += bytes;
    return out.buffer;
  };
  const lane = new Int32Array(take(n * 4));
  const ts = new Float64Array(take(n * 8));
  const ns = new BigInt64Array(take(n * 8));
  const hasNs = new Uint8Array(take(n));
  const lengths = new Int32Array(take(n * 4));
  const text = decoder.decode(body.subarray(at, at + head.textBytes));
  at += head.textBytes;
  let t = 0;
  const rows: RecordedRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const [kind, feed, connection, url] = head.lanes[lane[i]!]!;
    const len = lengths[i]!;
    let data: string | Uint8Array;
    if (len >= 0) {
      data = text.slice(t, t + len);
      t += len;
    } else {
      data = copy(at, -len - 1);
      at += -len - 1;
    }
    rows[i] = { kind, feed, connection, url: url ?? undefined, tsRecv: ts[i]!, tsRecvNs: hasNs[i] === 1 ? ns[i]! : undefined, data };
  }
  return rows;
}
