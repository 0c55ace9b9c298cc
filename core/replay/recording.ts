/**
 * The recording file: one SQLite database (WAL) holding raw frames exactly as received, the REST answers
 * used for sync, and the socket opens/closes around them, each with its feed, connection and receive
 * time; plus what is needed to replay it (the config text and the feeds' plugins). Rows are stored in
 * chunks (one SQLite row per written batch, optionally compressed; core/replay/chunk.ts). The recorder
 * sink writes it; the player reads it.
 */
import { Database } from "bun:sqlite";
import { ChunkBuilder, decodeChunk } from "./chunk.ts";

/** The format tag stored in `meta.format`; a player refuses other formats. */
export const recordingFormat = "edgewatch-recording/3";

/**
 * What a row is: a WebSocket frame, a REST answer, or a socket lifecycle marker (`open`, `close` by the
 * venue, `error` on connect, `terminate` by the client).
 */
export type RowKind = "ws" | "rest" | "open" | "close" | "error" | "terminate";

/** How `data` is stored: text or bytes, raw or compressed. */
export type Encoding = 0 | 1 | 2 | 3 | 4 | 5;
const TEXT = 0;
const BYTES = 1;
const GZIP_TEXT = 2;
const GZIP_BYTES = 3;
const ZSTD_TEXT = 4;
const ZSTD_BYTES = 5;

/** Compression of stored frames. */
export type Compression = "none" | "gzip" | "zstd";

/** One row as written and read. */
export interface RecordedRow {
  readonly kind: RowKind;
  readonly feed: string;
  readonly connection: string;
  /** Receive time, ms since the epoch (the clock the feed used). */
  readonly tsRecv: number;
  /** Receive time in ns, where the source had it. */
  readonly tsRecvNs?: bigint | undefined;
  /** REST: `"GET <url>"`; open: the socket URL; close/error: the code or status. */
  readonly url?: string | undefined;
  readonly data: string | Uint8Array;
}

/** A feed instance as the recording knows it: id, plugin name, and its validated config table. */
export interface RecordedFeed {
  readonly id: string;
  readonly plugin: string;
  readonly config?: unknown;
}

