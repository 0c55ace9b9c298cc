// Recorder overhead (issue 12: recording must not slow the feed by more than 10%): a real feed plugin
// (WsShards → parse → writer → bus) eats venue-sized book frames from an in-memory socket, without a
// recorder and with one (plain and zstd), flushes included. Frames go in bursts of 200 with a turn of
// the event loop between bursts. "Slower" is the feed thread's CPU time per frame with the recorder vs
// without (the writer thread works on another core); all threads' CPU is shown beside it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigSource } from "../core/config/load.ts";
import { silentLogger } from "../core/log.ts";
import { observeSockets } from "../core/replay/observe.ts";
import { Runtime } from "../core/runtime.ts";
import { builtinRegistry } from "../plugins/builtins.ts";
import { FakeSocketFactory } from "../test/fakes/fake-socket.ts";
import { FakeHyperliquid } from "../test/fakes/hyperliquid/fake-hyperliquid.ts";
import { FakeOkx } from "../test/fakes/okx/fake-okx.ts";
import { OkxVenueBook } from "../test/fakes/okx/venue-book.ts";
import { fmtRate, median, table } from "./stats.ts";

const FRAMES = 40_000;
const BURST = 200;
const feedPath = join(import.meta.dir, "../test/replay/fixtures/book-feed.ts");
const okxPath = join(import.meta.dir, "../plugins/feeds/okx/index.ts");
const hlPath = join(import.meta.dir, "../plugins/feeds/hyperliquid/index.ts");

function frames(): string[] {
  // a fixed 50-level grid per side; each delta changes the sizes of 4 levels per side (the top often)
  const out: string[] = [];
  const bid = (i: number) => 59_999.5 - i * 0.5;
  const ask = (i: number) => 60_000.5 + i * 0.5;
  const size = (s: number, i: number) => Math.round((1 + ((s * 7919 + i * 104729) % 997) / 100) * 1000) / 1000;
  out.push(JSON.stringify({ type: "snapshot", id: "BTC", seq: 0, ts: 0, bids: Array.from({ length: 50 }, (_, i) => [bid(i), size(0, i)]), asks: Array.from({ length: 50 }, (_, i) => [ask(i), size(1, i)]) }));
  for (let s = 1; s <= FRAMES; s++) {
    const k = s % 3;
    out.push(JSON.stringify({ type: "delta", id: "BTC", seq: s, ts: s, bids: Array.from({ length: 4 }, (_, i) => [bid(i * 3 + k), size(s, i)]), asks: Array.from({ length: 4 }, (_, i) => [ask(i * 3 + k), size(s + 1, i)]) }));
  }
  return out;
}

/** OKX `books` frames as the venue sends them (CRC32 checksums), for the real OKX feed plugin. */
function okxFrames(): string[] {
  const id = "BTC-USDT-SWAP";
  const book = new OkxVenueBook(id, 80_000, 0.1, 3, 200);
  const arg = { channel: "books", instId: id };
  const out = [JSON.stringify({ arg, action: "snapshot", data: [{ asks: book.levels("ask"), bids: book.levels("bid"), ts: "1", checksum: book.checksum(), prevSeqId: -1, seqId: book.seqId }] })];
  for (let i = 0; i < FRAMES; i++) {
    const { change, prevSeqId, seqId } = book.step();
    out.push(JSON.stringify({ arg, action: "update", data: [{ asks: change.asks, bids: change.bids, ts: "1", checksum: book.checksum(), prevSeqId, seqId }] }));
  }
  return out;
}

/** Hyperliquid l2Book pushes (20 levels a side, the whole book each time), as the venue sends them. */
function hlFrames(): string[] {
  const out: string[] = [];
  let mid = 80_000;
  for (let i = 0; i <= FRAMES; i++) {
    mid += ((i * 2654435761) % 5) - 2;
    const side = (sign: number) => Array.from({ length: 20 }, (_, k) => ({ px: String(mid + sign * (k + 1)), sz: ((1 + ((i + k) % 17)) / 7).toFixed(5), n: 1 + (k % 4) }));
    out.push(JSON.stringify({ channel: "l2Book", data: { coin: "BTC", time: 1_700_000_000_000 + i, levels: [side(-1), side(1)] } }));
  }
  return out;
}

type Venue = "fixture" | "okx" | "hyperliquid";
let okxRest: FakeOkx | undefined;
let hlRest: FakeHyperliquid | undefined;

function feedTable(venue: Venue): string {
  if (venue === "hyperliquid") {
    hlRest ??= new FakeHyperliquid();
    return `[feeds.f]\nplugin = "${hlPath}"\nws_url = "wss://fake.invalid/ws"\ninfo_url = "${hlRest.infoUrl}"\ninstruments = ["BTC"]\n`;
  }
  if (venue === "fixture") return `[feeds.f]\nplugin = "${feedPath}"\nws_url = "ws://venue/ws"\nrest_url = "http://venue"\ninstruments = ["BTC"]\n`;
  okxRest ??= new FakeOkx({ keepAliveMs: 0 });
  return `[feeds.f]\nplugin = "${okxPath}"\nws_url = "wss://fake.invalid/ws/v5/public"\nrest_url = "${okxRest.httpUrl}"\ninstruments = ["BTC-USDT-SWAP"]\n`;
}

