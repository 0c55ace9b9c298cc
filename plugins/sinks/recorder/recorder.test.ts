import { describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { ManualClock } from "../../../core/clock.ts";
import { loadConfigSource } from "../../../core/config/load.ts";
import { silentLogger } from "../../../core/log.ts";
import { observeSockets } from "../../../core/replay/observe.ts";
import { decodeData, encodeData, openRecording, recordingFormat } from "../../../core/replay/recording.ts";
import { decodeChunk, encodeChunk } from "../../../core/replay/chunk.ts";
import { Runtime } from "../../../core/runtime.ts";
import { FakeSocketFactory } from "../../../test/fakes/fake-socket.ts";
import { tempDir } from "../../../test/replay/fixtures/session.ts";
import { builtinRegistry } from "../../builtins.ts";
import { recorderConfig } from "./config.ts";

async function rig(table: string) {
  const dir = tempDir("edgewatch-recorder-");
  const config = await loadConfigSource(`[bot]\nlog_level = "error"\n[recorder]\n${table}\n`, join(dir, "bot.toml"), { registry: builtinRegistry });
  const clock = new ManualClock(1_700_000_000_000);
  const fake = new FakeSocketFactory();
  const sockets = observeSockets(fake.factory, { configFile: join(dir, "bot.toml"), now: () => clock.now() });
  const runtime = new Runtime(config, { clock, log: silentLogger, schedules: false, transport: { sockets } });
  await runtime.start();
  const raw = (feed: string, data: string | Uint8Array, source: "ws" | "rest" = "ws") =>
    runtime.bus.emit("frame.raw", { feed, connection: `${feed}#0`, data, tsRecv: clock.now(), tsRecvNs: BigInt(clock.now()) * 1_000_000n + 123n, source, ...(source === "rest" ? { url: "GET http://x/y" } : {}) });
  return { dir, clock, runtime, raw, sockets, fake };
}

describe("recorder sink", () => {
  it("does store frames exactly as received with receive times in ms and ns, after the flush timer", async () => {
    const r = await rig('path = "r.sqlite"\nflush_ms = 100\ncompress = "gzip"\ncompress_min_bytes = 8');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const long = JSON.stringify({ px: "1.5", levels: Array.from({ length: 50 }, (_, i) => [i, i * 2]) });
    r.raw("a", long);
    r.raw("a", bytes);
    r.raw("b", "tiny");
    r.raw("a", '{"snapshot":true}', "rest");
    const sink = r.runtime.instances().get("recorder")!.handle as { flush(): Promise<void>; stats(): { buffered: number } };
    await new Promise((r) => setImmediate(r)); // copied into the ring after the frames' own turn
    expect(sink.stats().buffered).toBe(4); // and drained by the writer thread on the timer
    r.clock.advance(100);
    expect(sink.stats().buffered).toBe(0);
    await sink.flush();
    const rec = openRecording(join(r.dir, "r.sqlite"));
    const rows = [...rec.rows()];
    rec.close();
    expect(rows.map((x) => x.data)).toEqual([long, bytes, "tiny", '{"snapshot":true}']);
    expect(rows[0]!.tsRecvNs).toBe(1_700_000_000_000n * 1_000_000n + 123n);
    expect(rows[3]).toMatchObject({ kind: "rest", url: "GET http://x/y", connection: "a#0" });
    await r.runtime.stop();
  });

  it("does record only the feeds listed in `feeds`, and socket opens and closes", async () => {
    const r = await rig('path = "r.sqlite"\nfeeds = ["a"]');
    const handlers = { onOpen() {}, onMessage() {}, onPing() {}, onPong() {}, onError() {}, onClose() {} };
    r.sockets("ws://venue/a", handlers, { connection: "a#0" });
    r.fake.last().open();
    r.raw("a", "one");
    r.raw("b", "ignored");
    r.fake.last().close(1001, "going away");
    await r.runtime.stop();
    const rec = openRecording(join(r.dir, "r.sqlite"));
    const rows = [...rec.rows()];
    rec.close();
    expect(rows.map((x) => [x.kind, x.feed])).toEqual([["open", "a"], ["ws", "a"], ["close", "a"]]);
    expect(JSON.parse(rows[2]!.data as string)).toEqual({ code: 1001, reason: "going away" });
    expect(rec.meta.configFile).toBe(join(r.dir, "bot.toml"));
  });

  it("does rotate by age into dated parts that each replay alone", async () => {
    const r = await rig('path = "r.sqlite"\nflush_ms = 10\nrotate_after_ms = 1000');
    const sink = r.runtime.instances().get("recorder")!.handle as { flush(): Promise<void> };
    for (let i = 0; i < 30; i++) {
      r.raw("a", `frame ${i}`);
      r.clock.advance(100);
      await sink.flush(); // the writer thread sees each 100 ms step
    }
    await r.runtime.stop();
    const parts = readdirSync(r.dir).filter((f) => f.endsWith(".sqlite")).sort();
    expect(parts.length).toBeGreaterThanOrEqual(3);
    let total = 0;
    for (const p of parts) {
      const rec = openRecording(join(r.dir, p));
      total += rec.count;
      expect(rec.meta.format).toBe(recordingFormat);
      rec.close();
    }
    expect(total).toBe(30);
  });

  it("does move a previous session's file aside instead of appending to it", async () => {
    const first = await rig('path = "r.sqlite"');
    first.raw("a", "old");
    await first.runtime.stop();
    const config = await loadConfigSource('[bot]\nlog_level = "error"\n[recorder]\npath = "r.sqlite"\n', join(first.dir, "bot.toml"), { registry: builtinRegistry });
    const runtime = new Runtime(config, { clock: first.clock, log: silentLogger, schedules: false });
    await runtime.start();
    await runtime.stop();
    expect(openRecording(join(first.dir, "r.sqlite")).count).toBe(0);
    expect(readdirSync(first.dir).filter((f) => f.endsWith(".sqlite")).length).toBe(2);
  });

  it("does say loudly when its file cannot be opened, and stop does not report success", async () => {
    const r = await rig('path = "/dev/null/r.sqlite"'); // under a file: the directory cannot be made
    const errors: unknown[] = [];
    r.runtime.bus.on("plugin.error", (e) => errors.push(e.error), "test");
    const inst = r.runtime.instances().get("recorder")!;
    await (inst.handle as { flush(): Promise<void> }).flush(); // the writer thread answers after its error
    expect(inst.state).toBe("faulted");
    expect(inst.reasons[0]).toContain("could not open");
    await r.runtime.stop();
    expect(String(errors[0])).toContain("recording failed: could not open");
  });
});

describe("recording encoding", () => {
  it("does round-trip text and bytes through every compression", () => {
    for (const compression of ["none", "gzip", "zstd"] as const) {
      for (const data of ["x".repeat(1000), new Uint8Array(600).fill(7), "short"]) {
        const [enc, body] = encodeData(data, compression, 100);
        expect(decodeData(enc, body)).toEqual(data);
      }
    }
  });

  it("does round-trip a chunk of text, binary, non-ASCII and lifecycle rows exactly", () => {
    const rows = [
      { kind: "ws" as const, feed: "a", connection: "a#0", tsRecv: 1.5, tsRecvNs: 1_500_000_123n, data: '{"p":"1.0","name":"é ✓ 😀"}' },
      { kind: "ws" as const, feed: "a", connection: "a#0", tsRecv: 2, data: new Uint8Array([0, 255, 7]) },
      { kind: "rest" as const, feed: "b", connection: "b#rest", tsRecv: 3, url: "POST http://x/info {\"type\":\"meta\"}", data: "" },
      { kind: "close" as const, feed: "a", connection: "a#0", tsRecv: 4, url: "ws://x", data: '{"code":1006}' },
    ];
    expect(decodeChunk(encodeChunk(rows))).toEqual(rows.map((r) => ({ url: undefined, tsRecvNs: undefined, ...r })));
  });

  it("does reject unknown keys and give defaults with units", () => {
    expect(v.safeParse(recorderConfig, { path: "x", flush_secs: 1 }).success).toBe(false);
    expect(v.parse(recorderConfig, {})).toMatchObject({ path: "data/recording.sqlite", flush_ms: 250, compress: "zstd", rotate_mb: 0 });
  });
});
