/**
 * The loop that plays rows into a runtime: waits for the feeds to start (feeding rows to a feed whose
 * setup waits for a recorded REST answer), moves the `ManualClock` to each row's receive time, hands the
 * row to the player, and paces against real time when asked. Shared by `replay` and `[playback]`.
 */
import type { ManualClock } from "../clock.ts";
import type { RecordingPlayer } from "./player.ts";
import type { RecordedRow } from "./recording.ts";

/** Options of `driveRows`. */
export interface DriveOptions {
  readonly clock: ManualClock;
  readonly player: RecordingPlayer;
  /** Real-time multiple, or `"max"` (no sleeping). */
  readonly speed: number | "max";
  /** Rows before this time are played without sleeping (warm-up), ms. */
  readonly pacedFrom?: number;
  /** Stop after the last row at or before this time, ms. */
  readonly to?: number;
  /** While pacing, move the clock at least this often (timers fire on time between sparse rows), virtual ms. */
  readonly tickMs?: number;
  /** True once the runtime has started; a start failure is thrown by `startError`. */
  readonly started: () => boolean;
  readonly startError: () => unknown;
  readonly signal?: AbortSignal;
  /** Called after every 1000 rows (and may yield). */
  readonly every1000?: (done: number) => void;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Plays rows; resolves how many were handed over. */
export async function driveRows(rows: Iterable<RecordedRow>, o: DriveOptions): Promise<number> {
  const { clock, player } = o;
  const to = o.to ?? Number.POSITIVE_INFINITY;
  const pacedFrom = o.pacedFrom ?? Number.NEGATIVE_INFINITY;
  let done = 0;
  let paceWall = Number.NaN;
  let paceVirtual = Number.NaN;
  const sleepUntil = async (t: number): Promise<void> => {
    if (o.speed === "max" || t < pacedFrom) return;
    if (Number.isNaN(paceVirtual)) {
      paceVirtual = t;
      paceWall = performance.now();
    }
    const wait = paceWall + (t - paceVirtual) / o.speed - performance.now();
    if (wait >= 1) await Bun.sleep(wait);
  };
  const aborted = (): boolean => o.signal?.aborted === true;
  for (const row of rows) {
    if (aborted()) break;
    if (row.tsRecv > to) break;
    while (!o.started() && player.waiting === 0 && o.startError() === undefined) await tick();
    if (o.startError() !== undefined) throw o.startError();
    const t = Math.max(clock.now(), row.tsRecv);
    if (o.tickMs !== undefined && o.speed !== "max") {
      // between sparse rows, move the clock in steps so watchdogs and health checks run on time
      while (clock.now() + o.tickMs < t && !aborted()) {
        const step = clock.now() + o.tickMs;
        await sleepUntil(step);
        clock.advanceTo(step);
        await tick();
      }
    }
    await sleepUntil(t);
    clock.advanceTo(t);
    if (player.deliver(row)) await tick();
    done++;
    if (done % 1000 === 0) {
      await tick();
      o.every1000?.(done);
    }
  }
  return done;
}
