/**
 * `${VAR}` and `${VAR:-default}` in config string values, replaced from the environment at load.
 * Every substituted value is registered as a secret so it is redacted from logs and error text.
 */
import { registerSecret } from "../secrets.ts";

export type KeyPath = readonly (string | number)[];

export interface EnvProblem {
  readonly path: KeyPath;
  readonly message: string;
}

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Returns a copy of `value` with every `${VAR}` in its strings replaced, and the problems found
 * (a missing variable with no default, named with its key path). `$${` escapes a literal `${`.
 */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { value: unknown; problems: EnvProblem[] } {
  const problems: EnvProblem[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === "string") return replaceIn(node, path);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === "object" && !(node instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(node)) out[k] = walk(item, [...path, k]);
      return out;
    }
    return node;
  };
  const replaceIn = (text: string, path: KeyPath): string => {
    if (!text.includes("${")) return text;
    const parts = text.split("$${");
    const replaced = parts.map((part) =>
      part.replace(reference, (_m, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== "") {
          registerSecret(found);
          return found;
        }
        if (fallback !== undefined) return fallback;
        problems.push({ path, message: `expected environment variable ${name} to be set, found it unset` });
        return "";
      }),
    );
    return replaced.join("${");
  };
  return { value: walk(value, []), problems };
}
