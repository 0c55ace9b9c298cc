import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineSink } from "../../../core/plugin.ts";
import type { FrameRaw } from "../../../core/events.ts";
import { isObservedSockets, type SocketEvent } from "../../../core/replay/observe.ts";
import { recorderConfig } from "./config.ts";
import { BatchPacker } from "./pack.ts";
import type { FromWriter, ToWriter } from "./worker.ts";

/** What the recorder reports through its handle. */
export interface RecorderStats {
  /** Rows written (as of the last flush the writer thread confirmed). */
  readonly recorded: number;
  readonly dropped: number;
  readonly buffered: number;
  readonly batches: number;
  readonly parts: readonly string[];
}

/**
 * Records raw frames exactly as received (`frame.raw`: WebSocket frames and the REST answers used for
 * sync) with feed, connection and receive time, plus socket opens and closes, into SQLite. The frame
 * listener only appends to a buffer; a timer (`flush_ms`) or a full batch (`flush_frames`) posts it to a
 * writer thread that compresses and inserts it in one transaction and rotates parts.
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
    if (observed === undefined) {
      ctx.log.warn("the socket seam is not observable here: socket opens and closes are not recorded (replay cannot reproduce venue disconnects)");
    }
    const meta: Record<string, unknown> = { bot_name: ctx.settings.botName, feeds: "[]" };
    if (observed?.configFile !== undefined) {
      meta.config_file = resolve(observed.configFile);
      try {
        meta.config_source = readFileSync(observed.configFile, "utf8");
      } catch (error) {
        ctx.log.warn("could not read the config file into the recording; replay will need --config", { error });
      }
    }

    const worker = new Worker(new URL("./worker.ts", import.meta.url).href);
    const send = (m: ToWriter): void => worker.postMessage(m);
    let recorded = 0;
    let parts: string[] = [];
    let dropped = 0;
    let batches = 0;
    let failed = false;
    let syncId = 0;
    const syncs = new Map<number, () => void>();
    let closed: (() => void) | undefined;
    worker.onmessage = (event: MessageEvent<FromWriter>) => {
      const m = event.data;
      if (m.type === "error") {
        dropped += m.lost;
        if (!failed) {
          failed = true;
          ctx.log.error("recording failed; frames are no longer recorded", { error: m.message });
          ctx.health.set("faulted", [`recording failed: ${m.message}`]);
        }
        return;
      }
      recorded = m.rows;
      parts = m.rotated;
      if (m.type === "synced") {
        syncs.get(m.id)?.();
        syncs.delete(m.id);
      } else closed?.();
    };
    send({
      type: "open",
      now: ctx.clock.now(),
      meta,
      options: {
        path: resolve(ctx.configDir, c.path),
        compression: c.compress,
        compressMinBytes: c.compress_min_bytes,
        rotateBytes: c.rotate_mb * 1024 * 1024,
        rotateAfterMs: c.rotate_after_ms,
      },
    });

    const buffer = new BatchPacker();
    let flushQueued = false;
    let feedsJson = "[]";

    function full(): boolean {
      if (failed || buffer.size >= c.max_buffer_frames) {
        dropped++;
        return true;
      }
      return false;
    }
    function added(): void {
      if (buffer.size >= c.flush_frames && !flushQueued) {
        flushQueued = true;
        setImmediate(post);
      }
    }

    function onRaw(f: FrameRaw): void {
      if (wanted !== undefined && !wanted.has(f.feed)) return;
      if (f.source === "rest" && !c.rest) return;
      if (full()) return;
      buffer.add(f.source, f.feed, f.connection, f.url, f.tsRecv, f.tsRecvNs, f.data);
      added();
    }

    function onSocket(e: SocketEvent): void {
      const feed = e.connection.split("#", 1)[0]!;
      if (wanted !== undefined && !wanted.has(feed)) return;
      if (full()) return;
      buffer.add(e.kind, feed, e.connection, e.url, ctx.clock.now(), undefined, JSON.stringify({ code: e.code, reason: e.reason }));
      added();
    }

    /** Posts the buffer to the writer thread (and the feed list when it changed). */
    function post(): void {
      flushQueued = false;
      const next = JSON.stringify(ctx.view.feeds().map((f) => ({ id: f.id, plugin: f.plugin })));
      if (next !== feedsJson) {
        feedsJson = next;
        send({ type: "meta", entries: { feeds: feedsJson } });
      }
      if (buffer.size === 0) return;
      batches++;
      const batch = buffer.take();
      worker.postMessage({ type: "rows", batch, now: ctx.clock.now() } satisfies ToWriter, [batch.lane.buffer, batch.ts.buffer, batch.ns.buffer, batch.hasNs.buffer, batch.lengths.buffer]);
    }

    const offRaw = ctx.bus.on("frame.raw", onRaw);
    const offSocket = observed?.observe(onSocket);
    const timer = ctx.clock.setInterval(post, c.flush_ms);
    const stats = (): RecorderStats => ({ recorded, dropped, buffered: buffer.size, batches, parts: [...parts] });

    return {
      stats,
      /** Posts what is buffered and resolves once the writer thread has it on disk. */
      flush(): Promise<void> {
        post();
        const id = ++syncId;
        return new Promise<void>((r) => {
          syncs.set(id, r);
          send({ type: "sync", id });
        });
      },
      async stop() {
        offRaw();
        offSocket?.();
        ctx.clock.clearInterval(timer);
        post();
        const done = new Promise<void>((r) => (closed = r));
        send({ type: "close" });
        await Promise.race([done, Bun.sleep(10_000)]);
        worker.terminate();
        ctx.log.info("recording closed", { recorded, dropped, parts: parts.length + 1 });
      },
    };
  },
});
