import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Subprocess } from "bun";
import { loadConfig } from "../../core/config/load.ts";
import type { Opportunity } from "../../core/events.ts";
import { silentLogger } from "../../core/log.ts";
import { Runtime } from "../../core/runtime.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { entryFields } from "../../plugins/sinks/redis/wire.ts";
import { startBookVenue, type BookVenue } from "../replay/fixtures/book-venue.ts";
import { feedTables, headerTables, paths, strategyTables, tempDir, until, watchOpportunities, writeConfig } from "../replay/fixtures/session.ts";
import { TestRedis, haveRedis } from "./redis-server.ts";

describe.skipIf(!haveRedis())("collector and strategy processes over Redis", () => {
  let redis: TestRedis;
  let a: BookVenue;
  let b: BookVenue;
  const procs: Subprocess[] = [];
  beforeAll(async () => {
    redis = await TestRedis.start();
    a = startBookVenue({ instruments: ["BTC"], seed: 9 });
    b = startBookVenue({ instruments: ["BTC"], seed: 9, skewBps: 30, skewEvery: 4, skewPhase: 1 });
  });
  afterAll(async () => {
    for (const p of procs) p.kill("SIGKILL");
    a?.stop();
    b?.stop();
    await redis?.stop();
  });

  it("does find the same opportunities as one process does", async () => {
    const dir = tempDir("edgewatch-2proc-");
    const collectorFile = writeConfig(dir, "collector.toml", `${headerTables.replace('"replay-test"', '"collector"')}${feedTables(a, b)}\n[redis]\nurl = "${redis.url}"\n`);
    const strategyFile = writeConfig(
      dir,
      "strategy.toml",
      `${headerTables.replace('"replay-test"', '"strategies"')}
[feeds.a]
plugin = "redis"
url = "${redis.url}"
start = "earliest"
[feeds.b]
plugin = "redis"
url = "${redis.url}"
start = "earliest"
${strategyTables()}
[redis]
url = "${redis.url}"
prefix = "st"
feeds = []
`,
    );
    const spawn = (file: string) => {
      const p = Bun.spawn(["bun", paths.cli, file], { stdout: "ignore", stderr: "pipe" });
      procs.push(p);
      return p;
    };
    const strategyProc = spawn(strategyFile);
    const collectorProc = spawn(collectorFile);

    const one = new Runtime(await loadConfig(writeConfig(dir, "one.toml", `${headerTables}${feedTables(a, b)}${strategyTables()}`), { registry: builtinRegistry }), { log: silentLogger, schedules: false });
    const reference = watchOpportunities(one.bus);
    await one.start();

    const client = await redis.client();
    const consumers = async (feed: string): Promise<number> => {
      try {
        const groups = (await client.send("XINFO", ["GROUPS", `ew:md:${feed}`])) as { consumers: number }[];
        return groups.reduce((s, g) => s + g.consumers, 0);
      } catch {
        return 0;
      }
    };
    const collectorLive = async (): Promise<boolean> => {
      const s = [await client.get("ew:status:a"), await client.get("ew:status:b")];
      return s.every((x) => x !== null && (JSON.parse(x) as { state: string }).state === "live");
    };
    let ready = false;
    let waitingFor = "";
    async function poll(): Promise<void> {
      while (!ready) {
        const checks = { consumerA: (await consumers("a")) > 0, consumerB: (await consumers("b")) > 0, collectorLive: await collectorLive(), reference: one.store.book("b", "BTC") !== undefined };
        waitingFor = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k).join(", ");
        ready = waitingFor === "";
        if (!ready) await Bun.sleep(50);
      }
    }
    try {
      await Promise.race([poll(), until(() => ready, 20_000, "both processes up")]);
    } catch (error) {
      const stderr = await Promise.all(procs.map(async (p) => (p.kill("SIGKILL"), await new Response(p.stderr as ReadableStream).text())));
      throw new Error(`${String(error)}; waiting for ${waitingFor}; stderr: ${stderr.join(" | ").slice(0, 2000)}`);
    }
    await Bun.sleep(300); // the strategy process has both books

    for (let i = 0; i < 40; i++) {
      a.step();
      await Bun.sleep(12);
      b.step();
      await Bun.sleep(13);
    }
    const remote = async (): Promise<Opportunity[]> => {
      const entries = (await client.send("XRANGE", ["st:events", "-", "+"])) as [string, string[]][];
      return entries.map(([, f]) => entryFields(f)).filter((f) => f.t === "opportunity.open").map((f) => JSON.parse(f.d!) as Opportunity);
    };
    let seen: Opportunity[] = [];
    // the strategy process is a hop behind: wait (up to 5 s) until it has reported as many
    for (let i = 0; i < 100 && seen.length < reference.length; i++) {
      seen = await remote();
      await Bun.sleep(50);
    }
    client.close();
    await one.stop();
    collectorProc.kill("SIGTERM");
    strategyProc.kill("SIGTERM");
    expect(await collectorProc.exited).toBe(0);
    expect(await strategyProc.exited).toBe(0);

    expect(reference.length).toBeGreaterThanOrEqual(8);
    expect(seen.map((o) => o.id)).toEqual(reference.map((o) => o.id));
    seen.forEach((o, i) => expect(o.edgeBps).toBeCloseTo(reference[i]!.edgeBps, 6));
  }, 60_000);
});
