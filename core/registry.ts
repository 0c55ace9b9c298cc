/**
 * Resolves `plugin = "…"` to a plugin: a built-in name from the registry, or a path (`./x.ts`,
 * `./x.ts#exportName`) relative to the config file, dynamically imported and checked to be a plugin of
 * the right kind.
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { AnyPlugin, PluginKind } from "./plugin.ts";
import { isPlugin } from "./plugin.ts";

/** The built-in plugins, by kind and name. */
export interface PluginRegistry {
  get(kind: PluginKind, name: string): AnyPlugin | undefined;
  names(kind: PluginKind): string[];
  all(): readonly AnyPlugin[];
}

/**
 * Builds a registry from plugin objects.
 *
 * @example
 * const registry = createRegistry([consoleNotifier, demoFeed]);
 */
export function createRegistry(plugins: readonly AnyPlugin[]): PluginRegistry {
  const byKey = new Map<string, AnyPlugin>();
  for (const p of plugins) {
    const k = `${p.kind}:${p.name}`;
    if (byKey.has(k)) throw new Error(`two built-in ${p.kind} plugins are named "${p.name}"`);
    byKey.set(k, p);
  }
  return {
    get: (kind, name) => byKey.get(`${kind}:${name}`),
    names: (kind) => plugins.filter((p) => p.kind === kind).map((p) => p.name),
    all: () => plugins,
  };
}

/** True when a `plugin` value is a path rather than a built-in name. */
export function isPluginPath(spec: string): boolean {
  return spec.startsWith("./") || spec.startsWith("../") || isAbsolute(spec) || /\.(ts|js|mjs|tsx)(#.*)?$/.test(spec);
}

export type ResolveResult = { ok: true; plugin: AnyPlugin } | { ok: false; message: string; candidates?: string[] };

/** Imports a plugin by path and checks its kind; never throws (a failure is a message for the config error). */
export async function importPlugin(spec: string, kind: PluginKind, configDir: string): Promise<ResolveResult> {
  const [rawPath = "", exportName] = spec.split("#", 2);
  const file = resolve(configDir, rawPath);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const text = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, message: `expected a plugin module, found an import error at ${file}: ${text}` };
  }
  const found = Object.entries(mod).filter(([, value]) => isPlugin(value)) as [string, AnyPlugin][];
  if (exportName !== undefined) {
    const value = mod[exportName];
    if (!isPlugin(value)) {
      return { ok: false, message: `expected export "${exportName}" of ${file} to be a plugin made by define*, found ${value === undefined ? "no such export" : typeof value}` };
    }
    return value.kind === kind ? { ok: true, plugin: value } : { ok: false, message: `expected a ${kind} plugin, found a ${value.kind} plugin ("${exportName}")` };
  }
  const ofKind = found.filter(([, p]) => p.kind === kind);
  if (ofKind.length === 1) return { ok: true, plugin: ofKind[0]![1] };
  if (ofKind.length === 0) {
    const other = found.map(([n, p]) => `${n} (${p.kind})`).join(", ");
    return {
      ok: false,
      message: `expected a named export made by ${kind === "health" ? "defineHealthCheck" : `define${kind[0]!.toUpperCase()}${kind.slice(1)}`}() in ${file}, found ${other === "" ? "none" : other}`,
    };
  }
  return {
    ok: false,
    message: `expected one ${kind} plugin in ${file}, found several (${ofKind.map(([n]) => n).join(", ")}); name one as "${rawPath}#<export>"`,
  };
}
