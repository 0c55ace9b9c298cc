/**
 * The recorder's file: one part open at a time, batched inserts, rotation by size or age. A part that
 * already exists at start (a previous run) is moved aside first, so every part holds one session.
 */
import type { Database } from "bun:sqlite";
import { ChunkBuilder } from "../../../core/replay/chunk.ts";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import {
  type Compression,
  type RecordedRow,
  openRecordingForWrite,
  recordingFormat,
  rowWriter,
  writeMeta,
} from "../../../core/replay/recording.ts";

/** Options of `RecordingFile`. */
export interface RecordingFileOptions {
  readonly path: string;
  readonly compression: Compression;
  readonly compressMinBytes: number;
  /** 0 = never. */
  readonly rotateBytes: number;
  /** 0 = never. */
  readonly rotateAfterMs: number;
  /** Meta written into every part (config text, bot name). */
  readonly meta: () => Readonly<Record<string, unknown>>;
  readonly now: () => number;
}

/** The part being written and the ones rotated away. */
export class RecordingFile {
  readonly #o: RecordingFileOptions;
  #db: Database | undefined;
  #write: ((batch: ChunkBuilder | readonly RecordedRow[]) => void) | undefined;
  #startedAt = 0;
  /** Paths of parts closed by rotation, oldest first. */
  readonly rotated: string[] = [];
  rows = 0;

  constructor(options: RecordingFileOptions) {
    this.#o = options;
    mkdirSync(dirname(options.path), { recursive: true });
    if (existsSync(options.path)) this.#moveAside(options.path, statSync(options.path).mtimeMs);
    this.#open();
  }

  /** Epoch ms at which the current part was opened. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** Writes a batch in one transaction, then rotates if the part is due. */
  write(batch: ChunkBuilder | readonly RecordedRow[]): void {
    const n = batch instanceof ChunkBuilder ? batch.size : (batch as readonly RecordedRow[]).length;
    if (n === 0) return;
    this.#write!(batch);
    this.rows += n;
    if (this.#due()) this.rotate();
  }

  /** Rewrites the meta of the current part (feeds may appear after the first frames). */
  updateMeta(entries: Readonly<Record<string, unknown>>): void {
    if (this.#db !== undefined) writeMeta(this.#db, entries);
  }

  /** Closes the current part under a dated name and opens a fresh one at `path`. */
  rotate(): void {
    const started = this.#startedAt;
    this.close();
    this.#moveAside(this.#o.path, started);
    this.#open();
  }

  /**
   * Checkpoints and closes the current part for real. `close(true)` finalizes the part's prepared
   * statements first: a plain `close()` with statements left open only marks the connection a "zombie",
   * whose deferred close (at GC, or when the writer thread is torn down) checkpoints and deletes
   * `-wal`/`-shm` by path later, racing whoever opens the file next (a reader then sees an empty schema)
   * and, after a rotation, deleting the new part's own WAL files.
   */
  close(): void {
    if (this.#db === undefined) return;
    try {
      this.#db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      this.#db.close(true);
      this.#db = undefined;
      this.#write = undefined;
    }
  }

  #open(): void {
    this.#startedAt = this.#o.now();
    this.#db = openRecordingForWrite(this.#o.path);
    this.#write = rowWriter(this.#db, this.#o.compression, this.#o.compressMinBytes);
    writeMeta(this.#db, { ...this.#o.meta(), format: recordingFormat, started_at: String(this.#startedAt) });
  }

  #due(): boolean {
    if (this.#o.rotateAfterMs > 0 && this.#o.now() - this.#startedAt >= this.#o.rotateAfterMs) return true;
    if (this.#o.rotateBytes > 0) {
      const size = statSync(this.#o.path).size + (existsSync(`${this.#o.path}-wal`) ? statSync(`${this.#o.path}-wal`).size : 0);
      if (size >= this.#o.rotateBytes) return true;
    }
    return false;
  }

  #moveAside(path: string, startedAt: number): void {
    const ext = extname(path);
    const stamp = new Date(startedAt).toISOString().replace(/[:.]/g, "-");
    let target = join(dirname(path), `${basename(path, ext)}.${stamp}${ext}`);
    for (let n = 1; existsSync(target); n++) target = join(dirname(path), `${basename(path, ext)}.${stamp}-${n}${ext}`);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
    renameSync(path, target);
    this.rotated.push(target);
  }
}
