import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { ManualClock } from "../core/clock.ts";
import { loadConfigSource } from "../core/config/load.ts";
import { PluginError } from "../core/errors.ts";
import { createLogger, MemorySink } from "../core/log.ts";
import { defineFeed, defineNotifier, defineSink, defineStrategy } from "../core/plugin.ts";
import { createRegistry } from "../core/registry.ts";
import { Runtime } from "../core/runtime.ts";

const order: string[] = [];
const mk = (kind: "feed" | "strategy" | "notifier" | "sink", name: string, extra: Record<string, unknown> = {}) => {
  const def = {
    name,
    description: name,
    config: v.strictObject({ fail: v.optional(v.boolean(), false), hang_ms: v.optional(v.number(), 0) }),
    actions: ["poke"],
    setup(ctx: any) {
      if (ctx.config.fail) throw new Error(`${name} cannot start`);
      order.push(`start:${ctx.id}`);
      ctx.action("poke", () => order.push(`poke:${ctx.id}`));
      return {
        ...extra,
        stop: () => {
          order.push(`stop:${ctx.id}`);
          if (ctx.config.hang_ms > 0) return new Promise<void>((r) => setTimeout(r, ctx.config.hang_ms));
        },
      };
    },
  };
  if (kind === "feed") return defineFeed(def);
  if (kind === "strategy") return defineStrategy(def);
  if (kind === "sink") return defineSink({ ...def, table: "recorder" });
  return defineNotifier({ ...def, ...{ setup: (ctx: any) => ({ ...(def.setup(ctx) as object), send: async () => {} }) } });
};
const registry = createRegistry([mk("feed", "f"), mk("strategy", "s"), mk("notifier", "n"), mk("sink", "rec")]);
const file = join(import.meta.dir, "runtime.toml");
// a fresh data dir per run: a reused one keeps the alert outbox (and its ids) of earlier runs
const dataDir = mkdtempSync(join(tmpdir(), "edgewatch-runtime-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const source = `[bot]
data_dir = "${dataDir.replaceAll("\\", "/")}"
[feeds.feed1]
plugin = "f"
[strategies.strat1]
plugin = "s"
[notifiers.note1]
plugin = "n"
[recorder]
`;
const quiet = () => createLogger({ sink: new MemorySink() });

describe("Runtime", () => {
  it("starts sinks → notifiers → strategies → feeds and stops in reverse", async () => {
    order.length = 0;
    const rt = new Runtime(await loadConfigSource(source, file, { registry, env: {} }), { clock: new ManualClock(0), log: quiet(), schedules: false });
    await rt.start();
    expect(order).toEqual(["start:recorder", "start:note1", "start:strat1", "start:feed1"]);
    expect([...rt.instances().values()].every((i) => i.state === "running")).toBe(true);
    await rt.actions.run("feed1.poke", rt.bus, rt.log);
    const report = await rt.stop();
    expect(report.clean).toBe(true);
    expect(order.slice(4)).toEqual(["poke:feed1", "stop:feed1", "stop:strat1", "stop:note1", "stop:recorder"]);
  });

  it("fails the start naming the plugin whose setup threw, and stops what had started", async () => {
    order.length = 0;
    const rt = new Runtime(await loadConfigSource(source.replace('plugin = "s"', 'plugin = "s"\nfail = true'), file, { registry, env: {} }), {
      clock: new ManualClock(0),
      log: quiet(),
      schedules: false,
    });
    const error = await rt.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).plugin).toBe("strat1");
    expect((error as Error).message).toContain("strat1: setup failed: Error: s cannot start");
    expect(order).toEqual(["start:recorder", "start:note1", "stop:note1", "stop:recorder"]);
  });

  it("names the instances that miss the stop deadline", async () => {
    const rt = new Runtime(await loadConfigSource(source.replace('plugin = "f"', 'plugin = "f"\nhang_ms = 2000'), file, { registry, env: {} }), {
      clock: new ManualClock(0),
      log: quiet(),
      schedules: false,
    });
    await rt.start();
    const report = await rt.stop(50);
    expect(report.clean).toBe(false);
    expect(report.timedOut).toEqual(["feed1"]);
  });

  it("reloads by difference: unchanged instances keep running, changed ones restart", async () => {
    order.length = 0;
    const rt = new Runtime(await loadConfigSource(source, file, { registry, env: {} }), { clock: new ManualClock(0), log: quiet(), schedules: false });
    await rt.start();
    const feedGen = rt.instances().get("feed1")!;
    const next = await loadConfigSource(source.replace('plugin = "s"', 'plugin = "s"\nhang_ms = 1') + '[feeds.feed2]\nplugin = "f"\n', file, { registry, env: {} });
    const result = await rt.reload(next);
    expect(result.stopped).toEqual(["strat1"]);
    expect(result.started.sort()).toEqual(["feed2", "strat1"]);
    expect(rt.instances().get("feed1")).toBe(feedGen);
    await rt.stop();
  });
});

describe("Runtime reload of [alerts]", () => {
  it("loses no alert raised while the old router finishes its in-flight send", async () => {
    const sent: string[] = [];
    let release: (() => void) | undefined;
    const slow = defineNotifier({
      name: "slow",
      description: "a notifier whose first send waits for the test",
      config: v.strictObject({}),
      setup: () => ({
        send: async (a) => {
          if (sent.length === 0) await new Promise<void>((r) => (release = r));
          sent.push(a.title);
        },
      }),
    });
    const reg = createRegistry([slow]);
    const dir = mkdtempSync(join(tmpdir(), "edgewatch-reload-"));
    const base = `[bot]\ndata_dir = "${dir.replaceAll("\\", "/")}"\n[notifiers.out]\nplugin = "slow"\n[alerts]\nmax_data_age_ms = 0\n[[alerts.routes]]\nnotifiers = ["out"]\ncooldown_ms = 0\n`;
    const rt = new Runtime(await loadConfigSource(base, file, { registry: reg, env: {} }), { log: quiet(), schedules: false });
    await rt.start();
    const alert = (n: number) => ({ id: `a${n}`, key: `k${n}`, source: "test", kind: "info" as const, severity: "info" as const, title: `t${n}`, text: "", ts: Date.now() });
    rt.bus.emit("alert", alert(1));
    while (release === undefined) await Bun.sleep(5);
    const reloading = rt.reload(await loadConfigSource(base.replace("cooldown_ms = 0", "cooldown_ms = 1"), file, { registry: reg, env: {} }));
    await Bun.sleep(20);
    rt.bus.emit("alert", alert(2)); // raised while the old router is still sending a1
    release();
    await reloading;
    const deadline = Date.now() + 5_000;
    while (sent.length < 2 && Date.now() < deadline) await Bun.sleep(10);
    await rt.stop();
    rmSync(dir, { recursive: true, force: true });
    expect(sent).toEqual(["t1", "t2"]);
  });
});

describe("Runtime reload of a feed", () => {
  it("sends the books a restarted feed inherits to resyncing until the new instance's own data arrives", async () => {
    const bookFeed = defineFeed({
      name: "bookfeed",
      description: "writes one book when told to",
      config: v.strictObject({ write: v.optional(v.boolean(), true), tag: v.optional(v.number(), 0) }),
      setup(ctx) {
        const w = ctx.writer();
        ctx.bus.emit("feed.status", { feed: ctx.id, state: "live", reasons: [], ts: ctx.clock.now() });
        if (ctx.config.write) {
          const t = ctx.clock.now();
          w.snapshot({ feed: ctx.id, instrument: "X", key: "X", tsEvent: t, tsRecv: t, bids: [[99, 1]], asks: [[101, 1]] });
          w.endFrame(t);
        }
        return { stop() {} };
      },
    });
    const reg = createRegistry([bookFeed]);
    const base = `[bot]\ndata_dir = "${dataDir.replaceAll("\\", "/")}"\n[feeds.b1]\nplugin = "bookfeed"\n`;
    const rt = new Runtime(await loadConfigSource(base, file, { registry: reg, env: {} }), { clock: new ManualClock(0), log: quiet(), schedules: false });
    await rt.start();
    expect(rt.store.fresh("b1", "X").ok).toBe(true);
    // the restarted instance has not written yet: the old book must not pass as fresh
    await rt.reload(await loadConfigSource(base + "write = false\n", file, { registry: reg, env: {} }));
    expect(rt.store.fresh("b1", "X")).toMatchObject({ ok: false, reasons: ["resyncing"] });
    expect(rt.store.feedStats("b1")!.resyncs).toEqual({ restart: 1 });
    await rt.reload(await loadConfigSource(base + "write = true\ntag = 1\n", file, { registry: reg, env: {} }));
    expect(rt.store.fresh("b1", "X").ok).toBe(true);
    await rt.stop();
  });
});
