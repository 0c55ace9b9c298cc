// Soak (issue 13, bench only): 10 M replayed OKX `books` frames (4 instruments, 400 levels, CRC32) through
// the runtime — okx feed → store → perp-spread against a demo feed — over in-memory sockets, with the
// venue dropping the connection every 200,004 frames (49 disconnects: reconnect, resubscribe, acks, fresh
// snapshots, the same recorded session replayed). RSS and heap are sampled (after a full GC) every 1 M
// frames; flat means the last samples do not grow. `SOAK_FRAMES` overrides the total.
import { heapStats } from "bun:jsc";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigSource } from "../core/config/load.ts";
import { silentLogger } from "../core/log.ts";
import { createRegistry } from "../core/registry.ts";
import { Runtime } from "../core/runtime.ts";
import { demoFeed } from "../plugins/feeds/demo/index.ts";
import fixture from "../plugins/feeds/okx/fixtures/http_nautilus_get_instruments_swap.json";
import { okxFeed } from "../plugins/feeds/okx/index.ts";
import { okxKey } from "../plugins/feeds/okx/instruments.ts";
import { perpSpread } from "../strategies/perp-spread/index.ts";
import { FakeSocketFactory } from "../test/fakes/fake-socket.ts";
import { booksStream, streamInstruments } from "./lib/okx-frames.ts";
import { fmtRate, table } from "./stats.ts";
import { summary } from "./lib/summary.ts";

const TOTAL = Number(process.env.SOAK_FRAMES ?? 10_000_000);
const PER_INSTRUMENT = 50_000;
const SAMPLE_EVERY = 1_000_000;
const BURST = 500;

const instruments = streamInstruments(4);
const streams = instruments.map((inst, i) => booksStream(inst, PER_INSTRUMENT, 300 + i));
// one session as the venue sends it: snapshots, then the updates interleaved
const session: string[] = streams.map((s) => s.snapshot);
for (let k = 0; k < PER_INSTRUMENT; k++) for (const s of streams) session.push(s.updates[k]!);

const template = fixture.data.find((r) => r.instId === "BTC-USDT-SWAP")!;
const rows = instruments.map((inst) => {
  const base = inst.instId.split("-")[0]!;
  return { ...template, instId: inst.instId, uly: `${base}-USDT`, instFamily: `${base}-USDT`, ctValCcy: base, ctVal: String(inst.ctVal), tickSz: String(inst.tick) };
});
const fetchInstruments = async (): Promise<Response> => Response.json({ code: "0", msg: "", data: rows });

const source = `[bot]
data_dir = "${mkdtempSync(join(tmpdir(), "ew-soak-")).replaceAll("\\", "/")}"
[feeds.okx]
plugin = "okx"
ws_url = "wss://fake.invalid/ws/v5/public"
rest_url = "http://fake.invalid"
instruments = [${instruments.map((i) => `"${i.instId}"`).join(", ")}]
reconnect_min_ms = 1
reconnect_max_ms = 5
[feeds.ref]
plugin = "demo"
seed = 1
interval_ms = 1000
instruments = [${streams.map((s) => `{ id = "${s.plan.instId}", key = "${okxKey(s.plan.instId)}", start_price = ${(s.plan.bestBid + s.plan.bestAsk) / 2}, tick = 0.01 }`).join(", ")}]
[strategies.spread]
plugin = "perp-spread"
feeds = ["okx", "ref"]
taker_fee_bps = { okx = 5, ref = 5 }
`;
const fake = new FakeSocketFactory();
const rt = new Runtime(await loadConfigSource(source, "soak.toml", { registry: createRegistry([okxFeed, demoFeed, perpSpread]), env: {} }), {
  log: silentLogger,
  schedules: false,
  transport: { sockets: fake.factory, fetch: fetchInstruments },
});
let frameEnds = 0;
rt.bus.on("frame.end", (f) => {
  if (f.feed === "okx") frameEnds++;
});
await rt.start();

/** The next socket the feed opens, opened and subscribed: acks for every arg it asked for. */
async function connect(): Promise<ReturnType<FakeSocketFactory["last"]>> {
  const before = fake.sockets.length;
  for (let i = 0; fake.sockets.length === before || !fake.last().alive; i++) {
    if (i > 20_000) throw new Error("the feed did not reconnect");
    await Bun.sleep(1);
  }
  const socket = fake.last();
  socket.open();
  for (let i = 0; socket.texts.length === 0; i++) {
    if (i > 20_000) throw new Error("the feed did not subscribe");
    await Bun.sleep(1);
  }
  for (const text of socket.texts) {
    const m = JSON.parse(text) as { op: string; args: { channel: string; instId: string }[] };
    for (const arg of m.args) socket.message(JSON.stringify({ event: m.op, arg, connId: "soak" }));
  }
  return socket;
}

