/**
 * The equivalence registry: which markets on different platforms settle on the same event, and which
 * way round (YES on one may be NO on another). Loaded from TOML with the main config's error style
 * (`file:LINE:COL: key.path: …`, every problem at once) and reloadable while the bot runs.
 *
 * Only entries a person wrote (or uncommented) here exist: the matcher proposes, it never confirms.
 */
import { watch, type FSWatcher } from "node:fs";
import * as v from "valibot";
import { ConfigError, type ConfigProblem } from "../errors.ts";
import { parseTomlSource } from "../config/toml.ts";
import { scanPositions } from "../config/positions.ts";
import { formatPath, issueToProblem } from "../config/problems.ts";
import { checkEquivalenceFile, equivalenceFileSchema } from "./schema.ts";

/** One market of a group, as confirmed in the registry. */
export interface EquivalentMarket {
  /** Feed instance id. */
  readonly feed: string;
  /** The venue's market id. */
  readonly market: string;
  /** True when this market's YES is the group's NO. */
  readonly inverted: boolean;
  /** Explicit YES / NO instrument ids; absent = from the feed's `market.new`. */
  readonly yes?: string;
  readonly no?: string;
  readonly title?: string;
}

/** A group of equivalent markets. */
export interface EquivalenceGroup {
  readonly name: string;
  readonly question?: string;
  /** Resolution sources and cut-offs, as the person who confirmed the group wrote them. */
  readonly resolution: string;
  /** Epoch ms after which the group is ignored. */
  readonly expiresAt: number;
  readonly markets: readonly EquivalentMarket[];
  /** Line of the group's `[[groups]]` header. */
  readonly line: number;
}

/** A loaded registry. */
export interface EquivalenceRegistry {
  readonly file: string;
  readonly groups: readonly EquivalenceGroup[];
}

/**
 * Parses and validates a registry source. Throws `ConfigError` listing every problem with its line.
 *
 * @example
 * const reg = parseEquivalences(await Bun.file(path).text(), path);
 * for (const g of activeGroups(reg, Date.now())) console.log(g.name, g.markets.length);
 */
export function parseEquivalences(source: string, file: string): EquivalenceRegistry {
  const raw = parseTomlSource(source, file);
  const positions = scanPositions(source);
  const parsed = v.safeParse(equivalenceFileSchema, raw, { abortEarly: false });
  if (!parsed.success) {
    const problems = parsed.issues.map((issue) => issueToProblem(file, positions, [], equivalenceFileSchema, issue));
    throw new ConfigError(sorted(problems));
  }
  const cross = checkEquivalenceFile(parsed.output);
  if (cross.length > 0) {
    throw new ConfigError(
      sorted(
        cross.map((p) => {
          const pos = positions.value(p.path) ?? positions.locate(p.path);
          return { file, line: pos.line, col: pos.col, path: formatPath(p.path), message: p.message };
        }),
      ),
    );
  }
  const groups = parsed.output.groups.map((g, i): EquivalenceGroup => ({
    name: g.name,
    ...(g.question === undefined ? {} : { question: g.question }),
    resolution: g.resolution,
    expiresAt: g.expires,
    markets: g.markets.map((m) => ({
      feed: m.feed,
      market: m.market,
      inverted: m.inverted,
      ...(m.yes === undefined ? {} : { yes: m.yes }),
      ...(m.no === undefined ? {} : { no: m.no }),
      ...(m.title === undefined ? {} : { title: m.title }),
    })),
    line: (positions.key(["groups", i]) ?? positions.locate(["groups", i])).line,
  }));
  return { file, groups };
}

/** Reads and validates a registry file (`ConfigError` when invalid or missing). */
export async function loadEquivalences(file: string): Promise<EquivalenceRegistry> {
  const f = Bun.file(file);
  if (!(await f.exists())) throw new ConfigError([{ file, line: 1, col: 1, path: "", message: "expected an equivalence registry file, found no file at this path" }]);
  return parseEquivalences(await f.text(), file);
}

/** Groups not yet expired at `now` (epoch ms). */
export function activeGroups(registry: EquivalenceRegistry, now: number): EquivalenceGroup[] {
  return registry.groups.filter((g) => g.expiresAt > now);
}

/**
 * Calls `onChange` (debounced by `debounceMs`) whenever the file changes on disk. Editors often write a
 * file twice or replace it, so the watcher re-arms itself after a rename. Returns a stop function.
 *
 * @example
 * const stop = watchFile(path, () => void reload());
 */
export function watchFile(file: string, onChange: () => void, debounceMs = 100): () => void {
  let watcher: FSWatcher | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const fire = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(function onDebounced() {
      timer = undefined;
      if (stopped) return;
      arm(); // a replaced file (rename) needs a fresh watch
      onChange();
    }, debounceMs);
  };
  const arm = (): void => {
    watcher?.close();
    try {
      watcher = watch(file, fire);
    } catch {
      watcher = undefined; // the file is gone for now; an explicit reload can still pick it up
    }
  };
  arm();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    watcher?.close();
  };
}

function sorted(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}
