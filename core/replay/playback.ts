/**
 * `[playback]`: a normal run whose feeds read a recording instead of the network, in real time and in a
 * loop (the offline demo). Feeds are the real feed plugins; their sockets and REST calls go to the
 * player, and the whole runtime runs on a clock that starts at the recording's first frame and moves in
 * real time, so the venue timestamps inside the frames are as fresh as they were when recorded. Each
 * pass starts a fresh runtime (time cannot run backwards inside one) with its alert state in a
 * throwaway folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ManualClock } from "../clock.ts";
import type { LoadedConfig } from "../config/load.ts";
import { createLogger, type Logger } from "../log.ts";
import type { PlaybackConfig } from "./config.ts";
import { startBot } from "../start.ts";
import { driveRows } from "./drive.ts";
import { RecordingPlayer } from "./player.ts";
import { openRecording } from "./recording.ts";

/** The `[playback]` schema and its type (defined apart in config.ts so the core schema imports no runtime code). */
export { playbackSchema, type PlaybackConfig } from "./config.ts";

/** Options of `runPlayback`. */
export interface PlaybackOptions {
  readonly playback: PlaybackConfig;
  /** Stops the playback (the CLI aborts it on SIGINT/SIGTERM). */
  readonly signal: AbortSignal;
  readonly log?: Logger;
}

/**
 * Runs `config` on its `[playback]` recording until the signal aborts (or the recording ends when
 * `loop` is false). Resolves the exit code.
 *
 * @example
 * const abort = new AbortController();
 * process.on("SIGINT", () => abort.abort());
 * process.exit(await runPlayback(config, { playback: config.core.playback!, signal: abort.signal }));
 */
export async function runPlayback(config: LoadedConfig, options: PlaybackOptions): Promise<number> {
  const file = resolve(config.dir, options.playback.file);
  const log = (options.log ?? createLogger({ level: config.core.bot.log_level, format: config.core.bot.log_format })).child("playback");
  for (let pass = 1; !options.signal.aborted; pass++) {
    const recording = openRecording(file);
    const clock = new ManualClock(Math.floor(recording.firstTs));
    const player = new RecordingPlayer(clock, { lifecycle: recording.hasLifecycle, restAnswers: recording.restAnswers });
    const dataDir = mkdtempSync(join(tmpdir(), "edgewatch-playback-"));
    const passConfig: LoadedConfig = {
      ...config,
      core: { ...config.core, bot: { ...config.core.bot, data_dir: dataDir }, alerts: { ...config.core.alerts, outbox_path: ":memory:" } },
    };
    let started = false;
    let startError: unknown;
    const starting = startBot(passConfig, { clock, transport: player, signals: false, ...(options.log === undefined ? {} : { log: options.log }) }).then(
      (bot) => {
        started = true;
        return bot;
      },
      (error: unknown) => {
        startError = error;
        return undefined;
      },
    );
    try {
      if (pass === 1) log.info("playing a recording instead of the network", { file, rows: recording.count, speed: options.playback.speed });
      await driveRows(recording.rows(), {
        clock,
        player,
        speed: options.playback.speed,
        tickMs: 50,
        started: () => started,
        startError: () => startError,
        signal: options.signal,
      });
    } finally {
      player.close();
      recording.close();
      const bot = await starting;
      if (bot !== undefined) await bot.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    if (startError !== undefined) throw startError;
    if (!options.playback.loop) break;
    if (!options.signal.aborted) log.info("the recording ended; playing it again", { pass: pass + 1 });
  }
  return 0;
}
