// Scale (issue 13: 10,000 Polymarket assets, RSS < 250 MB, all books live < 3 s). The fake CLOB + Gamma
// runs in its own process (bench/lib/clob-server.ts) so the RSS measured is the bot's alone; each trial is
// a fresh process (bench/lib/scale-client.ts): discovery → 50 connections of 200 assets → every book live.
import { join } from "node:path";
import { summary } from "./lib/summary.ts";
import type { ScaleResult } from "./lib/scale-client.ts";
import { runTrial, startServer } from "./lib/spawn.ts";
import { median, table } from "./stats.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const lib = join(import.meta.dir, "lib");
const server = await startServer<{ wsUrl: string; httpUrl: string }>([join(lib, "clob-server.ts")]);
const rows: string[][] = [];
let fast: { ms: number; rss: number } | undefined;
try {
  for (const stagger of [20, 300]) {
    const runs: ScaleResult[] = [];
    const n = stagger === 300 ? 1 : RUNS;
    for (let r = 0; r < n; r++) runs.push(await runTrial<ScaleResult>([join(lib, "scale-client.ts"), server.ready.wsUrl, server.ready.httpUrl, String(stagger)]));
    const m = (f: (x: ScaleResult) => number) => median(runs.map(f));
    if (stagger === 20) fast = { ms: m((x) => x.ms), rss: m((x) => x.rssMb) };
    rows.push([
      `${stagger} ms${stagger === 300 ? " (default)" : ""}`,
      String(runs[0]!.connections),
      runs[0]!.assets.toLocaleString("en"),
      `${(m((x) => x.ms) / 1000).toFixed(2)} s`,
      `${m((x) => x.rssMb).toFixed(0)} MB`,
      `${m((x) => x.rssAfterGcMb).toFixed(0)} MB`,
      `${m((x) => x.rssBeforeMb).toFixed(0)} MB`,
      String(n),
    ]);
  }
} finally {
  server.stop();
}
console.log("### Scale: 10,000 Polymarket assets, venue in its own process (bench/scale-polymarket.bench.ts)\n");
console.log("Fake CLOB + Gamma (5,000 binary markets) in a separate process; the bot process discovers them, subscribes 10,000 assets over 50 connections and waits until every book is live. RSS is the bot process alone.\n");
console.log(table(["connect_stagger_ms", "connections", "assets", "time to all-live", "RSS at all-live", "RSS after GC", "RSS at start", "runs (median)"], rows));
if (fast !== undefined) {
  summary({ figure: "Scale: 10,000 Polymarket assets (connect_stagger_ms 20)", value: `all live in ${(fast.ms / 1000).toFixed(2)} s, RSS ${fast.rss.toFixed(0)} MB`, target: "< 3 s, RSS < 250 MB", met: fast.ms < 3_000 && fast.rss < 250 });
}
