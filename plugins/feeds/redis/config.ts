import * as v from "valibot";

const int = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));

/** `[feeds.<id>]` with `plugin = "redis"`: a collector's feed, read from the Redis bridge. */
export const redisFeedConfig = v.strictObject({
  url: v.optional(v.pipe(v.string(), v.minLength(1), v.description('Redis URL. Default "redis://127.0.0.1:6379".')), "redis://127.0.0.1:6379"),
  prefix: v.optional(v.pipe(v.string(), v.minLength(1), v.description('Prefix the collector\'s [redis] table uses. Default "ew".')), "ew"),
  source: v.optional(v.pipe(v.string(), v.minLength(1), v.description("The collector's feed id to read. Default: this table's id (keep the ids equal and strategies need no change)."))),
  group: v.optional(
    v.pipe(v.string(), v.minLength(1), v.description("Consumer group: processes in one group share the entries, each group gets all of them. Default: [bot] name.")),
  ),
  consumer: v.optional(v.pipe(v.string(), v.minLength(1), v.description('Consumer name within the group. Default "<hostname>-<pid>".'))),
  start: v.optional(
    v.pipe(v.picklist(["latest", "earliest"]), v.description('Where a new group starts: "latest" (books come from the cache) or "earliest" (everything the stream still holds). Default "latest".')),
    "latest",
  ),
  block_ms: v.optional(v.pipe(int(1), v.description("Longest wait of one blocking read, ms. Default 1000.")), 1_000),
  batch: v.optional(v.pipe(int(1), v.description("Most entries read at once. Default 500.")), 500),
  resync_poll_ms: v.optional(v.pipe(int(1), v.description("While a book resyncs, how often the latest-book cache is read, ms. Default 50.")), 50),
  reconnect_min_ms: v.optional(v.pipe(int(1), v.description("First retry delay after the connection is lost, ms. Default 250.")), 250),
  reconnect_max_ms: v.optional(v.pipe(int(1), v.description("Longest retry delay, ms. Default 10000.")), 10_000),
});

export type RedisFeedConfig = v.InferOutput<typeof redisFeedConfig>;
