import { describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openRecording } from "../../../core/replay/recording.ts";
import { tempDir } from "../../../test/replay/fixtures/session.ts";
import { RecordingFile } from "./file.ts";

function recordingFile(path: string): RecordingFile {
  return new RecordingFile({ path, compression: "zstd", compressMinBytes: 256, rotateBytes: 0, rotateAfterMs: 0, meta: () => ({ bot_name: "t" }), now: () => 1_700_000_000_000 });
}

describe("RecordingFile", () => {
  it("does close for real: no -wal or -shm is left for a deferred close to delete later", () => {
    const path = join(tempDir("edgewatch-recording-file-"), "r.sqlite");
    const file = recordingFile(path);
    file.write([{ kind: "ws", feed: "a", connection: "a#0", tsRecv: 1, data: "one" }]);
    file.updateMeta({ feeds: '[{"id":"a"}]' });
    file.close();
    // a connection left open by unfinalized statements keeps both files and removes them whenever it is
    // collected, racing the next reader of the file (which then saw an empty schema)
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`)]).toEqual([false, false]);
    const rec = openRecording(path);
    expect(rec.count).toBe(1);
    rec.close();
  });

  it("does close the rotated part for real, so its late close cannot touch the new part's WAL", () => {
    const path = join(tempDir("edgewatch-recording-file-"), "r.sqlite");
    const file = recordingFile(path);
    file.write([{ kind: "ws", feed: "a", connection: "a#0", tsRecv: 1, data: "one" }]);
    file.rotate();
    const old = file.rotated[0]!;
    expect([existsSync(`${old}-wal`), existsSync(`${old}-shm`)]).toEqual([false, false]);
    file.write([{ kind: "ws", feed: "a", connection: "a#0", tsRecv: 2, data: "two" }]);
    file.close();
    for (const part of [old, path]) {
      const rec = openRecording(part);
      expect(rec.count).toBe(1);
      rec.close();
    }
  });
});
