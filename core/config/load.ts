/**
 * Reads a TOML config, substitutes `${VAR}`, validates the whole file (core tables, then each plugin's
 * table against the plugin's own strict schema, then cross-field rules), and freezes it. Every problem
 * is reported at once, positioned `file:LINE:COL: key.path: expected …, found …`.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Cron } from "croner";
import * as v from "valibot";
import { ConfigError, type ConfigProblem } from "../errors.ts";
import type { AnyPlugin, PluginKind } from "../plugin.ts";
import { importPlugin, isPluginPath, type PluginRegistry } from "../registry.ts";
import { interpolateEnv } from "./env.ts";
import { parseTomlSource } from "./toml.ts";
import { scanPositions, type KeyPositions } from "./positions.ts";
import { formatPath, issueToProblem, type KeyPath } from "./problems.ts";
import { coreSchema, instanceTables, sinkTables, type CoreConfig } from "./schema.ts";
import { suggest } from "./suggest.ts";

/** One plugin instance to start: its id, the plugin, and its validated, frozen table. */
export interface InstanceConfig {
  readonly kind: PluginKind;
  readonly id: string;
  /** Config path of its table: `["feeds", "venue_a"]`, `["recorder"]`. */
  readonly path: KeyPath;
  /** What the config said: a built-in name or a path. */
  readonly spec: string;
  readonly plugin: AnyPlugin;
  readonly config: unknown;
}

/** A validated, frozen config. */
export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly core: CoreConfig;
  readonly instances: readonly InstanceConfig[];
}

export interface LoadOptions {
  readonly registry: PluginRegistry;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads and validates a config file; throws `ConfigError` listing every problem. */
export async function loadConfig(file: string, options: LoadOptions): Promise<LoadedConfig> {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error);
    throw new ConfigError([{ file, line: 1, col: 1, path: "", message: `expected a readable TOML file, found ${reason}` }]);
  }
  return loadConfigSource(source, file, options);
}

/** Validates config text as if read from `file` (relative plugin paths resolve against its folder). */
export async function loadConfigSource(source: string, file: string, options: LoadOptions): Promise<LoadedConfig> {
  const dir = dirname(resolve(file));
  const raw = parseTomlSource(source, file);
  const positions = scanPositions(source);
  const problems: ConfigProblem[] = [];
  const at = (path: KeyPath, message: string, which: "key" | "value" = "value"): void => {
    const pos = (which === "key" ? positions.key(path) : positions.value(path)) ?? positions.locate(path);
    problems.push({ file, line: pos.line, col: pos.col, path: formatPath(path), message });
  };

  const env = interpolateEnv(raw, options.env ?? process.env);
  for (const p of env.problems) at(p.path, p.message);

  const parsed = v.safeParse(coreSchema, env.value, { abortEarly: false });
  if (!parsed.success) {
    for (const issue of parsed.issues) problems.push(issueToProblem(file, positions, [], coreSchema, issue));
    // Plugin tables are still checked, so one run reports every problem of the file.
    await resolveInstances(looseCore(env.value), dir, options.registry, positions, file, problems, at);
    throw new ConfigError(sortProblems(withoutEnvEchoes(problems, env.problems.map((p) => formatPath(p.path)))));
  }
  const core = parsed.output;
  const instances = await resolveInstances(core, dir, options.registry, positions, file, problems, at);
  checkCrossFields(core, instances, options.registry, at);
  if (problems.length > 0) throw new ConfigError(sortProblems(withoutEnvEchoes(problems, env.problems.map((p) => formatPath(p.path)))));
  return deepFreeze({ file, dir, core, instances });
}

type At = (path: KeyPath, message: string, which?: "key" | "value") => void;

