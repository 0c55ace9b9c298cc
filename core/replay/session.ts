/**
 * Runs one replay: the real runtime (feeds, books, strategies, alert router) on a `ManualClock`, with
 * the player as its transport. The clock is moved to each row's receive time before the row is handed
 * over, so every timer (debounce, watchdog, cooldown, health) fires at the same virtual instant on every
 * run and at any speed; `speed` only decides how long the driver sleeps between rows.
 */
import { basename } from "node:path";
import { ManualClock } from "../clock.ts";
import type { LoadedConfig } from "../config/load.ts";
import { silentLogger, type Logger } from "../log.ts";
import { Runtime } from "../runtime.ts";
import { driveRows } from "./drive.ts";
import { RecordingPlayer } from "./player.ts";
import { openRecording } from "./recording.ts";
import { ReportCollector, type ReplayReport } from "./report.ts";

/** Where a long replay is (for a progress line). */
export interface ReplayProgress {
  readonly rows: number;
  readonly total: number;
  /** Virtual time reached, ms. */
  readonly at: number;
  readonly opportunities: number;
  readonly alerts: number;
}

/** Options of `runReplay`. */
export interface ReplayOptions {
  /** Recording file. */
  readonly file: string;
  /** The adapted config (`replayConfig`). */
  readonly config: LoadedConfig;
  /** Real-time multiple (1 = as recorded), or `"max"`: no sleeping. */
  readonly speed: number | "max";
  /** Only opportunities and alerts from this time on are reported (earlier rows still build the books), ms. */
  readonly from?: number | undefined;
  /** Stop after the last row received at or before this time, ms. */
  readonly to?: number | undefined;
  readonly log?: Logger;
  /** Called about once per second of real time. */
  readonly onProgress?: (p: ReplayProgress) => void;
  /**
   * Seed of `Math.random` during the replay. Its values are kept near 0, so reconnect backoff takes its
   * shortest delay: the replayed connection is ready before the recording's next open. Default 1.
   */
  readonly seed?: number;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Replays a recording and resolves the report. */
export async function runReplay(options: ReplayOptions): Promise<ReplayReport> {
  const recording = openRecording(options.file);
  const first = recording.firstTs;
  const from = options.from ?? first;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const clock = new ManualClock(Math.floor(first));
  const player = new RecordingPlayer(clock, { lifecycle: recording.hasLifecycle, restAnswers: recording.restAnswers });
  const runtime = new Runtime(options.config, { clock, log: options.log ?? silentLogger, transport: player, schedules: false });
  const collector = new ReportCollector(runtime.bus, { from, to: Math.min(to, recording.lastTs) });
  const restoreRandom = seedRandom(options.seed ?? 1);
  let started = false;
  let startError: unknown;
  const starting = runtime.start().then(
    () => void (started = true),
    (error: unknown) => void (startError = error),
  );
  try {
    let lastProgress = performance.now();
    const done = await driveRows(recording.rows(), {
      clock,
      player,
      speed: options.speed,
      pacedFrom: from,
      to,
      started: () => started,
      startError: () => startError,
      every1000: (rows) => {
        const now = performance.now();
        if (options.onProgress === undefined || now - lastProgress < 1000) return;
        lastProgress = now;
        options.onProgress({ rows, total: recording.count, at: clock.now(), opportunities: collector.opportunities, alerts: collector.alerts });
      },
    });
    await starting;
    if (startError !== undefined) throw startError;
    // let deliveries the last rows started finish (collectors answer at once)
    for (let i = 0; i < 50 && (runtime.router?.stats().pending ?? 0) > 0; i++) await tick();
    await tick();
    options.onProgress?.({ rows: done, total: recording.count, at: clock.now(), opportunities: collector.opportunities, alerts: collector.alerts });
    const report = collector.build(
      {
        file: basename(options.file),
        rows: recording.count,
        feeds: recording.feedIds,
        first: new Date(first).toISOString(),
        last: new Date(recording.lastTs).toISOString(),
      },
      player.stats(),
    );
    return report;
  } finally {
    collector.detach();
    player.close();
    await starting;
    await runtime.stop();
    restoreRandom();
    recording.close();
  }
}

/** Replaces `Math.random` with a seeded generator (mulberry32, scaled to [0, 0.001)) until the returned function is called. */
function seedRandom(seed: number): () => void {
  const original = Math.random;
  let a = seed >>> 0;
  Math.random = function seededRandom(): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 1e-3;
  };
  return () => {
    Math.random = original;
  };
}
