import * as v from "valibot";

const int = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));

/** `[recorder]`: raw frames as received, into SQLite. */
export const recorderConfig = v.strictObject({
  path: v.optional(
    v.pipe(v.string(), v.minLength(1), v.description('Recording file, relative to the config file. Rotated parts get the part\'s start time in their name. Default "data/recording.sqlite".')),
    "data/recording.sqlite",
  ),
  flush_ms: v.optional(v.pipe(int(1), v.description("The writer thread drains the buffer at least this often, ms. Default 250.")), 250),
  flush_frames: v.optional(v.pipe(int(1), v.description("…or as soon as this many frames wait. Default 2000.")), 2_000),
  buffer_mb: v.optional(
    v.pipe(v.number(), v.minValue(1), v.maxValue(1024), v.description("Shared-memory buffer between the feed's thread and the writer thread, MB; when the disk falls behind and it fills, frames are dropped and counted (the feed is never blocked). Default 32.")),
    32,
  ),
  rotate_mb: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Start a new part when the file exceeds this size, MB; 0 = never. Default 0.")), 0),
  rotate_after_ms: v.optional(v.pipe(int(0), v.description("Start a new part when the current one is this old, ms; 0 = never. Default 0.")), 0),
  compress: v.optional(
    v.pipe(v.picklist(["none", "gzip", "zstd"]), v.description('Compress each stored batch: "zstd" (fast, about 10× smaller), "gzip" or "none" (large writes cost more than compressing). Default "zstd".')),
    "zstd",
  ),
  compress_min_bytes: v.optional(v.pipe(int(0), v.description("Bodies shorter than this stay uncompressed, bytes. Default 256.")), 256),
  feeds: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.description("Feed ids to record; omitted = every feed."))),
  rest: v.optional(v.pipe(v.boolean(), v.description("Also record REST answers feeds used for sync (replay needs them). Default true.")), true),
});

export type RecorderConfig = v.InferOutput<typeof recorderConfig>;
