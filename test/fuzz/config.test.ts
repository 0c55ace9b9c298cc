import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfigSource } from "../../core/config/load.ts";
import { ConfigError } from "../../core/errors.ts";
import { createRegistry } from "../../core/registry.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { binanceFeed } from "../../plugins/feeds/binance/index.ts";
import { bybitFeed } from "../../plugins/feeds/bybit/index.ts";
import { hyperliquidFeed } from "../../plugins/feeds/hyperliquid/index.ts";
import { okxFeed } from "../../plugins/feeds/okx/index.ts";
import { paradexFeed } from "../../plugins/feeds/paradex/index.ts";
import { polymarketFeed } from "../../plugins/feeds/polymarket/index.ts";
import { baseSeed, budgetMs, mutateText, Rng } from "./mutate.ts";

// the built-ins, plus the venue feeds not (yet) among them, so the example configs validate in depth
const venueFeeds = [okxFeed, hyperliquidFeed, polymarketFeed, binanceFeed, bybitFeed, paradexFeed];
const registry = createRegistry([...builtinRegistry.all(), ...venueFeeds.filter((f) => builtinRegistry.get("feed", f.name) === undefined)]);
const configsDir = join(import.meta.dir, "..", "..", "configs");
const FILE = join(import.meta.dir, "fuzz.toml");
const env: Record<string, string> = { TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_CHAT_ID: "42", EDGEWATCH_TOKEN: "t", DISCORD_WEBHOOK_URL: "https://discord.test/x" };

/** The committed example configs: the seed corpus. */
const corpus = readdirSync(configsDir)
  .filter((f) => f.endsWith(".toml"))
  .map((f) => readFileSync(join(configsDir, f), "utf8"));

const VALUES = ['"demo"', '"perp-spread"', "0", "-1", "1.5", "1e309", "true", '""', "[]", "{}", '["a", "b"]', '{ a = 1 }', '"${MISSING_ENV}"', "nan", "inf", "1979-05-27", '"x"'];
const KEYS = ["plugin", "feeds", "instruments", "interval_ms", "min_edge_bps", "size_usd", "notifiers", "cron", "name", "log_level", "data_dir", "listen", "unknown_key", "cooldown_ms", "start_price", "tick", "taker_fee_bps"];
const TABLES = ["[bot]", "[feeds.a]", "[feeds.b]", "[strategies.s]", "[notifiers.n]", "[[alerts.routes]]", "[[schedules]]", "[http]", "[health]", "[sinks.r]", "[feeds.a.discovery]"];

/** A random config from the project's own vocabulary (tables, keys, values of every type). */
function randomConfig(rng: Rng): string {
  const lines: string[] = [];
  for (let t = rng.int(6); t >= 0; t--) {
    lines.push(rng.pick(TABLES));
    for (let k = rng.int(6); k >= 0; k--) lines.push(`${rng.pick(KEYS)} = ${rng.pick(VALUES)}`);
  }
  return lines.join("\n");
}

/** A mutated config: lines dropped, duplicated, swapped, values retyped, keys renamed, or raw text mutations. */
function mutateConfig(rng: Rng, source: string): string {
  const lines = source.split("\n");
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const i = rng.int(lines.length);
    switch (rng.int(7)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[i] ?? "");
        break;
      case 2: {
        const j = rng.int(lines.length);
        [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
        break;
      }
      case 3:
        lines[i] = (lines[i] ?? "").replace(/=\s*(.*)$/, () => `= ${rng.pick(VALUES)}`);
        break;
      case 4:
        lines[i] = (lines[i] ?? "").replace(/^(\s*)([a-z_]+)/, (_m, sp: string) => `${sp}${rng.pick(KEYS)}`);
        break;
      case 5:
        lines.splice(i, 0, `${rng.pick(KEYS)} = ${rng.pick(VALUES)}`);
        break;
      default:
        lines[i] = mutateText(rng, lines[i] ?? "");
    }
  }
  return lines.join("\n");
}

async function check(source: string): Promise<"ok" | "config-error"> {
  try {
    await loadConfigSource(source, FILE, { registry, env });
    return "ok";
  } catch (error) {
    if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    expect(error.problems.length).toBeGreaterThan(0);
    for (const p of error.problems) {
      if (!(Number.isInteger(p.line) && p.line >= 1 && Number.isInteger(p.col) && p.col >= 1)) throw new Error(`problem without a position: ${JSON.stringify(p)}`);
      if (p.file !== FILE || p.message === "") throw new Error(`problem without a file or message: ${JSON.stringify(p)}`);
    }
    return "config-error";
  }
}

async function fuzz(name: string, seed: number, make: (rng: Rng) => string): Promise<{ runs: number; ok: number; errors: number }> {
  const end = performance.now() + budgetMs(2_000);
  let runs = 0;
  let ok = 0;
  let errors = 0;
  for (; runs < 3_000 && (runs < 30 || performance.now() < end); runs++) {
    const s = (seed + runs) >>> 0;
    const source = make(new Rng(s));
    try {
      if ((await check(source)) === "ok") ok++;
      else errors++;
    } catch (error) {
      throw new Error(`${name}: failed at seed ${s} (reproduce with FUZZ_SEED=${s}):\n${source}\n---\n${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { runs, ok, errors };
}

describe("config loading under random and mutated TOML", () => {
  it("does load the example configs (the seed corpus)", async () => {
    expect(corpus.length).toBeGreaterThan(0);
    const results = [];
    for (const source of corpus) results.push(await check(source));
    expect(results.filter((r) => r === "ok").length).toBeGreaterThan(0);
  });

  it("does answer random configs only with ConfigErrors that carry a line and a column", async () => {
    const r = await fuzz("random config", baseSeed(0xc0f1), randomConfig);
    expect(r.runs).toBeGreaterThanOrEqual(30);
    expect(r.errors).toBeGreaterThan(0);
  });

  it("does answer mutated example configs only with ConfigErrors that carry a line and a column", async () => {
    const r = await fuzz("mutated config", baseSeed(0xc0f2), (rng) => mutateConfig(rng, rng.pick(corpus)));
    expect(r.runs).toBeGreaterThanOrEqual(30);
    expect(r.errors).toBeGreaterThan(0);
  });
});
