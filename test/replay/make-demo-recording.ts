/**
 * Regenerates the offline demo's recording (configs/demo.recording.sqlite) from the protocol-faithful
 * fake venues: the real OKX and Hyperliquid feed plugins connect to FakeOkx and FakeHyperliquid over
 * loopback sockets and the recorder stores what they receive, on a virtual clock moved 100 ms per step
 * (minutes of market in seconds). Hyperliquid's books drift around OKX's and now and then jump by
 * 20–35 bps for a second or two, so perp-spread finds opportunities; one OKX connection is dropped once
 * (a reconnect and resync in the recording).
 *
 *   bun test/replay/make-demo-recording.ts [out.sqlite] [--minutes 4]
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { loadConfig } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import { observeSockets } from "../../core/replay/observe.ts";
import { openRecording } from "../../core/replay/recording.ts";
import { Runtime } from "../../core/runtime.ts";
import { bunSocketFactory } from "../../core/ws/socket.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { FakeHyperliquid } from "../fakes/hyperliquid/fake-hyperliquid.ts";
import { FakeOkx } from "../fakes/okx/fake-okx.ts";
import { placeHlBook, seeded } from "./fixtures/hl-books.ts";

const args = process.argv.slice(2);
const out = resolve(args.find((a) => !a.startsWith("--") && a !== args[args.indexOf("--minutes") + 1]) ?? join(import.meta.dir, "../../configs/demo.recording.sqlite"));
const minutes = args.includes("--minutes") ? Number(args[args.indexOf("--minutes") + 1]) : 4;
const STEP_MS = 100;

const rand = seeded(2026);

const clock = new ManualClock(Date.now());
const okx = new FakeOkx({ clock, keepAliveMs: 0, seed: 3 });
const hl = new FakeHyperliquid({ clock, seed: 5 });

const placeHl = (name: string, mid: number): void => placeHlBook(hl, name, mid, rand);

const dir = mkdtempSync(join(tmpdir(), "edgewatch-demo-gen-"));
const configFile = join(dir, "capture.toml");
writeFileSync(
  configFile,
  `[bot]
name = "demo-capture"
log_level = "error"

[feeds.okx]
plugin = "okx"
ws_url = "${okx.url}"
rest_url = "${okx.httpUrl}"
instruments = ["BTC-USDT-SWAP", "ETH-USDT-SWAP"]
channels = ["books"]

[feeds.hyperliquid]
plugin = "hyperliquid"
ws_url = "${hl.url}"
info_url = "${hl.infoUrl}"
instruments = ["BTC", "ETH"]

[recorder]
path = "capture.sqlite"
compress = "zstd"
flush_ms = 1000
`,
);
const config = await loadConfig(configFile, { registry: builtinRegistry });
const runtime = new Runtime(config, { clock, log: silentLogger, schedules: false, transport: { sockets: observeSockets(bunSocketFactory, { configFile }) } });
await runtime.start();
const settle = async (): Promise<void> => {
  // let the loopback sockets deliver what the venues sent before the clock moves on
  for (let i = 0; i < 3; i++) await Bun.sleep(1);
};
for (let i = 0; i < 200 && (runtime.store.book("okx", "BTC-USDT-SWAP") === undefined || runtime.store.book("hyperliquid", "BTC") === undefined); i++) {
  clock.advance(STEP_MS);
  await settle();
}
if (runtime.store.book("okx", "BTC-USDT-SWAP") === undefined || runtime.store.book("hyperliquid", "BTC") === undefined) throw new Error("the feeds did not get their books from the fakes");

const base = { BTC: 80_000 * (1 + 1.5e-4), ETH: 2_300 * (1 + 1.5e-4) };
const drift = { BTC: 0, ETH: 0 };
let jumpUntil = 0;
let jump = 0;
const steps = Math.round((minutes * 60_000) / STEP_MS);
for (let s = 0; s < steps; s++) {
  const now = clock.now();
  if (now >= jumpUntil && jump !== 0) jump = 0;
  // a dislocation roughly every 6 s (the first within 3 s), 20–35 bps either way, lasting 1–2.5 s
  if (jump === 0 && (s === 25 || rand() < STEP_MS / 6_000)) {
    jump = (20 + rand() * 15) * (rand() < 0.5 ? -1 : 1);
    jumpUntil = now + 1_000 + rand() * 1_500;
  }
  for (const coin of ["BTC", "ETH"] as const) {
    drift[coin] = Math.max(-3, Math.min(3, drift[coin] + (rand() - 0.5) * 0.8));
    if (s % 5 === 0 || jump !== 0) placeHl(coin, base[coin] * (1 + (drift[coin] + jump) / 1e4));
  }
  okx.step();
  if (s % 5 === 0) hl.step();
  else for (const coin of ["BTC", "ETH"]) hl.publishBook(coin);
  if (s === Math.floor(steps / 2)) okx.venue.last().drop();
  clock.advance(STEP_MS);
  await settle();
  if (s % 600 === 0) process.stderr.write(`captured ${Math.round((s * STEP_MS) / 1000)} s of ${minutes * 60} s\n`);
}
await runtime.stop();
okx.venue.stop();
hl.stop();

const captured = join(dir, "capture.sqlite");
const rec = openRecording(captured);
const summary = `${rec.count} rows, feeds ${rec.feedIds.join(", ")}, ${Math.round((rec.lastTs - rec.firstTs) / 1000)} s`;
rec.close();
if (existsSync(out)) rmSync(out);
renameSync(captured, out);
rmSync(dir, { recursive: true, force: true });
process.stderr.write(`wrote ${out}: ${summary}, ${(Bun.file(out).size / 1024).toFixed(0)} KiB\n`);
