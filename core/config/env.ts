/**
 * `${VAR}` and `${VAR:-default}` in config string values, replaced from the environment at load.
 * A substituted value is registered as a secret (redacted from logs, error text and API answers) when the
 * last named key of its path looks secret (`secretKey`: token, secret, key, password, passphrase, jwt,
 * private, credential, auth, signature, webhook_url — webhook URLs embed their token); URLs, chat ids and
 * numbers under other keys stay readable, so redaction never rewrites them inside other text.
 */
import { registerSecret } from "../secrets.ts";

/** A key path in the config: table keys and array indexes. */
export type KeyPath = readonly (string | number)[];

/** A `${VAR}` that could not be resolved, with its key path. */
export interface EnvProblem {
  readonly path: KeyPath;
  readonly message: string;
}

/** Key names whose values are secrets (matched against the last string segment of a key path). */
const secretKey = /token|secret|key|password|passphrase|jwt|private|credential|auth|signature|webhook_url/i;

/**
 * True when a value at `path` is a secret: its last named key (array indexes skipped) looks like one.
 *
 * @example
 * isSecretPath(["notifiers", "tg", "bot_token"]) // true
 * isSecretPath(["feeds", "a", "ws_url"])          // false
 */
export function isSecretPath(path: KeyPath): boolean {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === "string") return secretKey.test(seg);
  }
  return false;
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
    const secret = isSecretPath(path);
    const parts = text.split("$${");
    const replaced = parts.map((part) =>
      part.replace(reference, (_m, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== "") {
          if (secret) registerSecret(found);
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
