import { hostname } from "node:os";
import type { FeedState } from "../../../core/events.ts";
import { defineFeed } from "../../../core/plugin.ts";
import { RedisLink } from "../../sinks/redis/link.ts";
import { entryFields, redisKeys, type WireCachedBook, type WireFrame, type WireStatus } from "../../sinks/redis/wire.ts";
import { FrameApplier } from "./apply.ts";
import { redisFeedConfig } from "./config.ts";

type ReadReply = Record<string, [string, string[]][]> | null;

/**
 * The Redis bridge, strategy side: replays a collector's feed from its stream into this process's store
 * (snapshots, deltas, frame ends, statuses), as a consumer group member, so strategies run unchanged on
 * another machine. A `seq` gap resyncs the book from the latest-book cache. See docs/scale-out.md.
 *
 * @example
 * // strategy-process config: same feed ids as the collector, read from Redis
 * //   [feeds.okx]
 * //   plugin = "redis"
 * //   url = "${REDIS_URL}"
 */
export const redisFeed = defineFeed({
  name: "redis",
  description: "A collector's feed read from the Redis bridge (consumer group), for strategy processes",
  config: redisFeedConfig,
  setup(ctx) {
    const c = ctx.config;
    const source = c.source ?? ctx.id;
    const stream = redisKeys.stream(c.prefix, source);
    const group = c.group ?? ctx.settings.botName;
    const consumer = c.consumer ?? `${hostname()}-${process.pid}`;
    const log = ctx.log;
    let remote: { state: FeedState; reasons: readonly string[] } = { state: "connecting", reasons: ["waiting for the collector's status"] };
    let redisUp = false;
    let redisReason = "connecting to redis";
    let messages = 0;
    let bytes = 0;
    let errors = 0;
    let lastAt: number | null = null;
    let published = "";

    // One writer call: calling ctx.writer() again without options would drop the onResync hook.
    const writer = ctx.writer({ onResync: (instrument) => applier.storeResynced(instrument) });
    const applier: FrameApplier = new FrameApplier({ feed: ctx.id, writer, requestResync: (i) => void resync(i) });

    function publishStatus(): void {
      const state: FeedState = redisUp ? remote.state : "reconnecting";
      const reasons = redisUp ? remote.reasons : [`redis: ${redisReason}`];
      const key = `${state}|${reasons.join("|")}`;
      if (key === published) return;
      published = key;
      ctx.bus.emit("feed.status", { feed: ctx.id, state, reasons, ts: ctx.clock.now() });
    }
    const onChange = (up: boolean, reason: string): void => {
      redisUp = reader.up && commands.up;
      redisReason = reason;
      if (!up) {
        writer.markStale();
        writer.endFrame(ctx.clock.now());
      }
      publishStatus();
    };
    const link = (name: string) => new RedisLink({ url: c.url, clock: ctx.clock, log, name, minMs: c.reconnect_min_ms, maxMs: c.reconnect_max_ms, onChange });
    const reader = link("reader");
    const commands = link("commands");

    const polling = new Set<string>();
    async function resync(instrument: string): Promise<void> {
      if (polling.has(instrument)) return;
      polling.add(instrument);
      try {
        while (!ctx.signal.aborted && applier.resyncing.has(instrument)) {
          const client = commands.client;
          if (client !== undefined) {
            try {
              const text = (await client.get(redisKeys.book(c.prefix, source, instrument))) as string | null;
              if (text !== null && applier.applyCached(JSON.parse(text) as WireCachedBook, ctx.clock.now())) break;
            } catch (error) {
              errors++;
              log.once("redis:cache", "warn", "reading the book cache failed (logged once)", { error });
            }
          }
          await new Promise<void>((r) => ctx.clock.setTimeout(r, c.resync_poll_ms));
        }
      } finally {
        polling.delete(instrument);
      }
    }

    function handle(id: string, fields: readonly string[]): void {
      const f = entryFields(fields);
      messages++;
      bytes += f.d?.length ?? 0;
      lastAt = ctx.clock.now();
      try {
        if (f.t === "frame") applier.apply(JSON.parse(f.d!) as WireFrame);
        else if (f.t === "status") {
          const s = JSON.parse(f.d!) as WireStatus;
          remote = { state: s.state, reasons: s.reasons };
          publishStatus();
        }
      } catch (error) {
        errors++;
        log.once(`redis:entry:${f.t}`, "error", "could not apply a stream entry (logged once per type)", { id, error });
      }
    }

    async function ensureGroup(): Promise<void> {
      try {
        await commands.client!.send("XGROUP", ["CREATE", stream, group, c.start === "latest" ? "$" : "0", "MKSTREAM"]);
      } catch (error) {
        if (!String((error as Error).message).includes("BUSYGROUP")) throw error;
      }
      const status = (await commands.client!.get(redisKeys.status(c.prefix, source))) as string | null;
      if (status !== null && remote.state === "connecting") {
        const s = JSON.parse(status) as WireStatus;
        remote = { state: s.state, reasons: s.reasons };
        publishStatus();
      }
    }

    async function loop(): Promise<void> {
      let ready = false;
      while (!ctx.signal.aborted) {
        await Promise.all([reader.ready(), commands.ready()]);
        if (ctx.signal.aborted) return;
        const client = reader.client;
        if (client === undefined) continue;
        try {
          if (!ready) {
            await ensureGroup();
            ready = true;
          }
          // after a (re)connect, entries delivered earlier but never acknowledged come first
          let pendingFirst = true;
          while (!ctx.signal.aborted && reader.client === client) {
            const reply = (await client.send("XREADGROUP", [
              "GROUP", group, consumer, "COUNT", String(c.batch), "BLOCK", String(c.block_ms), "STREAMS", stream, pendingFirst ? "0" : ">",
            ])) as ReadReply;
            const entries = reply?.[stream] ?? [];
            if (pendingFirst && entries.length === 0) {
              pendingFirst = false;
              continue;
            }
            if (entries.length === 0) continue;
            for (const [id, fields] of entries) handle(id, fields);
            const ids = entries.map(([id]) => id);
            commands.client?.send("XACK", [stream, group, ...ids]).catch((error: unknown) => log.once("redis:ack", "warn", "XACK failed (logged once; entries stay pending and are read again)", { error }));
          }
        } catch (error) {
          if (ctx.signal.aborted) return;
          errors++;
          ready = false;
          const reason = error instanceof Error ? error.message : String(error);
          // NOGROUP: Redis lost the group (restarted without its AOF); create it again on the next pass
          if (!reason.includes("NOGROUP") && reader.client === client) reader.lost(reason);
          else if (reason.includes("NOGROUP")) log.warn("the consumer group is gone; creating it again", { stream, group });
        }
      }
    }

    publishStatus();
    reader.start();
    commands.start();
    const running = loop();
    return {
      stats: () => ({ connections: 2, messages, bytes, errors, reconnects: reader.reconnects, resyncs: applier.gaps, lastMessageAgeMs: lastAt === null ? null : ctx.clock.now() - lastAt }),
      async stop() {
        reader.close();
        commands.close();
        await Promise.race([running, Bun.sleep(1_000)]);
        ctx.bus.emit("feed.status", { feed: ctx.id, state: "stopped", reasons: ["stopped by the bot"], ts: ctx.clock.now() });
      },
    };
  },
});
