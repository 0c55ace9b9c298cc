// End to end vs CCXT Pro (issue 13): a fake OKX venue in a separate process (bench/lib/okx-stream-server.ts)
// streams 400-level `books` (seqId/prevSeqId, real CRC32) and `bbo-tbt` for several instruments as fast as
// the client reads. edgewatch (okx feed → parse → seq + checksum → store → perp-spread) and ccxt.pro
// `watchOrderBook` take turns against the same server, each trial in a fresh process, in the same run.
// Updates/s = all update frames / (first book frame → every instrument on its last seqId). Both clients
// must end on the venue's final top of book; edgewatch must not resync (every checksum verified).
import { loadavg } from "node:os";
import { join } from "node:path";
import type { TrialResult } from "./lib/e2e-client.ts";
import { runTrial, startServer } from "./lib/spawn.ts";
import { fmtRate, median, table } from "./stats.ts";
import { summary } from "./lib/summary.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const INSTRUMENTS = 4;
const BOOKS_N = 100_000;
const BBO_N = 200_000;
const lib = join(import.meta.dir, "lib");

const server = await startServer<{ port: number; buildMs: number }>([join(lib, "okx-stream-server.ts"), String(INSTRUMENTS), String(BOOKS_N), String(BBO_N)]);
const port = String(server.ready.port);

async function compare(channel: string): Promise<{ ew: TrialResult[]; cx: TrialResult[] }> {
  const ew: TrialResult[] = [];
  const cx: TrialResult[] = [];
  for (let r = 0; r < RUNS; r++) {
    // alternate who goes first so a burst of load elsewhere does not always hit the same client
    const order = r % 2 === 0 ? ["edgewatch", "ccxt"] : ["ccxt", "edgewatch"];
    for (const client of order) {
      const res = await runTrial<TrialResult>([join(lib, "e2e-client.ts"), client, port, channel]);
      (client === "ccxt" ? cx : ew).push(res);
      process.stderr.write(`  ${channel} ${client}: ${fmtRate(res.perSecond)}\n`);
    }
  }
  return { ew, cx };
}

const rows: string[][] = [];
const ratios: string[] = [];
const loadBefore = loadavg()[0]!;
try {
  for (const [channel, what] of [
    ["books", `books, 400 levels, ${INSTRUMENTS} instruments × ${BOOKS_N.toLocaleString("en")} updates`],
    ["bbo-tbt", `bbo-tbt (top of book), ${INSTRUMENTS} instruments × ${BBO_N.toLocaleString("en")} pushes`],
  ] as const) {
    const { ew, cx } = await compare(channel);
    const e = median(ew.map((x) => x.perSecond));
    const c = median(cx.map((x) => x.perSecond));
    // the ratio of each run's pair, then the median: both sides of a pair saw the same machine state
    const pairRatio = median(ew.map((x, i) => x.perSecond / cx[i]!.perSecond));
    rows.push([what, fmtRate(e), fmtRate(c), `${(e / c).toFixed(2)}×`, `${pairRatio.toFixed(2)}×`]);
    if (channel === "books") {
      summary({ figure: "End to end vs CCXT Pro, OKX books 400 levels (seq + CRC32 on)", value: `${fmtRate(e)} vs ${fmtRate(c)} = ${pairRatio.toFixed(2)}×`, target: "≥ 4× CCXT", met: pairRatio >= 4 });
    } else {
      summary({ figure: "Top of book end to end, OKX bbo-tbt (vs CCXT)", value: `${fmtRate(e)} (${pairRatio.toFixed(2)}× CCXT)`, target: "≥ 500k msg/s", met: e >= 500_000 });
    }
    ratios.push(`${channel}: edgewatch ${ew.map((x) => fmtRate(x.perSecond)).join(", ")}; ccxt ${cx.map((x) => fmtRate(x.perSecond)).join(", ")}`);
  }
} finally {
  server.stop();
}

console.log(`### End to end vs CCXT Pro (bench/e2e-ccxt.bench.ts)\n`);
console.log(
  `Fake OKX in its own process, frames as fast as the client reads, one trial per process, median of ${RUNS} runs each, clients alternating. ` +
    `edgewatch: okx feed (seqId + CRC32 checked) → store → perp-spread (2 solves per frame). ccxt ${(await import("ccxt")).version}: pro.okx watchOrderBook (seqId checked; this ccxt does not verify OKX checksums).\n`,
);
console.log(table(["stream", "edgewatch updates/s", "ccxt updates/s", "ratio (medians)", "ratio (median of pairs)"], rows));
console.log(`\nRuns: ${ratios.join(" — ")}. Load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after, on ${navigator.hardwareConcurrency} cores.`);
