import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineSink } from "../../../core/plugin.ts";
import type { FrameRaw } from "../../../core/events.ts";
import { isObservedSockets, type SocketEvent } from "../../../core/replay/observe.ts";
import type { RowKind } from "../../../core/replay/recording.ts";
import { recorderConfig } from "./config.ts";
import { createRingMemory, RingWriter } from "./ring.ts";
import type { FromWriter, ToWriter } from "./worker.ts";

/** What the recorder reports through its handle. */
export interface RecorderStats {
  /** Rows written (as of the last flush the writer thread confirmed). */
  readonly recorded: number;
  /** Rows appended since the writer thread was last asked to drain. */
  readonly buffered: number;
  /** Rows not recorded: the buffer was full, or the file failed. */
  readonly dropped: number;
  readonly parts: readonly string[];
}

/**
 * Records raw frames exactly as received (`frame.raw`: WebSocket frames and the REST answers used for
 * sync) with feed, connection and receive time, plus socket opens and closes, into SQLite. The frame
 * listener copies each frame into a shared-memory ring (ring.ts); a timer (`flush_ms`) or a full batch
 * (`flush_frames`) asks a writer thread to drain it, compress the batch and insert it as one chunk.
 *
 * @example
 * // config: [recorder]
 * //         path = "data/recording.sqlite"
 * //         rotate_after_ms = 3600000
 * // then: bun run bot replay data/recording.sqlite --report out.json
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
    let lost = 0;
    let failed = false;
    let failure = "";
    let syncId = 0;
    const syncs = new Map<number, () => void>();
    let closed: (() => void) | undefined;
    /** A failed file (open, write or close) or writer thread is said loudly, once: error log, health faulted. */
    function fail(message: string): void {
      if (failed) return;
      failed = true;
      failure = message;
      ctx.log.error("recording failed; frames are no longer recorded", { error: message });
      ctx.health.set("faulted", [`recording failed: ${message}`]);
    }
    const exited = new Promise<void>((r) => worker.addEventListener("close", () => r(), { once: true }));
    worker.addEventListener("error", (event) => {
      // the thread itself failed (its own handler catches everything else): nothing will answer now
      fail(`the writer thread failed: ${event.message}`);
      for (const r of syncs.values()) r();
      syncs.clear();
      closed?.();
    });
    worker.onmessage = (event: MessageEvent<FromWriter>) => {
      const m = event.data;
      if (m.type === "error") {
        fail(m.message);
        return;
      }
      recorded = m.rows;
      parts = m.rotated;
      if (m.type === "synced") {
        syncs.get(m.id)?.();
        syncs.delete(m.id);
      } else closed?.();
    };
    const ring = createRingMemory(c.buffer_mb * 1024 * 1024);
    const writer = new RingWriter(ring);
    send({
      type: "open",
      now: ctx.clock.now(),
      meta,
      ring,
      batch: c.flush_frames,
      options: {
        path: resolve(ctx.configDir, c.path),
        compression: c.compress,
        compressMinBytes: c.compress_min_bytes,
        rotateBytes: c.rotate_mb * 1024 * 1024,
        rotateAfterMs: c.rotate_after_ms,
      },
    });

    let pending = 0;
    let nudged = false;
    let feedsJson = "[]";

    function append(kind: RowKind, feed: string, connection: string, url: string | undefined, tsRecv: number, tsRecvNs: bigint | number | undefined, data: string | Uint8Array): void {
      if (failed) {
        lost++;
        return;
      }
      if (!writer.append(kind, feed, connection, url, tsRecv, tsRecvNs, data)) return;
      if (++pending >= c.flush_frames && !nudged) {
        nudged = true;
        setImmediate(drain);
      }
    }

    // Frames are copied into the ring right after the current event-loop turn, not inside the frame's
    // own call: the feed parses, updates books and runs strategies first (recording never delays a signal).
    let queued: FrameRaw[] = [];
    function copyQueued(): void {
      const frames = queued;
      queued = [];
      for (const f of frames) append(f.source, f.feed, f.connection, f.url, f.tsRecv, f.tsRecvPerf ?? f.tsRecvNs, f.data);
    }

    function onRaw(f: FrameRaw): void {
      if (wanted !== undefined && !wanted.has(f.feed)) return;
      if (f.source === "rest" && !c.rest) return;
      if (queued.push(f) === 1) setImmediate(copyQueued);
    }

    function onSocket(e: SocketEvent): void {
      const feed = e.connection.split("#", 1)[0]!;
      if (wanted !== undefined && !wanted.has(feed)) return;
      copyQueued(); // keep frames and socket events in order
      append(e.kind, feed, e.connection, e.url, ctx.clock.now(), undefined, JSON.stringify({ code: e.code, reason: e.reason }));
    }

    /** Asks the writer thread to drain the ring (and sends the feed list when it changed). */
    function drain(): void {
      nudged = false;
      copyQueued();
      const next = JSON.stringify(ctx.view.feeds().map((f) => ({ id: f.id, plugin: f.plugin })));
      if (next !== feedsJson) {
        feedsJson = next;
        send({ type: "meta", entries: { feeds: feedsJson } });
      }
      if (pending === 0) return;
      pending = 0;
      send({ type: "drain", now: ctx.clock.now() });
    }

    const offRaw = ctx.bus.on("frame.raw", onRaw);
    const offSocket = observed?.observe(onSocket);
    const timer = ctx.clock.setInterval(drain, c.flush_ms);
    const stats = (): RecorderStats => ({ recorded, buffered: pending, dropped: writer.dropped + lost, parts: [...parts] });

    return {
      stats,
      /** Resolves once the writer thread has everything appended so far on disk. */
      flush(): Promise<void> {
        drain();
        const id = ++syncId;
        return new Promise<void>((r) => {
          syncs.set(id, r);
          send({ type: "sync", id, now: ctx.clock.now() });
        });
      },
      /** Resolves once the file is closed and the writer thread gone; rejects when the recording failed. */
      async stop() {
        offRaw();
        offSocket?.();
        ctx.clock.clearInterval(timer);
        drain();
        let wait: ReturnType<typeof setTimeout> | undefined;
        const done = new Promise<boolean>((r) => {
          closed = () => r(true);
          wait = setTimeout(() => r(false), 10_000);
        });
        send({ type: "close", now: ctx.clock.now() });
        const answered = await done;
        clearTimeout(wait);
        worker.terminate();
        let grace: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([exited, new Promise<void>((r) => (grace = setTimeout(r, 2_000)))]); // no writer thread outlives stop()
        clearTimeout(grace);
        if (!answered) fail("the writer thread did not confirm the close within 10 s; the last rows may be missing");
        const dropped = writer.dropped + lost;
        if (failed) throw new Error(`recording failed: ${failure} (${recorded} rows recorded, ${dropped} dropped)`);
        ctx.log.info("recording closed", { recorded, dropped, parts: parts.length + 1 });
      },
    };
  },
});
