import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { loadConfigSource } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import { Runtime } from "../../core/runtime.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { redisKeys, entryFields, type WireFrame } from "../../plugins/sinks/redis/wire.ts";
import { startBookVenue, type BookVenue } from "../replay/fixtures/book-venue.ts";
import { feedTables, headerTables, tempDir, until } from "../replay/fixtures/session.ts";
import { TestRedis, haveRedis } from "./redis-server.ts";

const redisFeeds = (url: string, extra = "") => `
[feeds.a]
plugin = "redis"
url = "${url}"
start = "earliest"
block_ms = 200
${extra}
[feeds.b]
plugin = "redis"
url = "${url}"
start = "earliest"
block_ms = 200
${extra}`;

async function runtimeOf(text: string): Promise<Runtime> {
  const dir = tempDir("edgewatch-bridge-");
  const config = await loadConfigSource(text, `${dir}/bot.toml`, { registry: builtinRegistry });
  const runtime = new Runtime(config, { log: silentLogger, schedules: false });
  await runtime.start();
  return runtime;
}

const depth = (r: Runtime, feed: string) => r.store.book(feed, "BTC")?.depth(50);

describe.skipIf(!haveRedis())("redis bridge", () => {
  let redis: TestRedis;
  let a: BookVenue;
  let b: BookVenue;
  beforeAll(async () => {
    redis = await TestRedis.start({ appendonly: true });
    a = startBookVenue({ instruments: ["BTC"], seed: 5 });
    b = startBookVenue({ instruments: ["BTC"], seed: 5, skewBps: 30, skewEvery: 4, skewPhase: 1 });
  });
  afterAll(async () => {
    a?.stop();
    b?.stop();
    await redis?.stop();
  });

  it("does mirror books frame by frame, and lose nothing the stream holds across a Redis restart", async () => {
    const collector = await runtimeOf(`${headerTables}${feedTables(a, b)}\n[redis]\nurl = "${redis.url}"\ncache_every_ms = 20\ntrim_every_ms = 100\nreconnect_min_ms = 50\nreconnect_max_ms = 200\n`);
    const consumer = await runtimeOf(`${headerTables}${redisFeeds(redis.url, "reconnect_min_ms = 50\nreconnect_max_ms = 200")}`);
    const same = () => JSON.stringify(depth(collector, "a")) === JSON.stringify(depth(consumer, "a")) && JSON.stringify(depth(collector, "b")) === JSON.stringify(depth(consumer, "b"));
    try {
      await until(() => consumer.store.book("a", "BTC") !== undefined && consumer.store.book("b", "BTC") !== undefined, 5_000, "books on the consumer");
      for (let i = 0; i < 10; i++) {
        a.step();
        b.step();
        await Bun.sleep(15);
      }
      await until(same, 5_000, "the consumer to catch up");
      expect(consumer.store.feedState("a")).toBe("live");

      await redis.stop();
      for (let i = 0; i < 10; i++) {
        a.step();
        b.step();
        await Bun.sleep(15);
      }
      await until(() => consumer.store.feedState("a") === "reconnecting", 5_000, "the consumer to see Redis down");
      await redis.restart();
      for (let i = 0; i < 10; i++) {
        a.step();
        b.step();
        await Bun.sleep(15);
      }
      await until(same, 10_000, "the consumer to catch up after the restart");
      await until(() => consumer.store.feedState("a") === "live", 5_000, "the feed live again");

      // every frame the collector wrote is in the stream once and in order; the consumer never had to resync
      const client = await redis.client();
      const entries = (await client.send("XRANGE", [redisKeys.stream("ew", "a"), "-", "+"])) as [string, string[]][];
      client.close();
      const frames = entries.map(([, f]) => entryFields(f)).filter((f) => f.t === "frame").map((f) => JSON.parse(f.d!) as WireFrame);
      const ns = frames.map((f) => f.n);
      // trimming may have removed what the group had read before; what is left is contiguous
      expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => ns[0]! + i));
      expect(ns.at(-1)).toBe(31); // snapshot + 30 deltas
      const stats = consumer.instances().get("a")!.feed!.stats!();
      expect(stats.resyncs).toBe(0);
      expect(stats.reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      await consumer.stop();
      await collector.stop();
    }
  }, 40_000);

  it("does keep what it could not write while Redis is unreachable at start, and write it once Redis is up", async () => {
    await redis.stop();
    const collector = await runtimeOf(`${headerTables}${feedTables(a, b)}\n[redis]\nurl = "${redis.url}"\nprefix = "late"\nreconnect_min_ms = 50\nreconnect_max_ms = 100\n`);
    try {
      await until(() => collector.instances().get("redis")!.state === "degraded", 5_000, "the sink degraded");
      await until(() => collector.store.book("a", "BTC") !== undefined, 5_000, "the collector's book");
      for (let i = 0; i < 3; i++) {
        a.step();
        await Bun.sleep(15);
      }
      await redis.restart();
      await until(() => collector.instances().get("redis")!.state === "running", 5_000, "the sink running");
      const client = await redis.client();
      try {
        let frames: WireFrame[] = [];
        for (let i = 0; i < 100 && frames.length < 4; i++) {
          const entries = (await client.send("XRANGE", [redisKeys.stream("late", "a"), "-", "+"])) as [string, string[]][];
          frames = entries.map(([, f]) => entryFields(f)).filter((f) => f.t === "frame").map((f) => JSON.parse(f.d!) as WireFrame);
          await Bun.sleep(20);
        }
        expect(frames.map((f) => f.n)).toEqual([1, 2, 3, 4]); // the snapshot and three deltas, in order
        expect(frames[0]!.items[0]!.type).toBe("snapshot");
      } finally {
        client.close();
      }
    } finally {
      await collector.stop();
    }
  }, 30_000);

  it("does resync a book from the latest-book cache after a sequence gap", async () => {
    const collector = await runtimeOf(`${headerTables}${feedTables(a, b)}\n[redis]\nurl = "${redis.url}"\nprefix = "gap"\ncache_every_ms = 20\n`);
    const client = await redis.client();
    try {
      for (let i = 0; i < 5; i++) {
        a.step();
        b.step();
        await Bun.sleep(15);
      }
      // a consumer that starts late (group at the end of the stream) has no snapshot: its first delta is a gap
      const consumer = await runtimeOf(`${headerTables}${redisFeeds(redis.url, 'prefix = "gap"\nstart = "latest"').replaceAll('start = "earliest"\n', "")}`);
      try {
        for (let i = 0; i < 5; i++) {
          a.step();
          b.step();
          await Bun.sleep(15);
        }
        await until(() => JSON.stringify(depth(collector, "a")) === JSON.stringify(depth(consumer, "a")), 5_000, "the resynced book");
        const stats = consumer.instances().get("a")!.feed!.stats!();
        expect(stats.resyncs).toBeGreaterThanOrEqual(1);
        expect(await client.exists(redisKeys.book("gap", "a", "BTC"))).toBe(true);
        expect(Number(await client.send("PTTL", [redisKeys.book("gap", "a", "BTC")]))).toBeLessThanOrEqual(5_000);
      } finally {
        await consumer.stop();
      }
    } finally {
      client.close();
      await collector.stop();
    }
  }, 30_000);
});
