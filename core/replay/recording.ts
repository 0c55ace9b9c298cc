/**
 * The recording file: one SQLite database (WAL) holding raw frames exactly as received, the REST answers
 * used for sync, and the socket opens/closes around them, each with its feed, connection and receive
 * time; plus what is needed to replay it (the config text and the feeds' plugins). The recorder sink
 * writes it; the player reads it.
 */
import { Database } from "bun:sqlite";

/** The format tag stored in `meta.format`; a player refuses other formats. */
export const recordingFormat = "edgewatch-recording/1";

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
CREATE TABLE IF NOT EXISTS frames (
  id INTEGER PRIMARY KEY,
  ts_recv REAL NOT NULL,
  ts_ns INTEGER,
  feed TEXT NOT NULL,
  conn TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT,
  enc INTEGER NOT NULL,
  data BLOB NOT NULL
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
  return [isText ? ZSTD_TEXT : ZSTD_BYTES, Bun.zstdCompressSync(bytes as Uint8Array<ArrayBuffer>)];
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
 * Returns a batch writer: `write(rows)` inserts them in one transaction.
 *
 * @example
 * const write = rowWriter(db, "zstd", 256);
 * write([{ kind: "ws", feed: "f", connection: "f#0", tsRecv: Date.now(), data: "{}" }]);
 */
export function rowWriter(db: Database, compression: Compression, minBytes: number): (rows: readonly RecordedRow[]) => void {
  const insert = db.prepare("INSERT INTO frames (ts_recv, ts_ns, feed, conn, kind, url, enc, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  return db.transaction((rows: readonly RecordedRow[]) => {
    for (const r of rows) {
      const [enc, body] = encodeData(r.data, compression, minBytes);
      insert.run(r.tsRecv, r.tsRecvNs ?? null, r.feed, r.connection, r.kind, r.url ?? null, enc, body);
    }
  }) as (rows: readonly RecordedRow[]) => void;
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

interface RawRow {
  ts_recv: number;
  ts_ns: bigint | null;
  feed: string;
  conn: string;
  kind: RowKind;
  url: string | null;
  enc: number;
  data: string | Uint8Array;
}

/** Opens a recording read-only; throws a plain-sentence error when it is not one. */
export function openRecording(path: string): Recording {
  const db = new Database(path, { readonly: true, strict: true, safeIntegers: false });
  const metaRows = db.query<{ key: string; value: string }, []>("SELECT key, value FROM meta").all();
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
  const stats = db.query<{ n: number; lo: number | null; hi: number | null }, []>("SELECT count(*) AS n, min(ts_recv) AS lo, max(ts_recv) AS hi FROM frames").get()!;
  const feedIds = db.query<{ feed: string }, []>("SELECT DISTINCT feed FROM frames ORDER BY feed").all().map((r) => r.feed);
  const hasLifecycle = db.query<{ n: number }, []>("SELECT count(*) AS n FROM frames WHERE kind = 'open'").get()!.n > 0;
  const restAnswers = new Map(
    db.query<{ url: string; n: number }, []>("SELECT url, count(*) AS n FROM frames WHERE kind = 'rest' GROUP BY url").all().map((r) => [r.url, r.n] as const),
  );
  const withNs = new Database(path, { readonly: true, strict: true, safeIntegers: true });
  return {
    path,
    meta,
    count: stats.n,
    feedIds,
    hasLifecycle,
    restAnswers,
    firstTs: stats.lo ?? meta.startedAt,
    lastTs: stats.hi ?? meta.startedAt,
    *rows() {
      const q = withNs.query<RawRow, []>("SELECT ts_recv, ts_ns, feed, conn, kind, url, enc, data FROM frames ORDER BY id");
      for (const r of q.iterate()) {
        yield {
          kind: r.kind,
          feed: r.feed,
          connection: r.conn,
          tsRecv: Number(r.ts_recv),
          tsRecvNs: r.ts_ns ?? undefined,
          url: r.url ?? undefined,
          data: decodeData(Number(r.enc), r.data),
        };
      }
    },
    close() {
      withNs.close();
      db.close();
    },
  };
}