async function resolveInstances(
  core: Pick<CoreConfig, "feeds" | "strategies" | "notifiers" | "alerts"> & Partial<CoreConfig>,
  dir: string,
  registry: PluginRegistry,
  positions: KeyPositions,
  file: string,
  problems: ConfigProblem[],
  at: At,
): Promise<InstanceConfig[]> {
  const out: InstanceConfig[] = [];
  const validate = async (kind: PluginKind, path: KeyPath, id: string, table: Record<string, unknown>, spec: string) => {
    const resolved = await resolvePlugin(kind, spec, dir, registry);
    if (!resolved.ok) {
      at(table.plugin === undefined ? path : [...path, "plugin"], resolved.message, table.plugin === undefined ? "key" : "value");
      return;
    }
    const rest = { ...table };
    if (kind !== "sink") delete rest.plugin; // sinks are chosen by their table; a `plugin` key there is unknown
    if (kind === "health") delete rest.enabled; // the runner's key, not the check's
    const result = v.safeParse(resolved.plugin.config, rest, { abortEarly: false });
    if (!result.success) {
      for (const issue of result.issues) problems.push(issueToProblem(file, positions, path, resolved.plugin.config, issue));
      return;
    }
    out.push({ kind, id, path, spec, plugin: resolved.plugin, config: result.output });
  };
  for (const [table, kind] of Object.entries(instanceTables) as [keyof typeof instanceTables, PluginKind][]) {
    for (const [id, body] of Object.entries(core[table])) {
      await validate(kind, [table, id], id, body, body.plugin ?? id);
    }
  }
  // Routes may name `console` without declaring it (SURFACE.md): it runs with its defaults.
  const console = registry.get("notifier", "console");
  const wantsConsole = core.alerts.routes.some((r) => r.notifiers.includes("console"));
  if (console !== undefined && wantsConsole && core.notifiers.console === undefined) {
    const parsed = v.safeParse(console.config, {});
    if (parsed.success) out.push({ kind: "notifier", id: "console", path: ["notifiers", "console"], spec: "console", plugin: console, config: parsed.output });
  }
  await resolveHealthChecks(core.health, registry, validate);
  for (const table of sinkTables) {
    const body = core[table];
    if (body === undefined) continue;
    const plugin = registry.all().find((p) => p.kind === "sink" && "table" in p && p.table === table);
    if (plugin === undefined) {
      at([table], `expected a built-in sink plugin that provides [${table}], found none in this build`, "key");
      continue;
    }
    await validate("sink", [table], table, body, plugin.name);
  }
  return out;
}

type Validate = (kind: PluginKind, path: KeyPath, id: string, table: Record<string, unknown>, spec: string) => Promise<void>;

/**
 * `[health.checks.<id>]` tables, then every built-in check not named there (unless `default_checks` is
 * false) with its defaults. A table with `enabled = false` is validated and left out.
 */
async function resolveHealthChecks(health: Partial<CoreConfig["health"]> | undefined, registry: PluginRegistry, validate: Validate): Promise<void> {
  const checks = isTable(health?.checks) ? (health.checks as Record<string, unknown>) : {};
  const named = new Set<string>();
  for (const [id, body] of Object.entries(checks)) {
    if (!isTable(body)) continue;
    const spec = typeof body.plugin === "string" ? body.plugin : id;
    named.add(id);
    named.add(spec);
    if (body.enabled === false) continue;
    await validate("health", ["health", "checks", id], id, body, spec);
  }
  if (health?.default_checks === false) return;
  for (const plugin of registry.all()) {
    if (plugin.kind !== "health" || named.has(plugin.name)) continue;
    await validate("health", ["health", "checks", plugin.name], plugin.name, {}, plugin.name);
  }
}

async function resolvePlugin(
  kind: PluginKind,
  spec: string,
  dir: string,
  registry: PluginRegistry,
): Promise<{ ok: true; plugin: AnyPlugin } | { ok: false; message: string }> {
  if (isPluginPath(spec)) return importPlugin(spec, kind, dir);
  const plugin = registry.get(kind, spec);
  if (plugin !== undefined) return { ok: true, plugin };
  const names = registry.names(kind);
  const hint = suggest(spec, names);
  return {
    ok: false,
    message: `expected a built-in ${kind} plugin (${names.join(", ") || "none"}) or a path "./file.ts", found "${spec}"${hint === undefined ? "" : ` (did you mean "${hint}"?)`}`,
  };
}

