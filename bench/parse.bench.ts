// Parse throughput per venue: each feed's pure parse on its captured market-data frames (the ws_* fixtures:
// books, quotes, trades, prices; Paradex frames SBE-encoded from the published schema), in rotation.
// Parse only: no sequence checks, no store. Feed-level paths (parse + book) are in feeds-*.bench.ts.
import { venueParsers } from "../test/fuzz/venues.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";
import { summary } from "./lib/summary.ts";

const RUNS = 5;
const N = 100_000;
const rows: string[][] = [];
for (const v of venueParsers()) {
  const frames = v.dataFrames;
  const bytes = frames.reduce((s, f) => s + (typeof f === "string" ? Buffer.byteLength(f) : f.byteLength), 0) / frames.length;
  let sink = 0;
  const rates = opsPerSecond(RUNS, N, () => {
    for (let i = 0; i < N; i++) if (v.parse(frames[i % frames.length]!) !== undefined) sink++;
  });
  if (sink === 0) throw new Error(`${v.venue}: the parser returned nothing`);
  const r = median(rates);
  rows.push([v.venue, String(frames.length), `${bytes.toFixed(0)} B`, fmtRate(r), `${((r * bytes) / 2 ** 20).toFixed(0)} MB/s`]);
}
console.log("### Parse throughput per venue (bench/parse.bench.ts)\n");
console.log(`Each venue's pure parse on its captured market-data frames in rotation, ${N.toLocaleString("en")} frames per run, median of ${RUNS} runs.\n`);
console.log(table(["venue", "frames in rotation", "mean frame", "frames/s", "throughput"], rows));
summary({ figure: "Parse throughput per venue (pure parse, captured frames)", value: rows.map((r) => `${r[0]} ${r[3]}`).join(", "), target: "-", met: undefined });
