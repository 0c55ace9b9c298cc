import { afterEach, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { loadConfig } from "../../core/config/load.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import { startBot, type RunningBot } from "../../core/start.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { tickControls } from "./fixtures/tick-feed.ts";
import { settle, tempDir } from "./kit.ts";

const token = "reload-token-0123456789";
const fixtures = join(import.meta.dir, "fixtures").replaceAll("\\", "/");
let bot: RunningBot | undefined;
let clock = new ManualClock(0);
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

function toml(parts: { feeds?: string[]; strategy?: boolean; heartbeatMs?: number; extra?: string }): string {
  const feeds = parts.feeds ?? ["venue_a", "venue_b"];
  return [
    `[bot]\nname = "reload"\ndata_dir = "data"`,
    `[http]\nlisten = "127.0.0.1:0"\ntoken = "${token}"`,
    `[health]\nheartbeat_timeout_ms = ${parts.heartbeatMs ?? 30000}`,
    ...feeds.map((f) => `[feeds.${f}]\nplugin = "${fixtures}/tick-feed.ts"\ninstruments = ["BTC-PERP"]`),
    parts.strategy === false ? "" : `[strategies.watch]\nplugin = "${fixtures}/noop-strategy.ts"\nfeeds = ["venue_a"]`,
    parts.extra ?? "",
  ].join("\n\n");
}

async function boot(text: string, signals = false): Promise<{ file: string; logs: MemorySink }> {
  const dir = tempDir("edgewatch-reload-");
  const file = join(dir, "bot.toml");
  writeFileSync(file, text);
  const logs = new MemorySink();
  bot = await startBot(await loadConfig(file, { registry: builtinRegistry, env: {} }), { clock: (clock = new ManualClock(1_800_000_000_000)), log: createLogger({ sink: logs }), signals, schedules: false });
  return { file, logs };
}

const connections = (): Record<string, string | undefined> => Object.fromEntries(["venue_a", "venue_b", "venue_c"].filter((f) => bot!.runtime.instances().has(f)).map((f) => [f, `${tickControls.get(f)!.connectionId}/gen${bot!.runtime.instances().get(f)!.generation}`]));

async function reloadOverHttp(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bot!.http!.url}/api/control/reload`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("reload", () => {
  it("does add a feed over HTTP and keep the unchanged feeds' connections", async () => {
    const { file } = await boot(toml({}));
    const before = connections();
    writeFileSync(file, toml({ feeds: ["venue_a", "venue_b", "venue_c"] }));
    const r = await reloadOverHttp();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, started: ["venue_c"], stopped: [] });
    const after = connections();
    const kept: Record<string, string | undefined> = { venue_a: after.venue_a, venue_b: after.venue_b };
    expect(kept).toEqual(before);
    expect(after.venue_c).toBeDefined();
  });

  it("does remove a strategy without touching the feeds", async () => {
    const { file } = await boot(toml({}));
    const before = connections();
    writeFileSync(file, toml({ strategy: false }));
    const r = await reloadOverHttp();
    expect(r.body).toMatchObject({ ok: true, started: [], stopped: ["watch"] });
    expect(bot!.runtime.instances().has("watch")).toBe(false);
    expect(connections()).toEqual(before);
  });

  it("does change a threshold: the store, the health checks and /ready use it, connections stay", async () => {
    const { file } = await boot(toml({}));
    const before = connections();
    writeFileSync(file, toml({ heartbeatMs: 1234 }));
    const r = await reloadOverHttp();
    expect(r.body).toMatchObject({ ok: true, started: [], stopped: [] });
    expect(bot!.runtime.config.core.health.heartbeat_timeout_ms).toBe(1234);
    expect(connections()).toEqual(before);
    tickControls.get("venue_b")!.stall();
    for (let i = 0; i < 25; i++) (clock.advance(100), await settle(2));
    const heartbeat = bot!.health.entries().find((e) => e.check === "heartbeat" && e.subject === "venue_b")!;
    expect(heartbeat.status).toBe("degraded");
    expect(heartbeat.reason).toContain("heartbeat_timeout_ms 1234");
    expect((await fetch(`${bot!.http!.url}/ready`)).status).toBe(503);
  });

  it("does restart a changed feed alone, without a health alert", async () => {
    const { file } = await boot(toml({}));
    const health: string[] = [];
    bot!.runtime.bus.on("alert", (a) => void (a.kind === "health" && health.push(a.title)), "test");
    const before = connections();
    writeFileSync(file, toml({}).replace(/(\[feeds\.venue_b\]\nplugin = "[^"]+"\ninstruments = )\["BTC-PERP"\]/, '$1["BTC-PERP", "ETH-PERP"]'));
    const r = await reloadOverHttp();
    expect(r.body).toMatchObject({ ok: true, started: ["venue_b"], stopped: ["venue_b"] });
    for (let i = 0; i < 30; i++) (clock.advance(100), await settle(2));
    const after = connections();
    expect(after.venue_a).toBe(before.venue_a);
    expect(after.venue_b).not.toBe(before.venue_b);
    expect(health).toEqual([]);
  });

  it("does reject an invalid file with its file:line problems and keep running the old config", async () => {
    const { file } = await boot(toml({}));
    const before = connections();
    const config = bot!.runtime.config;
    writeFileSync(file, `${toml({})}\n\n[feeds.venue_d]\nplugin = "${fixtures}/tick-feed.ts"\ninstrumnts = ["X"]\n`);
    const r = await reloadOverHttp();
    expect(r.status).toBe(422);
    const problems = (r.body.error as { problems: string[] }).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.startsWith(`${file}:`) && p.includes("feeds.venue_d"))).toBe(true);
    expect(bot!.runtime.config).toBe(config);
    expect(connections()).toEqual(before);
    expect((await fetch(`${bot!.http!.url}/health`)).status).toBe(200);
  });

  it("does reload on SIGHUP the same way", async () => {
    const { file } = await boot(toml({}), true);
    const before = connections();
    writeFileSync(file, toml({ feeds: ["venue_a", "venue_b", "venue_c"] }));
    process.kill(process.pid, "SIGHUP");
    for (let i = 0; i < 200 && !bot!.runtime.instances().has("venue_c"); i++) await settle(5);
    expect(bot!.runtime.instances().has("venue_c")).toBe(true);
    const after = connections();
    const kept: Record<string, string | undefined> = { venue_a: after.venue_a, venue_b: after.venue_b };
    expect(kept).toEqual(before);
  });
});
