/**
 * The config a replay runs: the user's (or the one stored in the recording) with sinks removed (a
 * replay records and publishes nothing), notifiers swapped for a collector unless asked to notify, and
 * state (alert outbox) kept in a throwaway folder so a replay never touches the live bot's.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import type { InstanceConfig, LoadedConfig } from "../config/load.ts";
import { loadConfig, loadConfigSource } from "../config/load.ts";
import { defineNotifier } from "../plugin.ts";
import type { PluginRegistry } from "../registry.ts";
import type { Recording } from "./recording.ts";

/** Stands in for every notifier in a replay: accepts each alert, so the report shows where it would have gone. */
export const collectorNotifier = defineNotifier({
  name: "replay-collector",
  description: "Accepts alerts without sending them (replay without --notify)",
  config: v.strictObject({}),
  setup() {
    return { send: async () => undefined };
  },
});

/** Options of `replayConfig`. */
export interface ReplayConfigOptions {
  /** A config file to use instead of the one stored in the recording. */
  readonly configFile?: string | undefined;
  readonly registry: PluginRegistry;
  /** Keep the real notifiers (`--notify`). */
  readonly notify?: boolean;
  /** Folder for replay state (default: a new temp folder). */
  readonly dataDir?: string;
}

/** Loads and adapts the config for a replay; throws `ConfigError` or a plain-sentence error. */
export async function replayConfig(recording: Recording, options: ReplayConfigOptions): Promise<LoadedConfig> {
  let base: LoadedConfig;
  if (options.configFile !== undefined) base = await loadConfig(options.configFile, { registry: options.registry });
  else if (recording.meta.configSource !== undefined) {
    base = await loadConfigSource(recording.meta.configSource, recording.meta.configFile ?? join(tmpdir(), "recorded.toml"), { registry: options.registry });
  } else {
    throw new Error(`${recording.path} does not hold the config it was recorded with; pass --config <file.toml>`);
  }
  return adaptForReplay(base, options.notify === true, options.dataDir ?? mkdtempSync(join(tmpdir(), "edgewatch-replay-")));
}

/** Sinks out, notifiers collected (unless `notify`), outbox in `dataDir`, no HTTP. */
export function adaptForReplay(config: LoadedConfig, notify: boolean, dataDir: string): LoadedConfig {
  const instances: InstanceConfig[] = [];
  for (const ic of config.instances) {
    if (ic.kind === "sink") continue;
    if (ic.kind === "notifier" && !notify) instances.push(collectorFor(ic.id, ic.path));
    else instances.push(ic);
  }
  if (!notify) {
    // routes may name notifiers that have no table (the built-in console): collect those too
    for (const route of config.core.alerts.routes) {
      for (const id of route.notifiers) {
        if (!instances.some((i) => i.kind === "notifier" && i.id === id)) instances.push(collectorFor(id, ["notifiers", id]));
      }
    }
  }
  const { http: _http, recorder: _recorder, redis: _redis, ...core } = config.core;
  return {
    file: config.file,
    dir: config.dir,
    core: {
      ...core,
      bot: { ...config.core.bot, data_dir: dataDir },
      alerts: { ...config.core.alerts, outbox_path: ":memory:" },
      schedules: [],
    },
    instances,
  };
}

function collectorFor(id: string, path: InstanceConfig["path"]): InstanceConfig {
  return { kind: "notifier", id, path, spec: collectorNotifier.name, plugin: collectorNotifier, config: {} };
}