/** What `meta` holds. */
export interface RecordingMeta {
  readonly format: string;
  /** Epoch ms when this file was opened for writing. */
  readonly startedAt: number;
  /** The config file's path and TOML text, when the recording process knew it. */
  readonly configFile?: string;
  readonly configSource?: string;
  readonly feeds: readonly RecordedFeed[];
  readonly botName?: string;
}

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  first_ts REAL NOT NULL,
  last_ts REAL NOT NULL,
  rows INTEGER NOT NULL,
  enc INTEGER NOT NULL,
  body BLOB NOT NULL
);
`;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a frame body for storage; bodies shorter than `minBytes` stay uncompressed. */
export function encodeData(data: string | Uint8Array, compression: Compression, minBytes: number): [Encoding, string | Uint8Array] {
  const isText = typeof data === "string";
  const size = isText ? data.length : data.byteLength;
  if (compression === "none" || size < minBytes) return isText ? [TEXT, data] : [BYTES, data];
  const bytes = isText ? encoder.encode(data) : data;
  if (compression === "gzip") return [isText ? GZIP_TEXT : GZIP_BYTES, Bun.gzipSync(bytes as Uint8Array<ArrayBuffer>)];
  // level 1: most of the ratio at a fraction of the time (recording runs beside the feed)
  return [isText ? ZSTD_TEXT : ZSTD_BYTES, Bun.zstdCompressSync(bytes as Uint8Array<ArrayBuffer>, { level: 1 })];
}

/** Decodes a stored body back to exactly what was received. */
export function decodeData(enc: number, data: string | Uint8Array): string | Uint8Array {
  const bytes = (): Uint8Array<ArrayBuffer> => (typeof data === "string" ? encoder.encode(data) : (data as Uint8Array<ArrayBuffer>));
  switch (enc) {
    case TEXT:
      return typeof data === "string" ? data : decoder.decode(data);
    case BYTES:
      return bytes();
    case GZIP_TEXT:
      return decoder.decode(Bun.gunzipSync(bytes()));
    case GZIP_BYTES:
      return Bun.gunzipSync(bytes());
    case ZSTD_TEXT:
      return decoder.decode(Bun.zstdDecompressSync(bytes()));
    case ZSTD_BYTES:
      return Bun.zstdDecompressSync(bytes());
    default:
      throw new Error(`unknown frame encoding ${enc} (recorded by a newer version?)`);
  }
}

/**
 * Opens (creating if needed) a recording for writing: WAL, `synchronous = NORMAL` (a crash may lose
 * the last batch, never corrupt the file).
 */
export function openRecordingForWrite(path: string): Database {
  const db = new Database(path, { create: true, strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = NORMAL");
  db.run(schema);
  return db;
}

/** Writes meta keys (JSON values for objects). */
export function writeMeta(db: Database, entries: Readonly<Record<string, unknown>>): void {
  const put = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  db.transaction(() => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) continue;
      put.run(key, typeof value === "string" ? value : JSON.stringify(value));
    }
  })();
}

/**
 * Returns a batch writer: `write(batch)` stores rows (or a filled `ChunkBuilder`, which it empties) as
 * one chunk and keeps the recording's index in `meta` (row count, feeds, REST request lines, whether
 * socket lifecycle was recorded).
 *
 * @example
 * const write = rowWriter(db, "zstd", 256);
 * write([{ kind: "ws", feed: "f", connection: "f#0", tsRecv: Date.now(), data: "{}" }]);
 */
export function rowWriter(db: Database, compression: Compression, minBytes: number): (batch: ChunkBuilder | readonly RecordedRow[]) => void {
  const insert = db.prepare("INSERT INTO chunks (first_ts, last_ts, rows, enc, body) VALUES (?, ?, ?, ?, ?)");
  const feeds = new Set<string>();
  const rest = new Map<string, number>();
  let lifecycle = false;
  let count = 0;
  return (input) => {
    let b: ChunkBuilder;
    if (input instanceof ChunkBuilder) b = input;
    else {
      b = new ChunkBuilder();
      for (const r of input as readonly RecordedRow[]) b.addRow(r);
    }
    const n = b.size;
    if (n === 0) return;
    const { first, last } = b.span();
    const before = feeds.size;
    let restChanged = false;
    let lifecycleChanged = false;
    for (const [id, k] of b.laneCounts()) {
      const lane = b.lanes[id]!;
      feeds.add(lane.feed);
      if (lane.kind === "rest") {
        rest.set(lane.url ?? "", (rest.get(lane.url ?? "") ?? 0) + k);
        restChanged = true;
      } else if (lane.kind === "open" && !lifecycle) lifecycle = lifecycleChanged = true;
    }
    const [enc, body] = encodeData(b.build(), compression, minBytes);
    count += n;
    db.transaction(() => {
      insert.run(first, last, n, enc, body);
      const index: Record<string, unknown> = { rows: String(count) };
      if (feeds.size !== before) index.feed_ids = [...feeds].sort();
      if (restChanged) index.rest_answers = Object.fromEntries(rest);
      if (lifecycleChanged) index.lifecycle = "1";
      writeMeta(db, index);
    })();
  };
}

/** A recording opened for reading. */
export interface Recording {
  readonly path: string;
  readonly meta: RecordingMeta;
  /** Rows in the file (all kinds). */
  readonly count: number;
  /** Receive time of the first and last row, ms. */
  readonly firstTs: number;
  readonly lastTs: number;
  /** Feed ids that have rows. */
  readonly feedIds: readonly string[];
  /** True when socket opens and closes were recorded (not only frames). */
  readonly hasLifecycle: boolean;
  /** How many REST answers the recording holds per request line (`"GET <url>"`). */
  readonly restAnswers: ReadonlyMap<string, number>;
  /** Rows in receive order (insertion order), decoded. */
  rows(): IterableIterator<RecordedRow>;
  close(): void;
}

/** Opens a recording read-only; throws a plain-sentence error when it is not one. */
export function openRecording(path: string): Recording {
  const db = new Database(path, { readonly: true, strict: true });
  let metaRows: { key: string; value: string }[];
  try {
    metaRows = db.query<{ key: string; value: string }, []>("SELECT key, value FROM meta").all();
  } catch {
    db.close();
    throw new Error(`${path} is not an edgewatch recording (no meta table)`);
  }
  const m = new Map(metaRows.map((r) => [r.key, r.value]));
  const format = m.get("format");
  if (format !== recordingFormat) {
    db.close();
    throw new Error(`${path} is not an edgewatch recording (format ${format ?? "missing"}, expected ${recordingFormat})`);
  }
  const parse = <T>(key: string, fallback: T): T => {
    const raw = m.get(key);
    return raw === undefined ? fallback : (JSON.parse(raw) as T);
  };
  const meta: RecordingMeta = {
    format,
    startedAt: Number(m.get("started_at") ?? 0),
    configFile: m.get("config_file"),
    configSource: m.get("config_source"),
    feeds: parse<RecordedFeed[]>("feeds", []),
    botName: m.get("bot_name"),
  };
  const stats = db.query<{ n: number | null; lo: number | null; hi: number | null }, []>("SELECT sum(rows) AS n, min(first_ts) AS lo, max(last_ts) AS hi FROM chunks").get()!;
  return {
    path,
    meta,
    count: stats.n ?? 0,
    firstTs: stats.lo ?? meta.startedAt,
    lastTs: stats.hi ?? meta.startedAt,
    feedIds: parse<string[]>("feed_ids", []),
    hasLifecycle: m.get("lifecycle") === "1",
    restAnswers: new Map(Object.entries(parse<Record<string, number>>("rest_answers", {}))),
    *rows() {
      const q = db.query<{ enc: number; body: Uint8Array }, []>("SELECT enc, body FROM chunks ORDER BY id");
      for (const c of q.iterate()) {
        yield* decodeChunk(decodeData(c.enc, c.body) as Uint8Array);
      }
    },
    close() {
      db.close();
    },
  };
}
