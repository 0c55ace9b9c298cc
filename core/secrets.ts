/**
 * Every value that came from `${VAR}` in a config is registered here, and every text that leaves the
 * process (logs, error text, HTTP answers, `check` output) passes through `redact`.
 */
const secrets = new Set<string>();
let pattern: RegExp | undefined;

/** Registers a value taken from the environment. Values shorter than 4 characters are not worth hiding. */
export function registerSecret(value: string): void {
  if (value.length < 4 || secrets.has(value)) return;
  secrets.add(value);
  pattern = undefined;
}

/** Replaces every registered secret in `text` with `***`. */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  pattern ??= new RegExp(
    [...secrets]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|"),
    "g",
  );
  return text.replace(pattern, "***");
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
  pattern = undefined;
}

/**
 * A copy of `value` with every string leaf redacted (JSON answers: redacting serialized text could cut
 * through JSON syntax; leaves cannot).
 */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