interface Sample {
  frames: number;
  rssMb: number;
  heapMb: number;
  objects: number;
}
const samples: Sample[] = [];
/** After a full GC and a pause for the allocator to hand pages back, so RSS shows what is kept. */
async function sample(frames: number): Promise<void> {
  Bun.gc(true);
  await Bun.sleep(300);
  Bun.gc(true);
  const h = heapStats();
  samples.push({ frames, rssMb: process.memoryUsage().rss / 2 ** 20, heapMb: h.heapSize / 2 ** 20, objects: h.objectCount });
}

let sent = 0;
let disconnects = 0;
const t0 = Bun.nanoseconds();
await sample(0);
while (sent < TOTAL) {
  const socket = await connect();
  for (let i = 0; i < session.length && sent < TOTAL; i += BURST) {
    const end = Math.min(session.length, i + BURST, i + (TOTAL - sent));
    for (let j = i; j < end; j++) socket.message(session[j]!);
    const before = sent;
    sent += end - i;
    if (Math.floor(before / SAMPLE_EVERY) !== Math.floor(sent / SAMPLE_EVERY)) await sample(sent);
    await new Promise((r) => setImmediate(r));
  }
  if (sent < TOTAL) {
    socket.close(1006, "soak: venue dropped the connection");
    disconnects++;
  }
}
const seconds = (Bun.nanoseconds() - t0) / 1e9;
const stats = (rt.instances().get("okx")?.handle as { stats?: () => { reconnects: number; resyncs: number } } | undefined)?.stats?.();
await rt.stop();
if (frameEnds < TOTAL * 0.99) throw new Error(`only ${frameEnds} frames were processed of ${TOTAL}`);

const first = samples.find((s) => s.frames >= SAMPLE_EVERY) ?? samples[0]!;
const last = samples[samples.length - 1]!;
console.log("### Soak: 10 M replayed frames with disconnects (bench/soak.bench.ts)\n");
console.log(
  `${TOTAL.toLocaleString("en")} OKX books frames (4 instruments, 400 levels, CRC32) replayed over in-memory sockets into okx feed → store → perp-spread; ` +
    `the venue drops the connection every ${session.length.toLocaleString("en")} frames (${disconnects} disconnects, feed reconnects: ${stats?.reconnects ?? "?"}, resyncs: ${stats?.resyncs ?? "?"}). ` +
    `${fmtRate(TOTAL / seconds)} over ${seconds.toFixed(0)} s. Samples after a full GC.\n`,
);
console.log(
  table(
    ["frames", "RSS", "heap", "objects"],
    samples.map((s) => [s.frames.toLocaleString("en"), `${s.rssMb.toFixed(1)} MB`, `${s.heapMb.toFixed(1)} MB`, s.objects.toLocaleString("en")]),
  ),
);
console.log(`\nRSS from ${first.frames.toLocaleString("en")} to ${last.frames.toLocaleString("en")} frames: ${(last.rssMb - first.rssMb >= 0 ? "+" : "")}${(last.rssMb - first.rssMb).toFixed(1)} MB; heap ${(last.heapMb - first.heapMb >= 0 ? "+" : "")}${(last.heapMb - first.heapMb).toFixed(1)} MB.`);
const growth = last.rssMb - first.rssMb;
const heapGrowth = last.heapMb - first.heapMb;
const rssMax = Math.max(...samples.filter((x) => x.frames >= first.frames).map((x) => x.rssMb));
summary({
  figure: `Soak: ${TOTAL.toLocaleString("en")} replayed frames, ${disconnects} disconnects`,
  value: `RSS ${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB (max ${rssMax.toFixed(0)}), heap ${heapGrowth >= 0 ? "+" : ""}${heapGrowth.toFixed(1)} MB after the first 1 M`,
  target: "flat RSS",
  // flat: the heap kept does not grow and RSS ends within 10 % of where it was after warm-up
  met: heapGrowth < 2 && growth < first.rssMb * 0.1,
});
process.exit(0);