function checkCrossFields(core: CoreConfig, instances: InstanceConfig[], registry: PluginRegistry, at: At): void {
  const feedIds = Object.keys(core.feeds);
  const strategyIds = Object.keys(core.strategies);
  const notifierIds = new Set(Object.keys(core.notifiers));
  if (registry.get("notifier", "console") !== undefined) notifierIds.add("console");

  const seen = new Map<string, string>();
  for (const table of ["feeds", "strategies", "notifiers"] as const) {
    for (const id of Object.keys(core[table])) {
      const other = seen.get(id);
      if (other !== undefined) at([table, id], `expected ids unique across feeds, strategies and notifiers, found "${id}" in [${other}.${id}] too`, "key");
      else seen.set(id, table);
    }
  }
  for (const [id, body] of Object.entries(core.strategies)) {
    const feeds = (body as Record<string, unknown>).feeds;
    if (!Array.isArray(feeds)) continue;
    feeds.forEach((feed, i) => {
      if (typeof feed === "string" && !feedIds.includes(feed)) {
        const hint = suggest(feed, feedIds);
        at(["strategies", id, "feeds", i], `expected a feed id defined under [feeds] (${feedIds.join(", ") || "none"}), found "${feed}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
      }
    });
  }
  core.alerts.routes.forEach((route, r) => {
    route.notifiers.forEach((n, i) => {
      if (!notifierIds.has(n)) {
        const hint = suggest(n, notifierIds);
        at(["alerts", "routes", r, "notifiers", i], `expected a notifier id defined under [notifiers] (${[...notifierIds].join(", ") || "none"}), found "${n}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
      }
    });
    route.strategies?.forEach((s, i) => {
      if (!strategyIds.includes(s)) {
        const hint = suggest(s, strategyIds);
        at(["alerts", "routes", r, "strategies", i], `expected a strategy id defined under [strategies] (${strategyIds.join(", ") || "none"}), found "${s}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
      }
    });
  });
  core.schedules.forEach((schedule, i) => {
    try {
      new Cron(schedule.cron, { paused: true, timezone: schedule.timezone }).stop();
    } catch (error) {
      at(["schedules", i, "cron"], `expected a cron expression, found "${schedule.cron}" (${error instanceof Error ? error.message : String(error)})`);
    }
    const [id = "", action = ""] = schedule.run.split(".", 2);
    const instance = instances.find((x) => x.id === id);
    if (instance === undefined) {
      const hint = suggest(id, instances.map((x) => x.id));
      at(["schedules", i, "run"], `expected "<plugin id>.<action>" naming a configured plugin, found "${schedule.run}"${hint ? ` (did you mean "${hint}.${action}"?)` : ""}`);
      return;
    }
    const actions = instance.plugin.actions ?? [];
    if (!actions.includes(action)) {
      const hint = suggest(action, actions);
      at(["schedules", i, "run"], `expected an action of ${id} (${actions.join(", ") || "it has none"}), found "${action}"${hint ? ` (did you mean "${id}.${hint}"?)` : ""}`);
    }
  });
}

/** The instance tables of a file whose core shape is invalid: whatever of them is a table. */
function looseCore(value: unknown): Pick<CoreConfig, "feeds" | "strategies" | "notifiers" | "alerts"> & Partial<CoreConfig> {
  const root = isTable(value) ? value : {};
  const tables = (key: string): Record<string, Record<string, unknown> & { plugin?: string }> => {
    const t = root[key];
    if (!isTable(t)) return {};
    const out: Record<string, Record<string, unknown> & { plugin?: string }> = {};
    for (const [id, body] of Object.entries(t)) {
      if (isTable(body) && (body.plugin === undefined || typeof body.plugin === "string")) out[id] = body as Record<string, unknown> & { plugin?: string };
    }
    return out;
  };
  const health = isTable(root.health) ? (root.health as Partial<CoreConfig["health"]>) : undefined;
  return {
    feeds: tables("feeds"),
    strategies: tables("strategies"),
    notifiers: tables("notifiers"),
    alerts: { routes: [] } as unknown as CoreConfig["alerts"],
    ...(health === undefined ? {} : { health: health as CoreConfig["health"] }),
  };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

/** A missing `${VAR}` leaves an empty string behind; problems that only echo it at the same path are noise. */
function withoutEnvEchoes(problems: ConfigProblem[], envPaths: readonly string[]): ConfigProblem[] {
  const paths = new Set(envPaths);
  return problems.filter((p) => !paths.has(p.path) || p.message.startsWith("expected environment variable"));
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  // plugins are module objects: freezing them would freeze shared built-ins; freeze configs only
  if ("setup" in (value as object) && "kind" in (value as object)) return value;
  Object.freeze(value);
  for (const item of Object.values(value as object)) deepFreeze(item);
  return value;
}
