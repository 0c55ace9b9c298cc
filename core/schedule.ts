/**
 * `[[schedules]]`: croner jobs that run named plugin actions (`run = "<plugin id>.<action>"`), with
 * overrun protection; a failing run is logged and reported as `plugin.error`, and the job keeps its
 * schedule.
 */
import { Cron } from "croner";
import type { Bus } from "./bus.ts";
import type { ScheduleConfig } from "./config/schema.ts";
import type { Logger } from "./log.ts";

export type Action = () => void | Promise<void>;

/** Named actions registered by plugins (`ctx.action("discover", fn)` → `"<id>.discover"`). */
export class ActionRegistry {
  #actions = new Map<string, Action>();

  register(pluginId: string, name: string, fn: Action): void {
    this.#actions.set(`${pluginId}.${name}`, fn);
  }

  /** Removes every action of a plugin (it stopped). */
  unregister(pluginId: string): void {
    for (const key of [...this.#actions.keys()]) if (key.startsWith(`${pluginId}.`)) this.#actions.delete(key);
  }

  get(run: string): Action | undefined {
    return this.#actions.get(run);
  }

  /** Runs an action now, reporting a failure on the bus; resolves false when it failed or is unknown. */
  async run(run: string, bus: Bus, log: Logger): Promise<boolean> {
    const fn = this.#actions.get(run);
    if (fn === undefined) {
      log.warn("scheduled action is not registered (its plugin is not running)", { run });
      return false;
    }
    try {
      await fn();
      return true;
    } catch (error) {
      log.error("scheduled action failed", { run, error });
      bus.emit("plugin.error", { plugin: run.split(".")[0] ?? run, during: `schedule:${run}`, error, ts: Date.now() });
      return false;
    }
  }
}

/** A running set of scheduled jobs. */
export interface Schedules {
  stop(): void;
  /** Next run time of each job, for status views. */
  next(): { run: string; cron: string; nextAt: number | null }[];
}

/**
 * Starts one croner job per `[[schedules]]` entry.
 *
 * @example
 * const jobs = startSchedules(config.schedules, actions, bus, log);
 * jobs.stop();
 */
export function startSchedules(entries: readonly ScheduleConfig[], actions: ActionRegistry, bus: Bus, log: Logger): Schedules {
  const jobs = entries.map(function scheduleOne(entry) {
    const job = new Cron(
      entry.cron,
      { protect: entry.protect ? () => log.warn("skipped a scheduled run: the previous one is still going", { run: entry.run }) : false, timezone: entry.timezone, name: entry.run },
      async function runScheduled() {
        await actions.run(entry.run, bus, log);
      },
    );
    return { entry, job };
  });
  return {
    stop() {
      for (const { job } of jobs) job.stop();
    },
    next() {
      return jobs.map(({ entry, job }) => ({ run: entry.run, cron: entry.cron, nextAt: job.nextRun()?.getTime() ?? null }));
    },
  };
}
