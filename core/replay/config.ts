/** The `[playback]` table's schema (kept apart so the core config schema imports no runtime code). */
import * as v from "valibot";

/** `[playback]`: play a recording instead of the network, in real time (the offline demo). */
export const playbackSchema = v.strictObject({
  file: v.pipe(v.string(), v.minLength(1), v.description("Recording to play instead of the network, relative to the config file.")),
  speed: v.optional(v.pipe(v.number(), v.minValue(0.01), v.maxValue(1000), v.description("Real-time multiple. Default 1.")), 1),
  loop: v.optional(v.pipe(v.boolean(), v.description("Start over when the recording ends (a fresh runtime each pass). Default true.")), true),
});

/** The validated `[playback]` table. */
export type PlaybackConfig = v.InferOutput<typeof playbackSchema>;
