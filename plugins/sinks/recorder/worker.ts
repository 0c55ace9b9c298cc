/**
 * The recorder's writer thread: compression, SQLite inserts and rotation run here, so the feed's thread
 * only appends frames to a buffer and posts a batch now and then.
 */
import { BatchUnpacker, type PackedBatch } from "./pack.ts";
import { RecordingFile, type RecordingFileOptions } from "./file.ts";

/** Messages to the writer thread. */
export type ToWriter =
  | { readonly type: "open"; readonly options: Omit<RecordingFileOptions, "meta" | "now">; readonly meta: Record<string, unknown>; readonly now: number }
  | { readonly type: "rows"; readonly batch: PackedBatch; readonly now: number }
  | { readonly type: "meta"; readonly entries: Record<string, unknown> }
  | { readonly type: "sync"; readonly id: number }
  | { readonly type: "close" };

/** Messages from the writer thread. */
export type FromWriter =
  | { readonly type: "synced"; readonly id: number; readonly rows: number; readonly rotated: string[] }
  | { readonly type: "closed"; readonly rows: number; readonly rotated: string[] }
  | { readonly type: "error"; readonly message: string; readonly lost: number };

declare const self: Worker;

let file: RecordingFile | undefined;
let now = 0;
let meta: Record<string, unknown> = {};
let failed = false;
const unpacker = new BatchUnpacker();

function post(m: FromWriter): void {
  self.postMessage(m);
}

self.onmessage = (event: MessageEvent<ToWriter>) => {
  const m = event.data;
  try {
    switch (m.type) {
      case "open":
        now = m.now;
        meta = m.meta;
        file = new RecordingFile({ ...m.options, meta: () => meta, now: () => now });
        return;
      case "rows":
        now = m.now;
        if (failed || file === undefined) {
          post({ type: "error", message: "recording is not open", lost: m.batch.ts.length });
          return;
        }
        file.write(unpacker.columns(m.batch));
        return;
      case "meta":
        meta = { ...meta, ...m.entries };
        file?.updateMeta(m.entries);
        return;
      case "sync":
        post({ type: "synced", id: m.id, rows: file?.rows ?? 0, rotated: [...(file?.rotated ?? [])] });
        return;
      case "close":
        file?.close();
        post({ type: "closed", rows: file?.rows ?? 0, rotated: [...(file?.rotated ?? [])] });
        file = undefined;
        return;
    }
  } catch (error) {
    failed = true;
    post({ type: "error", message: error instanceof Error ? error.message : String(error), lost: m.type === "rows" ? m.batch.ts.length : 0 });
  }
};