/** CPU time (ns) this process's main thread, and all its threads, have run so far (Linux schedstat). */
function cpuNs(): { main: number; all: number } {
  const read = (tid: string): number => Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  let all = 0;
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      all += read(tid);
    } catch {
      // a thread that just ended
    }
  }
  return { main: read(String(process.pid)), all };
}

interface Run {
  /** ns per frame spent inside the socket's message call: parse, books, frame end (the path to a signal). */
  hotNs: number;
  feed: number;
  disk: number;
  mainNs: number;
  allNs: number;
}

async function once(venue: Venue, recorder: string | undefined, data: readonly string[]): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "edgewatch-bench-rec-"));
  const text = `[bot]\nlog_level = "error"\n${feedTable(venue)}${recorder === undefined ? "" : `[recorder]\npath = "rec.sqlite"\n${recorder}\n`}`;
  const config = await loadConfigSource(text, join(dir, "bot.toml"), { registry: builtinRegistry });
  const fake = new FakeSocketFactory();
  const fixtureFetch = async () => Response.json({ instruments: [{ id: "BTC", tick: 0.1 }] });
  const transport = venue === "fixture" ? { sockets: observeSockets(fake.factory), fetch: fixtureFetch } : { sockets: observeSockets(fake.factory) };
  const runtime = new Runtime(config, { log: silentLogger, schedules: false, transport });
  let ends = 0;
  runtime.bus.on("frame.end", () => ends++, "bench");
  await runtime.start();
  while (fake.sockets.length === 0) await Bun.sleep(1); // shards open on a timer
  const socket = fake.last();
  socket.open();
  const sink = runtime.instances().get("recorder")?.handle as { flush?: () => Promise<void> } | undefined;
  await sink?.flush?.(); // the writer thread is up and has its file open
  Bun.gc(true);
  const c0 = cpuNs();
  const t0 = Bun.nanoseconds();
  let hot = 0;
  for (let i = 0; i < data.length; i += BURST) {
    const end = Math.min(data.length, i + BURST);
    const h0 = Bun.nanoseconds();
    for (let j = i; j < end; j++) socket.message(data[j]!);
    hot += Bun.nanoseconds() - h0;
    await new Promise((r) => setImmediate(r));
  }
  const fed = Bun.nanoseconds();
  const c1 = cpuNs();
  await sink?.flush?.();
  const c2 = cpuNs();
  const rate: Run = {
    hotNs: hot / data.length,
    feed: (data.length * 1e9) / (fed - t0),
    disk: (data.length * 1e9) / (Bun.nanoseconds() - t0),
    mainNs: (c1.main - c0.main) / data.length,
    allNs: (c2.all - c0.all) / data.length,
  };
  if (ends < data.length) throw new Error(`the feed did not process the frames (${ends} frame ends)`);
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

const variants: [string, string | undefined][] = [
  ["no recorder", undefined],
  ["recorder (zstd, default)", 'compress = "zstd"'],
  ["recorder, uncompressed", 'compress = "none"'],
];
const rows: string[][] = [];
for (const [venue, data] of [["okx", okxFrames()], ["hyperliquid", hlFrames()], ["fixture", frames()]] as [Venue, string[]][]) {
  const results = new Map<string, Run[]>(variants.map(([n]) => [n, []]));
  await once(venue, undefined, data.slice(0, 2000)); // warm-up
  for (let run = 0; run < 7; run++) {
    for (const [name, t] of variants) results.get(name)!.push(await once(venue, t, data));
  }
  const pick = (name: string, f: (r: Run) => number): number => median(results.get(name)!.map(f));
  const baseMain = pick("no recorder", (r) => r.mainNs);
  const baseHot = pick("no recorder", (r) => r.hotNs);
  const baseAll = pick("no recorder", (r) => r.allNs);
  for (const [name] of variants) {
    const main = pick(name, (r) => r.mainNs);
    const all = pick(name, (r) => r.allNs);
    const hot = pick(name, (r) => r.hotNs);
    const none = name === "no recorder";
    rows.push([
      `${{ okx: "OKX books + CRC32", hyperliquid: "Hyperliquid l2Book", fixture: "test feed" }[venue]} (~${Math.round(data[1]!.length)} B)`,
      name,
      none ? `${Math.round(hot)} ns` : `${Math.round(hot)} ns (${hot >= baseHot ? "+" : ""}${(((hot - baseHot) / baseHot) * 100).toFixed(1)}%)`,
      `${Math.round(main)} ns`,
      none ? "-" : `+${(((main - baseMain) / baseMain) * 100).toFixed(1)}%`,
      none ? `${Math.round(all)} ns` : `${Math.round(all)} ns (+${Math.round(all - baseAll)} ns)`,
      fmtRate(pick(name, (r) => r.feed)),
    ]);
  }
}
okxRest?.venue.stop();
hlRest?.stop();
console.log("### Recorder overhead\n");
console.log(
  `${FRAMES} frames through a feed plugin (in-memory socket, bursts of ${BURST}); median of 7 runs. "frame → frame.end": time per frame inside the socket's message call (parse, books, frame end: the path to a signal). CPU time per frame from Linux schedstat: the feed's thread (the recorder copies frames into its ring there, after the frame) and all threads (the writer thread compresses and inserts). Wall-clock frames/s is noisy on a shared machine (load average ${loadavg()[0]!.toFixed(1)} at the end of this run).\n`,
);
console.log(table(["feed", "variant", "frame → frame.end", "feed thread CPU/frame", "feed thread CPU vs without", "all threads CPU/frame", "frames/s (wall)"], rows));
