// Reconnect soak: one feed connection against a local fake venue is dropped and reopened 10,000 times
// (venue drops, venue close frames and client-forced reconnects in turn), resubscribing 50 ids and
// receiving their snapshots each time. Issue 4: RSS must grow < 5 MB from reconnect 1,000 to 10,000.
// Each run is its own process (`--child`) so runs do not share a heap; the table shows medians.
import { heapStats } from "bun:jsc";
import { Bus } from "../core/bus.ts";
import { systemClock } from "../core/clock.ts";
import { WsShards } from "../core/ws/shards.ts";
import { FakeVenue, type FakeClient } from "../test/fakes/fake-venue.ts";
import { median, table } from "./stats.ts";

const RUNS = 3;
const TOTAL = 10_000;
const MARKS = [1_000, 2_500, 5_000, 7_500, 10_000];
const IDS = Array.from({ length: 50 }, (_, i) => `ID-${i}`);

interface Sample {
  reconnects: number;
  rssMb: number;
  heapMb: number;
  objects: number;
}

interface RunResult {
  samples: Sample[];
  msPerReconnect: number;
  frames: number;
}

function sample(reconnects: number): Sample {
  Bun.gc(true);
  const h = heapStats();
  return { reconnects, rssMb: process.memoryUsage.rss() / 2 ** 20, heapMb: h.heapSize / 2 ** 20, objects: h.objectCount };
}

async function child(): Promise<RunResult> {
  let current: FakeClient | undefined;
  let expected = 0;
  const venue = FakeVenue.start({
    keepClosed: 0,
    heartbeat: (t) => (t === "ping" ? "pong" : undefined),
    subscription: (t) => {
      const m = JSON.parse(t) as { op: string; args: string[] };
      return m.op === "subscribe" ? { op: "subscribe", ids: m.args } : undefined;
    },
    onSubscribe: (c, ids) => {
      current = c;
      for (const id of ids) c.send(`{"id":"${id}","bids":[["1.0","2"]],"asks":[["1.1","3"]],"seq":1}`);
    },
  });
  const bus = new Bus();
  bus.on("feed.status", () => {});
  let frames = 0;
  let cycles = 0;
  const samples: Sample[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const t0 = performance.now();

  const ws = new WsShards({
    feed: "soak",
    clock: systemClock,
    bus,
    urls: [venue.url],
    backoff: { minMs: 1, maxMs: 1 },
    staleAfterMs: 30_000,
    healthyAfterMs: 60_000,
    heartbeat: { intervalMs: 10_000, payload: "ping", isPong: (f) => f === "pong" },
    encodeSubscribe: (ids) => [JSON.stringify({ op: "subscribe", args: ids })],
    onSubscribed: () => {
      expected = IDS.length;
    },
    onDown: () => {},
    onFrame: (data) => {
      frames++;
      if (typeof data === "string" && data.length > 0) expected--;
      if (expected !== 0) return;
      expected = -1;
      cycles++;
      if (MARKS.includes(cycles)) samples.push(sample(cycles));
      if (cycles >= TOTAL) return done();
      const c = current;
      // three ways a socket ends, in turn: venue drop (1006), venue close frame, client-forced reconnect
      queueMicrotask(() => {
        if (cycles % 3 === 0) c?.drop();
        else if (cycles % 3 === 1) c?.close(1001, "going away");
        else ws.connectionOf(IDS[0]!)?.reconnect("soak");
      });
    },
  });
  ws.subscribe(IDS);
  await finished;
  const ms = performance.now() - t0;
  ws.stop();
  venue.stop();
  return { samples, msPerReconnect: ms / TOTAL, frames };
}

if (process.argv.includes("--child")) {
  const r = await child();
  process.stdout.write(JSON.stringify(r) + "\n");
  process.exit(0);
}

const results: RunResult[] = [];
for (let i = 0; i < RUNS; i++) {
  const proc = Bun.spawnSync(["bun", import.meta.path, "--child"], { stdout: "pipe", stderr: "inherit" });
  if (proc.exitCode !== 0) throw new Error(`soak run ${i} failed (exit ${proc.exitCode})`);
  results.push(JSON.parse(proc.stdout.toString().trim().split("\n").at(-1)!) as RunResult);
}

const at = (r: RunResult, n: number): Sample => r.samples.find((s) => s.reconnects === n)!;
const rows = MARKS.map((n) => [
  n.toLocaleString("en-US"),
  median(results.map((r) => at(r, n).rssMb)).toFixed(1),
  median(results.map((r) => at(r, n).heapMb)).toFixed(1),
  median(results.map((r) => at(r, n).objects)).toLocaleString("en-US"),
]);
const growth = results.map((r) => at(r, 10_000).rssMb - at(r, 1_000).rssMb);
const heapGrowth = results.map((r) => at(r, 10_000).heapMb - at(r, 1_000).heapMb);

console.log("### WebSocket reconnect soak\n");
console.log(`${TOTAL.toLocaleString("en-US")} reconnects of one connection to a local fake venue, ${IDS.length} ids resubscribed`);
console.log(`and their snapshots received each time; after a full GC at each mark. Medians of ${RUNS} runs, each its own process.\n`);
console.log(table(["reconnects", "RSS MB", "JS heap MB", "heap objects"], rows));
console.log("");
console.log(
  table(
    ["figure", "median", "runs"],
    [
      ["RSS growth 1,000 → 10,000 (MB)", median(growth).toFixed(2), growth.map((g) => g.toFixed(2)).join(", ")],
      ["JS heap growth 1,000 → 10,000 (MB)", median(heapGrowth).toFixed(2), heapGrowth.map((g) => g.toFixed(2)).join(", ")],
      ["ms per reconnect (incl. resubscribe)", median(results.map((r) => r.msPerReconnect)).toFixed(2), results.map((r) => r.msPerReconnect.toFixed(2)).join(", ")],
    ],
  ),
);
if (median(growth) >= 5) {
  console.log("\nFAIL: RSS grew 5 MB or more between reconnect 1,000 and 10,000");
  process.exit(1);
}
