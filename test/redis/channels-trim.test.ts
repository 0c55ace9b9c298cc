import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { RedisClient } from "bun";
import { loadConfigSource } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import { Runtime } from "../../core/runtime.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { safeTrimId, trimStreams } from "../../plugins/sinks/redis/trim.ts";
import { channelName } from "../../plugins/sinks/redis/wire.ts";
import { startBookVenue, type BookVenue } from "../replay/fixtures/book-venue.ts";
import { feedTables, headerTables, tempDir, until } from "../replay/fixtures/session.ts";
import { TestRedis, haveRedis } from "./redis-server.ts";

describe.skipIf(!haveRedis())("redis stream trimming", () => {
  let redis: TestRedis;
  let c: RedisClient;
  beforeAll(async () => {
    redis = await TestRedis.start();
    c = await redis.client();
  });
  afterAll(async () => {
    c?.close();
    await redis?.stop();
  });

  it("does trim only below every group's last-delivered id and oldest pending entry", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await c.send("XADD", ["s1", "*", "t", "frame", "d", String(i)])) as string);
    await c.send("XGROUP", ["CREATE", "s1", "fast", "0"]);
    await c.send("XGROUP", ["CREATE", "s1", "slow", "0"]);
    const read = async (group: string, n: number) => {
      const r = (await c.send("XREADGROUP", ["GROUP", group, "c", "COUNT", String(n), "STREAMS", "s1", ">"])) as Record<string, [string, string[]][]>;
      return r.s1!.map(([id]) => id);
    };
    const fast = await read("fast", 8);
    await c.send("XACK", ["s1", "fast", ...fast.slice(0, 4)]); // entries 4..7 stay pending
    await read("slow", 6); // read, none acknowledged: pending from entry 0
    expect(await safeTrimId(c, "s1")).toBe(ids[0]);
    await c.send("XACK", ["s1", "slow", ...ids.slice(0, 6)]);
    expect(await safeTrimId(c, "s1")).toBe(ids[4]); // fast's oldest pending is below slow's last delivered
    const removed = await trimStreams(c, ["s1"]);
    expect(removed.get("s1")).toBe(4);
    expect(await c.send("XLEN", ["s1"])).toBe(6);
    expect(await safeTrimId(c, "no-such-stream")).toBeUndefined();
  });

  it("does leave a stream without groups alone", async () => {
    for (let i = 0; i < 5; i++) await c.send("XADD", ["s2", "*", "d", String(i)]);
    expect((await trimStreams(c, ["s2"])).size).toBe(0);
    expect(await c.send("XLEN", ["s2"])).toBe(5);
  });
});

describe.skipIf(!haveRedis())("redis channels", () => {
  let redis: TestRedis;
  let a: BookVenue;
  let b: BookVenue;
  beforeAll(async () => {
    redis = await TestRedis.start();
    a = startBookVenue({ instruments: ["BTC"], seed: 3 });
    b = startBookVenue({ instruments: ["BTC"], seed: 3 });
  });
  afterAll(async () => {
    a?.stop();
    b?.stop();
    await redis?.stop();
  });

  it("does fill templates and publish book changes (under seed 002's names) and quotes, for the listed feeds only", async () => {
    expect(channelName("{prefix}:books:{feed}:{instrument}", { prefix: "ew", feed: "okx", instrument: "BTC-USDT-SWAP" })).toBe("ew:books:okx:BTC-USDT-SWAP");
    const dir = tempDir("edgewatch-channels-");
    const config = await loadConfigSource(`${headerTables}${feedTables(a, b)}\n[redis]\nurl = "${redis.url}"\nchannel_preset = "seed002"\nfeeds = ["a"]\n`, `${dir}/bot.toml`, { registry: builtinRegistry });
    const sub = await redis.client();
    const got: { channel: string; message: string }[] = [];
    await sub.subscribe(["polymarket:orderbook:BTC", "ew:quotes:a:BTC", "ew:quotes:b:BTC"], (message, channel) => got.push({ channel, message }));
    const runtime = new Runtime(config, { log: silentLogger, schedules: false });
    await runtime.start();
    try {
      await until(() => runtime.store.book("a", "BTC") !== undefined, 5_000, "book a");
      for (let i = 0; i < 3; i++) {
        a.step();
        b.step();
        await Bun.sleep(20);
      }
      await until(() => got.filter((g) => g.channel === "polymarket:orderbook:BTC").length >= 3, 5_000, "book messages");
      const items = got.filter((g) => g.channel === "polymarket:orderbook:BTC").map((g) => JSON.parse(g.message) as { type: string; seq: number });
      expect(items.map((i) => i.type)).toContain("delta");
      expect(items.map((i) => i.seq)).toEqual(items.map((_, k) => items[0]!.seq + k));
      expect(got.some((g) => g.channel === "ew:quotes:a:BTC")).toBe(true);
      expect(got.some((g) => g.channel === "ew:quotes:b:BTC")).toBe(false); // feeds = ["a"]
    } finally {
      sub.close();
      await runtime.stop();
    }
  }, 20_000);
});
