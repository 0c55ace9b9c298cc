import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineSink } from "../../../core/plugin.ts";
import type { FrameRaw } from "../../../core/events.ts";
import type { RecordedRow } from "../../../core/replay/recording.ts";
import { isObservedSockets, type SocketEvent } from "../../../core/replay/observe.ts";
import { recorderConfig } from "./config.ts";
import { RecordingFile } from "./file.ts";

/** What the recorder reports on stop and through its handle. */
export interface RecorderStats {
  readonly recorded: number;
  readonly dropped: number;
  readonly buffered: number;
  readonly flushes: number;
  readonly parts: readonly string[];
}

/**
 * Records raw frames exactly as received (`frame.raw`: WebSocket frames and the REST answers used for
 * sync) with feed, connection and receive time, plus socket opens and closes, into SQLite. The frame
 * listener only appends to a buffer; a timer (`flush_ms`) or a full batch (`flush_frames`) writes it in
 * one transaction outside the feed's call stack.
 */
export const recorderSink = defineSink({
  name: "recorder",
  table: "recorder",
  description: "Records raw frames and REST answers into SQLite for replay",
  config: recorderConfig,
  setup(ctx) {
    const c = ctx.config;
    const wanted = c.feeds === undefined ? undefined : new Set(c.feeds);
    const observed = isObservedSockets(ctx.sockets) ? ctx.sockets : undefined;
    let feedsJson = "[]";
    const meta = (): Record<string, unknown> => {
      const out: Record<string, unknown> = { bot_name: ctx.settings.botName, feeds: feedsJson };
      if (observed?.configFile !== undefined) {
        out.config_file = resolve(observed.configFile);
        try {
          out.config_source = readFileSync(observed.configFile, "utf8");
        } catch (error) {
          ctx.log.warn("could not read the config file into the recording; replay will need --config", { error });
        }
      }
      return out;
    };
    const file = new RecordingFile({
      path: resolve(ctx.configDir, c.path),
      compression: c.compress,
      compressMinBytes: c.compress_min_bytes,
      rotateBytes: c.rotate_mb * 1024 * 1024,
      rotateAfterMs: c.rotate_after_ms,
      meta,
      now: () => ctx.clock.now(),
    });
    if (observed === undefined) {
      ctx.log.warn("the socket seam is not observable here: socket opens and closes are not recorded (replay cannot reproduce venue disconnects)");
    }

    let buffer: RecordedRow[] = [];
    let dropped = 0;
    let flushes = 0;
    let flushQueued = false;
    let failed = false;

    function push(row: RecordedRow): void {
      if (buffer.length >= c.max_buffer_frames) {
        dropped++;
        return;
      }
      buffer.push(row);
      if (buffer.length >= c.flush_frames && !flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
    }

    function onRaw(f: FrameRaw): void {
      if (wanted !== undefined && !wanted.has(f.feed)) return;
      if (f.source === "rest" && !c.rest) return;
      push({ kind: f.source, feed: f.feed, connection: f.connection, tsRecv: f.tsRecv, tsRecvNs: f.tsRecvNs, url: f.url, data: f.data });
    }

    function onSocket(e: SocketEvent): void {
      const feed = e.connection.split("#", 1)[0]!;
      if (wanted !== undefined && !wanted.has(feed)) return;
      push({
        kind: e.kind,
        feed,
        connection: e.connection,
        tsRecv: ctx.clock.now(),
        url: e.url,
        data: JSON.stringify({ code: e.code, reason: e.reason }),
      });
    }

    function refreshFeeds(): void {
      const next = JSON.stringify(ctx.view.feeds().map((f) => ({ id: f.id, plugin: f.plugin })));
      if (next === feedsJson) return;
      feedsJson = next;
      file.updateMeta({ feeds: feedsJson });
    }

    function flush(): void {
      flushQueued = false;
      if (failed) return;
      refreshFeeds();
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      try {
        file.write(batch);
        flushes++;
      } catch (error) {
        failed = true;
        dropped += batch.length;
        ctx.log.error("recording failed; frames are no longer recorded", { error });
        ctx.health.set("faulted", [`recording failed: ${String(error)}`]);
      }
    }

    const offRaw = ctx.bus.on("frame.raw", onRaw);
    const offSocket = observed?.observe(onSocket);
    const timer = ctx.clock.setInterval(flush, c.flush_ms);
    const stats = (): RecorderStats => ({ recorded: file.rows, dropped, buffered: buffer.length, flushes, parts: [...file.rotated] });

    return {
      flush,
      stats,
      stop() {
        offRaw();
        offSocket?.();
        ctx.clock.clearInterval(timer);
        flush();
        file.close();
        const s = stats();
        ctx.log.info("recording closed", { recorded: s.recorded, dropped: s.dropped, parts: s.parts.length + 1 });
      },
    };
  },
});
