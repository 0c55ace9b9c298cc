/**
 * The JSON Schema (draft 2020-12) of the whole config, generated from the same valibot schemas that
 * validate it: core tables plus every registered plugin's table. Editors complete keys from it through
 * the `#:schema` line at the top of each config.
 */
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import type { AnyPlugin, PluginKind } from "../plugin.ts";
import type { PluginRegistry } from "../registry.ts";
import { coreSchema, instanceTables } from "./schema.ts";

type Json = Record<string, unknown>;

function convert(schema: v.GenericSchema): Json {
  const out = toJsonSchema(schema, { target: "draft-2020-12", errorMode: "ignore" }) as Json;
  delete out.$schema;
  return out;
}

function pluginTable(plugin: AnyPlugin, withPluginKey: boolean): Json {
  const body = convert(plugin.config);
  const properties = { ...((body.properties as Json | undefined) ?? {}) };
  if (withPluginKey) {
    properties.plugin = {
      const: plugin.name,
      description: `${plugin.description} (optional when the table key is "${plugin.name}").`,
    };
  }
  return { ...body, title: plugin.name, description: plugin.description, properties };
}

/** Builds the schema document; stable key order, so the committed copy can be compared byte for byte. */
export function buildJsonSchema(registry: PluginRegistry): Json {
  const root = convert(coreSchema);
  const properties = (root.properties ?? {}) as Json;
  for (const [table, kind] of Object.entries(instanceTables) as [string, PluginKind][]) {
    const plugins = registry.all().filter((p) => p.kind === kind);
    const variants: Json[] = plugins.map((p) => pluginTable(p, true));
    variants.push({
      type: "object",
      title: "plugin by path",
      description: `A ${kind} plugin loaded from a file: plugin = "./path.ts" (relative to the config file).`,
      properties: { plugin: { type: "string", pattern: "^(\\./|\\.\\./|/).+" } },
      required: ["plugin"],
    });
    properties[table] = {
      type: "object",
      description: `${kind} instances: [${table}.<id>]; the id names the instance in events, metrics and the API.`,
      additionalProperties: { anyOf: variants },
    };
  }
  for (const p of registry.all()) {
    if (p.kind === "sink" && "table" in p && typeof p.table === "string") properties[p.table] = pluginTable(p, false);
  }
  const health = properties.health as Json | undefined;
  const healthProps = health?.properties as Json | undefined;
  if (healthProps !== undefined) {
    const variants: Json[] = registry
      .all()
      .filter((p) => p.kind === "health")
      .map((p) => {
        const t = pluginTable(p, true);
        return { ...t, properties: { ...(t.properties as Json), enabled: { type: "boolean", description: "false turns this check off. Default true." } } };
      });
    variants.push({
      type: "object",
      title: "plugin by path",
      description: 'A health check loaded from a file: plugin = "./path.ts" (relative to the config file).',
      properties: { plugin: { type: "string", pattern: "^(\\./|\\.\\./|/).+" }, enabled: { type: "boolean" } },
      required: ["plugin"],
    });
    healthProps.checks = {
      type: "object",
      description: (healthProps.checks as Json | undefined)?.description,
      additionalProperties: { anyOf: variants },
    };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://edgewatch.dev/schema/edgewatch.schema.json",
    title: "edgewatch config",
    ...root,
    properties,
  };
}
