import * as v from "valibot";

const int = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));

/** Channel templates; placeholders `{prefix}`, `{feed}`, `{instrument}`, `{key}`. */
const channelsSchema = v.strictObject({
  book: v.optional(v.pipe(v.string(), v.description('Per-book changes (each frame\'s snapshot/delta items). Default "{prefix}:books:{feed}:{instrument}".'))),
  trade: v.optional(v.pipe(v.string(), v.description('Trades. Default "{prefix}:trades:{feed}:{instrument}".'))),
  quote: v.optional(v.pipe(v.string(), v.description('Top of book per change. Default "{prefix}:quotes:{feed}:{instrument}".'))),
  opportunity: v.optional(v.pipe(v.string(), v.description('opportunity.open/update/close. Default "{prefix}:opportunities".'))),
  alert: v.optional(v.pipe(v.string(), v.description('Alerts. Default "{prefix}:alerts".'))),
});

/** `[redis]`: publish books, frames, statuses, quotes, trades, opportunities and alerts to Redis. */
export const redisSinkConfig = v.strictObject({
  url: v.optional(v.pipe(v.string(), v.minLength(1), v.description('Redis URL ("redis://host:port", "rediss://…", credentials from "${REDIS_URL}"). Default "redis://127.0.0.1:6379".')), "redis://127.0.0.1:6379"),
  prefix: v.optional(v.pipe(v.string(), v.minLength(1), v.description('Prefix of every key, stream and default channel. Default "ew".')), "ew"),
  feeds: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.description("Feed ids to publish; omitted = every feed."))),
  stream_max_len: v.optional(
    v.pipe(int(0), v.description("Hard cap of a stream's length (approximate trim on XADD); 0 = none. A consumer group further behind loses entries and resyncs from the book cache. Default 1000000.")),
    1_000_000,
  ),
  trim_every_ms: v.optional(v.pipe(int(0), v.description("How often streams are trimmed to what every consumer group has read, ms; 0 = never. Default 5000.")), 5_000),
  cache_ttl_ms: v.optional(v.pipe(int(1), v.description("TTL of the latest-book cache, ms. Default 5000.")), 5_000),
  cache_every_ms: v.optional(v.pipe(int(1), v.description("Changed books are written to the cache at most this often, ms. Default 100.")), 100),
  publish: v.optional(v.pipe(v.boolean(), v.description("Also PUBLISH to the channels below for live dashboards. Default true.")), true),
  channel_preset: v.optional(
    v.pipe(v.picklist(["edgewatch", "seed002"]), v.description('"seed002" uses the seed\'s names for books and trades ("polymarket:orderbook:{instrument}", "polymarket:trade:{instrument}"). Default "edgewatch".')),
    "edgewatch",
  ),
  channels: v.optional(channelsSchema, {}),
  max_pending: v.optional(v.pipe(int(1), v.description("Entries kept in memory while Redis is unreachable; beyond it the oldest are dropped and counted. Default 100000.")), 100_000),
  reconnect_min_ms: v.optional(v.pipe(int(1), v.description("First retry delay after the connection is lost, ms (doubles up to reconnect_max_ms). Default 250.")), 250),
  reconnect_max_ms: v.optional(v.pipe(int(1), v.description("Longest retry delay, ms. Default 10000.")), 10_000),
});

export type RedisSinkConfig = v.InferOutput<typeof redisSinkConfig>;

const presets = {
  edgewatch: {
    book: "{prefix}:books:{feed}:{instrument}",
    trade: "{prefix}:trades:{feed}:{instrument}",
    quote: "{prefix}:quotes:{feed}:{instrument}",
    opportunity: "{prefix}:opportunities",
    alert: "{prefix}:alerts",
  },
  seed002: {
    book: "polymarket:orderbook:{instrument}",
    trade: "polymarket:trade:{instrument}",
    quote: "{prefix}:quotes:{feed}:{instrument}",
    opportunity: "{prefix}:opportunities",
    alert: "{prefix}:alerts",
  },
} as const;

/** The channel templates in force: the preset, overridden key by key. */
export function channelTemplates(c: RedisSinkConfig): Record<keyof typeof presets.edgewatch, string> {
  const base = presets[c.channel_preset];
  return {
    book: c.channels.book ?? base.book,
    trade: c.channels.trade ?? base.trade,
    quote: c.channels.quote ?? base.quote,
    opportunity: c.channels.opportunity ?? base.opportunity,
    alert: c.channels.alert ?? base.alert,
  };
}
