import { afterAll, describe, expect, it } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../../core/config/load.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";

const repo = resolve(import.meta.dir, "../..");

/**
 * What docs/writing-a-strategy.md tells a user to do: a folder outside the repo, the API linked as
 * `edgewatch` (node_modules/edgewatch → the checkout, as `bun link edgewatch` does), the example copied.
 */
function userFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "edgewatch-user-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(repo, join(dir, "node_modules", "edgewatch"), "dir");
  mkdirSync(join(dir, "my-strategy"));
  for (const f of ["index.ts", "config.ts", "index.test.ts"]) copyFileSync(join(repo, "strategies/example", f), join(dir, "my-strategy", f));
  writeFileSync(
    join(dir, "bot.toml"),
    [
      "[feeds.a]",
      'plugin = "demo"',
      'instruments = [{ id = "X", start_price = 100, tick = 0.01 }]',
      "",
      "[strategies.mine]",
      'plugin = "./my-strategy/index.ts"',
      'buy = { feed = "a", instrument = "X", taker_fee_bps = 5 }',
      'sell = { feed = "a", instrument = "X", taker_fee_bps = 5 }',
      "min_edge_bps = 10",
      "",
    ].join("\n"),
  );
  return dir;
}

const dir = userFolder();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a user strategy outside the repo", () => {
  it("does load by path from a config, its schema validating the table", async () => {
    const config = await loadConfig(join(dir, "bot.toml"), { registry: builtinRegistry, env: {} });
    const mine = config.instances.find((i) => i.id === "mine")!;
    expect(mine.kind).toBe("strategy");
    expect(mine.plugin.name).toBe("example");
    expect((mine.config as { min_edge_bps: number }).min_edge_bps).toBe(10);
  });

  it("does pass its own test, importing edgewatch and edgewatch/testing", () => {
    const run = Bun.spawnSync(["bun", "test"], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    const out = run.stdout.toString() + run.stderr.toString();
    expect(out).toContain(" 2 pass");
    expect(run.exitCode).toBe(0);
  });
});
