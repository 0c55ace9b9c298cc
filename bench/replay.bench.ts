// Replay speed (issue 12): rows/s at --speed max through the real feeds (OKX books with CRC32,
// Hyperliquid l2Book), books, perp-spread and the alert router, on the bundled demo recording.
import { join } from "node:path";
import { replayConfig } from "../core/replay/prepare.ts";
import { openRecording } from "../core/replay/recording.ts";
import { runReplay } from "../core/replay/session.ts";
import { builtinRegistry } from "../plugins/builtins.ts";
import { fmtRate, median, table } from "./stats.ts";

const file = join(import.meta.dir, "../configs/demo.recording.sqlite");
const configFile = join(import.meta.dir, "../configs/demo.toml");
const rec = openRecording(file);
const rows = rec.count;
const seconds = (rec.lastTs - rec.firstTs) / 1000;
rec.close();

// reading alone: decompress and decode every row
const readRates: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = Bun.nanoseconds();
  const recording = openRecording(file);
  let n = 0;
  for (const _ of recording.rows()) n++;
  recording.close();
  readRates.push((n * 1e9) / (Bun.nanoseconds() - t0));
}

const rates: number[] = [];
let opportunities = 0;
for (let r = 0; r < 6; r++) {
  const recording = openRecording(file);
  const config = await replayConfig(recording, { configFile, registry: builtinRegistry });
  recording.close();
  const t0 = Bun.nanoseconds();
  const report = await runReplay({ file, config, speed: "max" });
  const rate = (rows * 1e9) / (Bun.nanoseconds() - t0);
  if (r > 0) rates.push(rate); // the first run warms up
  opportunities = report.opportunities.length;
}
const m = median(rates);
console.log("### Replay speed\n");
console.log(`Bundled demo recording: ${rows} rows, ${seconds.toFixed(0)} s of OKX + Hyperliquid books; ${opportunities} opportunities found each run; median of 5 runs.\n`);
console.log(
  table(
    ["what", "rows/s", "× real time"],
    [
      ["read + decode only", fmtRate(median(readRates)), "-"],
      ["replay --speed max (feeds, books, perp-spread, router)", fmtRate(m), `${Math.round((m / rows) * seconds)}×`],
    ],
  ),
);
