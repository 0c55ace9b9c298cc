// `bun run bench`: runs every bench/*.bench.ts in its own process (so one's heap does not skew the
// next), prints each result and writes docs/BENCHMARKS.md with the machine noted.
// `bun run bench bus book` runs only the files whose names contain one of the words.
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

const dir = import.meta.dir;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

const sections: string[] = [];
for (const file of files) {
  process.stderr.write(`running ${file}…\n`);
  const proc = Bun.spawnSync(["bun", join(dir, file)], { stdout: "pipe", stderr: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  const text = proc.stdout.toString().trim();
  process.stdout.write(text + "\n\n");
  sections.push(proc.exitCode === 0 ? text : `### ${file}\n\nfailed (exit ${proc.exitCode}):\n\n\`\`\`\n${text}\n\`\`\``);
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Bun ${Bun.version}, ${process.platform}/${process.arch}`;
if (filters.length === 0) {
  const doc = `# Benchmarks

Written by \`bun run bench\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}. Shared and noisy: figures are medians of several runs; compare ratios measured in the same run.

${sections.join("\n\n")}
`;
  writeFileSync(join(dir, "..", "docs", "BENCHMARKS.md"), doc);
  process.stderr.write("wrote docs/BENCHMARKS.md\n");
} else {
  process.stderr.write("partial run: docs/BENCHMARKS.md left as it was\n");
}
