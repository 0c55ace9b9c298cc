/**
 * Turns valibot issues into positioned config problems:
 * `file:LINE:COL: key.path: expected …, found … (did you mean "…"?)`.
 */
import type * as v from "valibot";
import type { ConfigProblem } from "../errors.ts";
import type { KeyPositions } from "./positions.ts";
import { suggest } from "./suggest.ts";

export type KeyPath = readonly (string | number)[];

/** `alerts.routes[0].notifiers`, with quoted segments where a key is not bare. */
export function formatPath(path: KeyPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const bare = /^[A-Za-z0-9_-]+$/.test(seg) ? seg : JSON.stringify(seg);
      out += out === "" ? bare : `.${bare}`;
    }
  }
  return out;
}

/** Finds the sub-schema at `path`, looking through optional, pipe, record, array and union wrappers. */
export function schemaAt(schema: v.GenericSchema, path: KeyPath): v.GenericSchema | undefined {
  let node: v.GenericSchema | undefined = unwrap(schema);
  for (const seg of path) {
    if (node === undefined) return undefined;
    const n = node as unknown as Record<string, unknown>;
    if (typeof seg === "string" && typeof n.entries === "object" && n.entries !== null) {
      node = unwrap((n.entries as Record<string, v.GenericSchema>)[seg]);
    } else if (typeof seg === "number" && typeof n.item === "object") {
      node = unwrap(n.item as v.GenericSchema);
    } else if (typeof seg === "string" && typeof n.value === "object" && n.type === "record") {
      node = unwrap(n.value as v.GenericSchema);
    } else return undefined;
  }
  return node;
}

function unwrap(schema: v.GenericSchema | undefined): v.GenericSchema | undefined {
  let node = schema as unknown as Record<string, unknown> | undefined;
  for (let i = 0; i < 8 && node !== undefined; i++) {
    if (typeof node.wrapped === "object" && node.wrapped !== null) node = node.wrapped as Record<string, unknown>;
    else break;
  }
  return node as unknown as v.GenericSchema | undefined;
}

/** Keys a strict object schema accepts. */
export function knownKeys(schema: v.GenericSchema | undefined): string[] {
  const entries = (schema as unknown as { entries?: Record<string, unknown> } | undefined)?.entries;
  return entries === undefined ? [] : Object.keys(entries);
}

function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return `a date (${value.toISOString()})`;
  if (value !== null && typeof value === "object") return "a table";
  return String(value);
}

function describeExpected(issue: v.BaseIssue<unknown>): string {
  const expected = issue.expected ?? "a valid value";
  if (issue.type === "strict_object") return "a known key";
  if (issue.kind === "validation") {
    // `expected` of a validation is terse (">=0", "host:port"); say what the check was.
    switch (issue.type) {
      case "min_value":
        return `a value ${expected}`;
      case "max_value":
        return `a value ${expected}`;
      case "integer":
        return "a whole number";
      case "min_length":
        return `a length ${expected}`;
      case "regex":
        return expected.startsWith("/") ? `text matching ${expected}` : expected;
      default:
        return expected;
    }
  }
  if (issue.type === "object" || issue.type === "loose_object" || issue.type === "strict_object" || issue.type === "record") return "a table";
  return expected.replace(/^\((.*)\)$/, "$1").replaceAll('" | "', '" or "');
}

/**
 * Converts one valibot issue (path relative to `base`) into a positioned problem. `schema` is the
 * schema validated at `base`, used to list and suggest known keys.
 */
export function issueToProblem(
  file: string,
  positions: KeyPositions,
  base: KeyPath,
  schema: v.GenericSchema,
  issue: v.BaseIssue<unknown>,
): ConfigProblem {
  const rel: (string | number)[] = (issue.path ?? []).map((p) => p.key as string | number);
  const path = [...base, ...rel];
  if (issue.type === "strict_object" && issue.expected === "never") {
    const key = String(rel[rel.length - 1] ?? "");
    const known = knownKeys(schemaAt(schema, rel.slice(0, -1)));
    const hint = suggest(key, known);
    const pos = positions.key(path) ?? positions.locate(path);
    const list = known.length > 0 && known.length <= 12 ? ` (${known.join(", ")})` : "";
    return {
      file,
      ...pos,
      path: formatPath(path),
      message: `expected a known key${list}, found unknown key "${key}"${hint === undefined ? "" : ` (did you mean "${hint}"?)`}`,
    };
  }
  if (issue.kind === "validation" && (issue.type === "raw_check" || issue.type === "check") && issue.message !== "") {
    // a plugin's cross-field check already words its problem as one plain sentence: keep it
    const pos = positions.value(path) ?? positions.locate(path);
    return { file, ...pos, path: formatPath(path), message: issue.message };
  }
  const missing = issue.input === undefined && issue.kind === "schema";
  const pos = missing ? positions.locate(path.slice(0, -1)) : (positions.value(path) ?? positions.locate(path));
  return {
    file,
    ...pos,
    path: formatPath(path),
    message: missing
      ? issue.type === "strict_object" || issue.type === "object" || issue.type === "loose_object"
        ? `expected required key "${String(rel[rel.length - 1] ?? "")}", found nothing`
        : `expected ${describeExpected(issue)}, found nothing (the key is required)`
      : `expected ${describeExpected(issue)}, found ${describeFound(issue.input)}`,
  };
}
