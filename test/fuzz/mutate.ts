/**
 * Seeded fuzzing helpers: a PRNG (mulberry32), text and byte mutations (flips, truncation, splices) and
 * JSON-shape mutations (type swaps, removed/duplicated/emptied members, hostile numbers), and a bounded
 * loop that reports the failing seed. `FUZZ_SEED` and `FUZZ_MS` override the seed and time budget.
 */

/** A deterministic PRNG with helpers. */
export class Rng {
  #a: number;
  constructor(seed: number) {
    this.#a = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const HOSTILE: readonly unknown[] = [
  null, true, false, 0, -0, -1, 1e308, -1e308, 1e-320, 2 ** 53 + 1, "", "0", "-1", "NaN", "Infinity", "-Infinity",
  "1e400", "0x10", " 1", "1,5", "abc", "\u0000", "💥", [], {}, [[]], [["1"]], [["1", "2", "3", "4", "5"]], { a: 1 },
];

/** A fresh copy of a hostile value (shared containers would let later mutations build cycles). */
function hostile(rng: Rng): unknown {
  return structuredClone(rng.pick(HOSTILE));
}

/** A random text mutation: char flips, truncation, splices, deletions, duplications. */
export function mutateText(rng: Rng, text: string): string {
  if (text.length === 0) return rng.pick(["{", "[", "\"", "null", "{}"]);
  const i = rng.int(text.length);
  switch (rng.int(7)) {
    case 0: // flip one character to a random byte-range character
      return text.slice(0, i) + String.fromCharCode(rng.int(256)) + text.slice(i + 1);
    case 1: // truncate
      return text.slice(0, i);
    case 2: // drop a span
      return text.slice(0, i) + text.slice(Math.min(text.length, i + 1 + rng.int(20)));
    case 3: // duplicate a span
      return text.slice(0, i) + text.slice(i, i + 1 + rng.int(30)) + text.slice(i);
    case 4: // structural character
      return text.slice(0, i) + rng.pick(["{", "}", "[", "]", ",", ":", "\"", "-", "e", ".", "0"]) + text.slice(i);
    case 5: // swap a digit
      return text.replace(/\d/g, (d) => (rng.chance(0.05) ? String(rng.int(10)) : d));
    default: // several flips
      return Array.from(text, (c) => (rng.chance(0.01) ? String.fromCharCode(rng.int(128)) : c)).join("");
  }
}

/** A random byte mutation of a binary frame: flips, truncation, extension, zeroed or 0xff runs. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes);
  if (out.length === 0) return new Uint8Array([rng.int(256)]);
  switch (rng.int(5)) {
    case 0:
      for (let k = 0; k < 1 + rng.int(4); k++) {
        const at = rng.int(out.length);
        out[at] = out[at]! ^ (1 << rng.int(8));
      }
      return out;
    case 1:
      return out.slice(0, rng.int(out.length));
    case 2: {
      const longer = new Uint8Array(out.length + 1 + rng.int(64));
      longer.set(out);
      for (let k = out.length; k < longer.length; k++) longer[k] = rng.int(256);
      return longer;
    }
    case 3: {
      const at = rng.int(out.length);
      out.fill(rng.chance(0.5) ? 0 : 0xff, at, Math.min(out.length, at + 1 + rng.int(8)));
      return out;
    }
    default:
      out[rng.int(out.length)] = rng.int(256);
      return out;
  }
}

type Json = unknown;

/** Every container path in a JSON value. */
function containers(v: Json, out: (Json[] | Record<string, Json>)[] = []): (Json[] | Record<string, Json>)[] {
  if (Array.isArray(v)) {
    out.push(v);
    for (const x of v) containers(x, out);
  } else if (typeof v === "object" && v !== null) {
    out.push(v as Record<string, Json>);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

/** A random JSON-shape mutation of a parsed value (mutated in place; returns the root, which may change). */
export function mutateJson(rng: Rng, root: Json): Json {
  const all = containers(root);
  if (all.length === 0) return hostile(rng);
  const c = rng.pick(all);
  const keys = Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c);
  if (keys.length === 0) {
    if (Array.isArray(c)) c.push(hostile(rng));
    else c[rng.pick(["data", "bids", "asks", "type", "event", "x"])] = hostile(rng);
    return root;
  }
  const k = rng.pick(keys as (string | number)[]);
  const get = (): Json => (c as Record<string | number, Json>)[k];
  const set = (v: Json): void => {
    (c as Record<string | number, Json>)[k] = v;
  };
  switch (rng.int(8)) {
    case 0: // type swap
      set(hostile(rng));
      return root;
    case 1: // number ↔ string
      set(typeof get() === "string" ? Number(get()) : typeof get() === "number" ? String(get()) : JSON.stringify(get()));
      return root;
    case 2: // remove
      if (Array.isArray(c)) c.splice(k as number, 1);
      else delete c[k as string];
      return root;
    case 3: // duplicate (arrays) or copy under a sibling key
      if (Array.isArray(c)) c.splice(k as number, 0, structuredClone(get()));
      else c[`${String(k)}_`] = structuredClone(get());
      return root;
    case 4: // empty a container
      set(Array.isArray(get()) ? [] : typeof get() === "object" && get() !== null ? {} : get());
      return root;
    case 5: // negate or scale a number (or a numeric string)
      {
        const v = get();
        const n = typeof v === "string" ? Number(v) : typeof v === "number" ? v : Number.NaN;
        if (Number.isFinite(n)) set(typeof v === "string" ? String(rng.pick([-n, n * 1e12, n / 1e12, 0, -0])) : rng.pick([-n, n * 1e12, 0, Number.MAX_VALUE]));
        else set(hostile(rng));
      }
      return root;
    case 6: // wrap in an array
      set([get()]);
      return root;
    default: // replace the whole root
      return rng.chance(0.2) ? hostile(rng) : root;
  }
}

/** One mutated frame of `frame`: shape mutations on parsed JSON, or text mutations, or bytes for binary. */
export function mutateFrame(rng: Rng, frame: string | Uint8Array): string | Uint8Array {
  if (typeof frame !== "string") return mutateBytes(rng, frame);
  if (rng.chance(0.55)) {
    let v: Json;
    try {
      v = JSON.parse(frame);
    } catch {
      return mutateText(rng, frame);
    }
    for (let n = 1 + rng.int(3); n > 0; n--) v = mutateJson(rng, v);
    return JSON.stringify(v) ?? "null";
  }
  return mutateText(rng, frame);
}

/** The base seed: `FUZZ_SEED` or a fixed default (CI reproduces by default). */
export function baseSeed(fallback: number): number {
  const s = process.env.FUZZ_SEED;
  return s !== undefined && s !== "" ? Number(s) >>> 0 : fallback;
}

/** The time budget per fuzz test, ms (`FUZZ_MS`, default `fallback`). */
export function budgetMs(fallback: number): number {
  const s = process.env.FUZZ_MS;
  return s !== undefined && s !== "" ? Number(s) : fallback;
}

/**
 * Runs `body(rng, i)` for iterations seeded `seed + i` until `maxIterations` or the time budget. A throw
 * is rethrown with the iteration's seed, so `FUZZ_SEED=<seed>` replays it as iteration 0.
 */
export function fuzzLoop(name: string, seed: number, maxIterations: number, ms: number, body: (rng: Rng, i: number) => void): number {
  const end = performance.now() + ms;
  let i = 0;
  for (; i < maxIterations && (i < 20 || performance.now() < end); i++) {
    const s = (seed + i) >>> 0;
    try {
      body(new Rng(s), i);
    } catch (error) {
      const msg = error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
      throw new Error(`${name}: failed at seed ${s} (reproduce with FUZZ_SEED=${s}): ${msg}`);
    }
  }
  return i;
}
