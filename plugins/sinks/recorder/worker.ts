/**
 * The recorder's writer thread: drains the shared ring the feed's thread appends to, compresses each
 * batch and inserts it as one chunk, and rotates parts.
 */
import { ChunkBuilder } from "../../../core/replay/chunk.ts";
import { RecordingFile, type RecordingFileOptions } from "./file.ts";
import { RingReader, type RingMemory } from "./ring.ts";

/** Messages to the writer thread. */
export type ToWriter =
  | { readonly type: "open"; readonly options: Omit<RecordingFileOptions, "meta" | "now">; readonly meta: Record<string, unknown>; readonly now: number; readonly ring: RingMemory; readonly batch: number }
  | { readonly type: "drain"; readonly now: number }
  | { readonly type: "meta"; readonly entries: Record<string, unknown> }
  | { readonly type: "sync"; readonly id: number; readonly now: number }
  | { readonly type: "close"; readonly now: number };

/** Messages from the writer thread. */
export type FromWriter =
  | { readonly type: "synced"; readonly id: number; readonly rows: number; readonly rotated: string[] }
  | { readonly type: "closed"; readonly rows: number; readonly rotated: string[] }
  | { readonly type: "error"; readonly message: string };

declare const self: Worker;

let file: RecordingFile | undefined;
let reader: RingReader | undefined;
let chunk: ChunkBuilder | undefined;
let batch = 2000;
let now = 0;
let meta: Record<string, unknown> = {};
let failed = false;

function post(m: FromWriter): void {
  self.postMessage(m);
}

/** Writes everything appended so far, in chunks of at most 4 × `flush_frames` rows. */
function drain(): void {
  if (reader === undefined || file === undefined || chunk === undefined) return;
  while (reader.drainInto(chunk, batch * 4) > 0) {
    if (failed) chunk.build(); // empties it
    else file.write(chunk);
  }
}

self.onmessage = (event: MessageEvent<ToWriter>) => {
  const m = event.data;
  try {
    if ("now" in m) now = m.now;
    switch (m.type) {
      case "open":
        meta = m.meta;
        batch = m.batch;
        reader = new RingReader(m.ring);
        chunk = new ChunkBuilder(reader.lanes);
        try {
          file = new RecordingFile({ ...m.options, meta: () => meta, now: () => now });
        } catch (error) {
          throw new Error(`could not open ${m.options.path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        return;
      case "drain":
        drain();
        return;
      case "meta":
        meta = { ...meta, ...m.entries };
        file?.updateMeta(m.entries);
        return;
      case "sync":
        drain();
        post({ type: "synced", id: m.id, rows: file?.rows ?? 0, rotated: [...(file?.rotated ?? [])] });
        return;
      case "close":
        drain();
        file?.close();
        post({ type: "closed", rows: file?.rows ?? 0, rotated: [...(file?.rotated ?? [])] });
        file = undefined;
        return;
    }
  } catch (error) {
    failed = true;
    post({ type: "error", message: error instanceof Error ? error.message : String(error) });
    if (m.type === "sync") post({ type: "synced", id: m.id, rows: file?.rows ?? 0, rotated: [...(file?.rotated ?? [])] });
    if (m.type === "close") post({ type: "closed", rows: file?.rows ?? 0, rotated: [...(file?.rotated ?? [])] });
  }
};
