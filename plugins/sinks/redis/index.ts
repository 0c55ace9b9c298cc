import { defineSink } from "../../../core/plugin.ts";
import type { Quote } from "../../../core/events.ts";
import { channelTemplates, redisSinkConfig } from "./config.ts";
import { FeedFrames } from "./frames.ts";
import { RedisLink } from "./link.ts";
import { RedisOutbox } from "./outbox.ts";
import { trimStreams } from "./trim.ts";
import { channelName, redisKeys, type WireStatus } from "./wire.ts";

/**
 * The Redis bridge, collector side: per feed a stream of frames (every book change of a venue frame with
 * the bridge's per-book `seq`, ending the frame) and statuses; opportunities and alerts to an events
 * stream; a latest-book cache with a TTL for consumers that must resync; PUBLISH for live dashboards.
 * Streams are trimmed only below what every consumer group has read. See docs/scale-out.md.
 *
 * @example
 * // collector config: [feeds.okx] …
 * //                   [redis]
 * //                   url = "${REDIS_URL}"
 */
export const redisSink = defineSink({
  name: "redis",
  table: "redis",
  description: "Publishes books, frames, statuses, trades, opportunities and alerts to Redis streams and channels",
  config: redisSinkConfig,
  setup(ctx) {
    const c = ctx.config;
    const prefix = c.prefix;
    const templates = channelTemplates(c);
    const wanted = c.feeds === undefined ? undefined : new Set(c.feeds);
    const run = `${ctx.settings.botName}-${ctx.clock.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
    const log = ctx.log;
    const link = new RedisLink({
      url: c.url,
      clock: ctx.clock,
      log,
      name: "writer",
      minMs: c.reconnect_min_ms,
      maxMs: c.reconnect_max_ms,
      onChange: (up, reason) => {
        if (up) outbox.resume();
        ctx.health.set(up ? "running" : "degraded", up ? [] : [`redis: ${reason}`]);
      },
    });
    const outbox = new RedisOutbox(link, log, c.max_pending);
    const feeds = new Map<string, FeedFrames>();
    const streams = new Set<string>();
    const maxLen = c.stream_max_len > 0 ? ["MAXLEN", "~", String(c.stream_max_len)] : [];

    const frames = (feed: string): FeedFrames | undefined => {
      if (wanted !== undefined && !wanted.has(feed)) return undefined;
      let f = feeds.get(feed);
      if (f === undefined) feeds.set(feed, (f = new FeedFrames(feed, run, ctx.store)));
      return f;
    };
    const xadd = (stream: string, type: string, payload: unknown): void => {
      streams.add(stream);
      outbox.push("XADD", [stream, ...maxLen, "*", "t", type, "d", JSON.stringify(payload)], true);
    };
    const publish = (channel: string, payload: unknown): void => {
      if (c.publish) outbox.push("PUBLISH", [channel, JSON.stringify(payload)], false);
    };
    const publishQuotes = (quotes: readonly Quote[]): void => {
      for (const q of quotes) publish(channelName(templates.quote, { prefix, feed: q.feed, instrument: q.instrument, key: q.key }), q);
    };

    const bus = ctx.bus;
    bus.on("book.snapshot", (s) => frames(s.feed)?.onSnapshot(s));
    bus.on("book.delta", (d) => frames(d.feed)?.onDelta(d));
    bus.on("trade", (t) => frames(t.feed)?.onTrade(t));
    bus.on("quote", (q) => frames(q.feed)?.onQuote(q));
    bus.on("frame.end", (f) => {
      const ff = frames(f.feed);
      if (ff === undefined) return;
      const { frame, quotes } = ff.onFrameEnd(f);
      publishQuotes(quotes);
      if (frame === undefined) return;
      xadd(redisKeys.stream(prefix, f.feed), "frame", frame);
      if (!c.publish) return;
      for (const item of frame.items) {
        if (item.type === "trade") publish(channelName(templates.trade, { prefix, feed: f.feed, instrument: item.instrument, key: item.key }), item);
        else if (item.type !== "top") publish(channelName(templates.book, { prefix, feed: f.feed, instrument: item.instrument, key: "key" in item ? item.key : item.instrument }), item);
      }
    });
    bus.on("feed.status", (s) => {
      if (frames(s.feed) === undefined) return;
      const status: WireStatus = { run, feed: s.feed, state: s.state, reasons: s.reasons, ts: s.ts };
      xadd(redisKeys.stream(prefix, s.feed), "status", status);
      outbox.push("SET", [redisKeys.status(prefix, s.feed), JSON.stringify(status)], true);
    });
    const events = redisKeys.events(prefix);
    for (const name of ["opportunity.open", "opportunity.update", "opportunity.close"] as const) {
      bus.on(name, (o) => {
        xadd(events, name, o);
        publish(channelName(templates.opportunity, { prefix }), { event: name, opportunity: o });
      });
    }
    bus.on("alert", (a) => {
      xadd(events, "alert", a);
      publish(channelName(templates.alert, { prefix }), a);
    });

    // the latest-book cache: changed books at most every cache_every_ms, every book every ttl/2
    const ttl = String(c.cache_ttl_ms);
    const writeCache = (ff: FeedFrames, instrument: string): void => {
      const entry = ff.cached(instrument);
      if (entry !== undefined) outbox.push("SET", [redisKeys.book(prefix, ff.feed, instrument), JSON.stringify(entry), "PX", ttl], false);
    };
    const cacheTimer = ctx.clock.setInterval(() => {
      for (const ff of feeds.values()) {
        for (const instrument of ff.dirty) writeCache(ff, instrument);
        ff.dirty.clear();
      }
    }, c.cache_every_ms);
    const warmTimer = ctx.clock.setInterval(() => {
      for (const ff of feeds.values()) for (const instrument of ff.books()) writeCache(ff, instrument);
    }, Math.max(1, Math.floor(c.cache_ttl_ms / 2)));
    let trimming = false;
    const trimTimer =
      c.trim_every_ms > 0
        ? ctx.clock.setInterval(() => {
            const client = link.client;
            if (client === undefined || trimming) return;
            trimming = true;
            trimStreams(client, [...streams])
              .catch((error: unknown) => log.once("redis:trim", "warn", "trimming streams failed (logged once)", { error }))
              .finally(() => (trimming = false));
          }, c.trim_every_ms)
        : undefined;

    link.start();
    return {
      stats: () => outbox.stats(),
      async flush() {
        await outbox.drained();
      },
      async stop() {
        ctx.clock.clearInterval(cacheTimer);
        ctx.clock.clearInterval(warmTimer);
        ctx.clock.clearInterval(trimTimer);
        await Promise.race([outbox.drained(), Bun.sleep(2_000)]);
        const s = outbox.stats();
        if (s.pending > 0) log.warn("redis unreachable at stop; entries not written", { pending: s.pending });
        link.close();
      },
    };
  },
});
