/**
 * `bun run bot match --config f [options]`: collects the catalogs of the config's feeds (their
 * `market.new` events, for `--wait-ms`), or reads saved catalogs, proposes equivalent pairs across feeds
 * and writes them as commented-out registry entries. Nothing is confirmed or traded by this command.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadedConfig } from "../config/load.ts";
import { loadConfig } from "../config/load.ts";
import type { MarketNew } from "../events.ts";
import { ConfigError, describeError, formatProblem } from "../errors.ts";
import { createLogger } from "../log.ts";
import type { PluginRegistry } from "../registry.ts";
import { Runtime } from "../runtime.ts";
import { type CatalogMarket, DEFAULT_MIN_SCORE, proposePairs } from "./match.ts";
import { loadEquivalences } from "./registry.ts";
import { catalogFromMarketNew, renderProposals } from "./render.ts";

/** Usage text of the `match` command. */
export const matchUsage = `Usage: bun run bot match --config <file.toml> [options]
Proposes markets of different feeds that look like the same question (normalized title, end date,
outcome names), each with a score and its reasons, as commented-out equivalence-registry entries.
A person confirms an entry by checking both venues' resolution rules and uncommenting it; only
confirmed entries feed strategies.

Options:
  --config <file.toml>     run this config's feeds (only) and collect their market.new catalogs
  --wait-ms <ms>           how long to collect (default 15000)
  --catalog <file.json>    read a saved catalog instead (repeatable): [{feed, market, question, outcomes, endDate}]
  --save-catalog <file>    also write the collected catalog as JSON
  --registry <file.toml>   leave out pairs already confirmed in this registry
  --min-score <x>          least score proposed (default ${DEFAULT_MIN_SCORE})
  --out <file.toml>        write the proposals here (default: stdout)`;

/** Parsed `match` arguments. */
export interface MatchArgs {
  readonly config?: string;
  readonly waitMs: number;
  readonly catalogs: readonly string[];
  readonly saveCatalog?: string;
  readonly registry?: string;
  readonly minScore: number;
  readonly out?: string;
}

/** Parses `match` arguments; a string is the usage problem. */
export function parseMatchArgs(args: readonly string[]): MatchArgs | string {
  const o: { config?: string; waitMs: number; catalogs: string[]; saveCatalog?: string; registry?: string; minScore: number; out?: string } = { waitMs: 15_000, catalogs: [], minScore: DEFAULT_MIN_SCORE };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) return `${a} needs a value`;
    i++;
    switch (a) {
      case "--config":
        o.config = v;
        break;
      case "--catalog":
        o.catalogs.push(v);
        break;
      case "--save-catalog":
        o.saveCatalog = v;
        break;
      case "--registry":
        o.registry = v;
        break;
      case "--out":
        o.out = v;
        break;
      case "--wait-ms":
      case "--min-score": {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) return `${a} expects a number, found "${v}"`;
        if (a === "--wait-ms") o.waitMs = n;
        else o.minScore = n;
        break;
      }
      default:
        return `unknown option ${a}`;
    }
  }
  if (o.config === undefined && o.catalogs.length === 0) return "give --config <file.toml> or --catalog <file.json>";
  return o;
}

/** Reads a saved catalog: catalog entries, or `market.new` payloads. */
async function readCatalog(file: string): Promise<CatalogMarket[]> {
  const raw = (await Bun.file(file).json()) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a JSON array of markets`);
  return raw.map((x: Record<string, unknown>, i): CatalogMarket => {
    if (typeof x.instrument === "string" && Array.isArray(x.instruments)) return catalogFromMarketNew(x as unknown as MarketNew);
    if (typeof x.feed !== "string" || typeof x.market !== "string" || typeof x.question !== "string") throw new Error(`${file}: entry ${i} needs feed, market and question`);
    const end = typeof x.endDate === "number" ? x.endDate : typeof x.endDate === "string" ? Date.parse(x.endDate) : Number.NaN;
    return { feed: x.feed, market: x.market, question: x.question, outcomes: Array.isArray(x.outcomes) ? x.outcomes.map(String) : ["Yes", "No"], ...(Number.isFinite(end) ? { endDate: end } : {}) };
  });
}

/** Runs only the config's feeds for `waitMs` and returns the markets they announced. */
export async function collectCatalog(config: LoadedConfig, waitMs: number, err: (line: string) => void): Promise<CatalogMarket[]> {
  // feeds only, and a throwaway data dir: the alert outbox of a bot running the same config is not touched
  const scratch = mkdtempSync(join(tmpdir(), "edgewatch-match-"));
  const feedsOnly: LoadedConfig = { ...config, core: { ...config.core, bot: { ...config.core.bot, data_dir: scratch } }, instances: config.instances.filter((i) => i.kind === "feed") };
  const rt = new Runtime(feedsOnly, { schedules: false, log: createLogger({ level: "warn", format: config.core.bot.log_format }) });
  const seen = new Map<string, CatalogMarket>();
  rt.bus.on("market.new", (m) => void seen.set(`${m.feed}\u0000${m.instrument}`, catalogFromMarketNew(m)), "match");
  await rt.start();
  err(`collecting market.new from ${feedsOnly.instances.length} feed(s) for ${waitMs} ms…`);
  await Bun.sleep(waitMs);
  await rt.stop();
  rmSync(scratch, { recursive: true, force: true });
  return [...seen.values()];
}

/** The `match` command: resolves the exit code (0 ok, 1 failure, 2 usage). */
export async function matchCommand(args: readonly string[], io: { registry: PluginRegistry; out: (t: string) => void; err: (t: string) => void }): Promise<number> {
  const parsed = parseMatchArgs(args);
  if (typeof parsed === "string") {
    io.err(`${parsed}\n\n${matchUsage}`);
    return 2;
  }
  try {
    const catalog: CatalogMarket[] = [];
    for (const file of parsed.catalogs) catalog.push(...(await readCatalog(file)));
    if (parsed.config !== undefined) catalog.push(...(await collectCatalog(await loadConfig(parsed.config, { registry: io.registry }), parsed.waitMs, io.err)));
    if (parsed.saveCatalog !== undefined) writeFileSync(parsed.saveCatalog, JSON.stringify(catalog, null, 1));
    let pairs = proposePairs(catalog, { minScore: parsed.minScore });
    if (parsed.registry !== undefined) {
      const reg = await loadEquivalences(parsed.registry);
      const confirmed = new Set(reg.groups.flatMap((g) => g.markets.map((m) => `${m.feed}\u0000${m.market}`)));
      pairs = pairs.filter((p) => !(confirmed.has(`${p.a.feed}\u0000${p.a.market}`) && confirmed.has(`${p.b.feed}\u0000${p.b.market}`)));
    }
    const text = renderProposals(pairs, Date.now());
    const feeds = new Set(catalog.map((m) => m.feed));
    io.err(`${catalog.length} markets from ${feeds.size} feed(s); ${pairs.length} candidate pair(s) at score ≥ ${parsed.minScore}${parsed.out === undefined ? "" : ` → ${parsed.out}`}`);
    if (parsed.out === undefined) io.out(text);
    else writeFileSync(parsed.out, text);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) for (const p of error.problems) io.err(formatProblem(p));
    else io.err(`error: ${describeError(error)}`);
    return 1;
  }
}
