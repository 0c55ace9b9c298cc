// `bun run bench`: runs every bench/*.bench.ts in its own process (so one's heap does not skew the
// next), prints each result and writes docs/BENCHMARKS.md with the machine noted and a summary table of
// the headline figures against their targets (SUMMARY lines of the benches, plus figures read from the
// tables of benches that print none).
// `bun run bench bus book` runs only the files whose names contain one of the words (doc left alone).
// `bun run bench --quick …` passes BENCH_RUNS=2 and SOAK_FRAMES=2000000 to the benches that read them
// (doc left alone). BENCH_TIMEOUT_MS bounds each file (default 5 min; the longest, e2e-ccxt and soak, take ~2).
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { SummaryRow } from "./lib/summary.ts";
import { table } from "./stats.ts";

const dir = import.meta.dir;
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const filters = args.filter((a) => a !== "--quick");
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 300_000);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: "production" };
if (quick) {
  env.BENCH_RUNS ??= "2";
  env.SOAK_FRAMES ??= "2000000";
}

const sections: string[] = [];
const summaries: SummaryRow[] = [];
const t0 = Date.now();
for (const file of files) {
  process.stderr.write(`running ${file}…\n`);
  const started = Date.now();
  const proc = Bun.spawnSync(["bun", join(dir, file)], { stdout: "pipe", stderr: "inherit", env, timeout: timeoutMs });
  const lines = proc.stdout.toString().trim().split("\n");
  const own = lines.filter((l) => l.startsWith("SUMMARY ")).map((l) => JSON.parse(l.slice(8)) as SummaryRow);
  const text = lines.filter((l) => !l.startsWith("SUMMARY ")).join("\n").trim();
  process.stdout.write(text + "\n\n");
  process.stderr.write(`  ${file}: ${((Date.now() - started) / 1000).toFixed(0)} s${proc.exitCode === 0 ? "" : `, exit ${proc.exitCode}${proc.signalCode ? ` (${proc.signalCode})` : ""}`}\n`);
  if (proc.exitCode === 0) {
    sections.push(text);
    summaries.push(...own, ...readFigures(file, text));
  } else {
    sections.push(`### ${file}\n\nfailed (exit ${proc.exitCode}${proc.signalCode ? `, ${proc.signalCode}` : ""}):\n\n\`\`\`\n${text.slice(-3000)}\n\`\`\``);
    summaries.push({ figure: file, value: "failed", target: "-", met: false });
  }
}

/** Headline figures from the tables of benches that print no SUMMARY lines (omitted when not found). */
function readFigures(file: string, text: string): SummaryRow[] {
  const cell = (re: RegExp): string[] | undefined => re.exec(text)?.slice(1).map((s) => s.trim());
  const out: SummaryRow[] = [];
  if (file === "bus.bench.ts") {
    const one = cell(/^\| 1 \| ([^|]+) \|/m);
    const ten = cell(/^\| 10 \| ([^|]+) \|/m);
    if (one && ten) out.push({ figure: "Bus emits/s, 1 / 10 listeners", value: `${one[0]} / ${ten[0]}`, target: "-", met: undefined });
  }
  if (file === "book.bench.ts") {
    const d = cell(/^\| L2Book \(best last\), 1 level\/delta \| [^|]+ \| ([^|]+) \|/m);
    const w = cell(/^\| writer → book → frame\.end → strategy, 1 level\/frame \| [^|]+ \| ([^|]+) \|/m);
    if (d) out.push({ figure: "Book deltas/s, 400 levels (book alone; writer → frame.end → strategy)", value: `${d[0]}${w ? `; ${w[0]}` : ""}`, target: "-", met: undefined });
  }
  if (file === "feeds-perp-i.bench.ts") {
    const okx = cell(/^\| OKX books update, CRC32 verified \| ([^|]+) \| ([^|]+) \|/m);
    if (okx) out.push({ figure: "OKX books frames, parse + seq + CRC32 + store, no socket", value: okx[1]!, target: "-", met: undefined });
  }
  if (file === "recorder.bench.ts") {
    // the OKX row with the default recorder: the first cell holding a percentage, named by its column
    const rows = text.split("\n");
    const at = rows.findIndex((l) => /^\| OKX books/.test(l) && /\| recorder( \(zstd, default\))? \|/.test(l));
    if (at >= 0) {
      const cells = rows[at]!.split("|").map((c) => c.trim());
      let h = at;
      while (h > 0 && !rows[h - 1]!.startsWith("| ---")) h--;
      const header = (rows[h - 2] ?? "").split("|").map((c) => c.trim());
      const i = cells.findIndex((c) => /[+-]?\d+(\.\d+)?\s*%/.test(c));
      const pct = i < 0 ? Number.NaN : Number(/([+-]?\d+(?:\.\d+)?)\s*%/.exec(cells[i]!)![1]);
      if (i >= 0) out.push({ figure: `Recorder overhead, OKX books (${header[i] ?? "vs without"})`, value: cells[i]!, target: "< 10 %", met: pct < 10 });
    }
  }
  if (file === "replay.bench.ts") {
    const r = cell(/^\| replay --speed max[^|]*\| ([^|]+) \| ([^|]+) \|/m);
    if (r) out.push({ figure: "Replay speed, --speed max (feeds, books, strategy, router)", value: `${r[0]} (${r[1]} real time)`, target: "-", met: undefined });
  }
  return out;
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Bun ${Bun.version}, ${process.platform}/${process.arch}`;
const took = `${((Date.now() - t0) / 60_000).toFixed(1)} min`;
if (filters.length === 0 && !quick) {
  const mark = (m: boolean | undefined): string => (m === undefined ? "–" : m ? "met" : "**missed**");
  // the issue's headline figures first, in its order; failed files last
  const order = ["End to end", "Top of book", "Latency", "Scale", "Recorder", "Replay", "Soak", "Bus", "Book", "Parse", "OKX books"];
  const rank = (s: SummaryRow): number => {
    const i = order.findIndex((o) => s.figure.startsWith(o));
    return s.value === "failed" ? order.length + 1 : i < 0 ? order.length : i;
  };
  const summaryTable = table(
    ["figure", "measured", "target", ""],
    [...summaries].sort((a, b) => rank(a) - rank(b)).map((s) => [s.figure, s.value, s.target, mark(s.met)]),
  );
  const doc = `# Benchmarks

Written by \`bun run bench\` on ${new Date().toISOString().slice(0, 10)} (${took}).
Machine: ${machine}. Shared and noisy: figures are medians of several runs; compare ratios measured in the same run.
How each figure is measured, and what the missed targets need: [proof.md](proof.md).

## Summary

${summaryTable}

${sections.join("\n\n")}
`;
  writeFileSync(join(dir, "..", "docs", "BENCHMARKS.md"), doc);
  process.stderr.write(`wrote docs/BENCHMARKS.md (${took})\n`);
} else {
  for (const s of summaries) process.stderr.write(`  summary: ${s.figure}: ${s.value} (target ${s.target}${s.met === undefined ? "" : s.met ? ", met" : ", missed"})\n`);
  process.stderr.write(`partial or quick run: docs/BENCHMARKS.md left as it was (${took})\n`);
}
