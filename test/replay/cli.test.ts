import { beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseReplayArgs, parseTime } from "../../core/replay/command.ts";
import { recordSession, type RecordedSession } from "./fixtures/record.ts";
import { paths } from "./fixtures/session.ts";

let session: RecordedSession;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(["bun", paths.cli, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

describe("replay command", () => {
  beforeAll(async () => {
    session = await recordSession();
  }, 30_000);

  it("does print the summary and write byte-identical JSON reports, with the config taken from the recording", async () => {
    const one = join(session.dir, "one.json");
    const two = join(session.dir, "two.json");
    const first = await cli("replay", session.file, "--report", one, "--quiet");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("strategy");
    expect(first.stdout).toMatch(/pair\s+\d+\s+\d+/);
    const second = await cli("replay", session.file, "--speed", "20", "--report", two, "--quiet");
    expect(second.code).toBe(0);
    expect(readFileSync(two, "utf8")).toBe(readFileSync(one, "utf8"));
    const report = JSON.parse(readFileSync(one, "utf8")) as { opportunities: unknown[]; totals: Record<string, { opportunities: number }> };
    expect(report.opportunities.length).toBe(session.live.length);
    expect(report.totals.pair!.opportunities).toBe(session.live.length);
  }, 30_000);

  it("does exit 2 on wrong usage and 1 on a file that is not a recording", async () => {
    expect((await cli("replay")).code).toBe(2);
    expect((await cli("replay", session.file, "--speed", "fast")).code).toBe(2);
    const notOne = await cli("replay", join(session.dir, "live.toml"));
    expect(notOne.code).toBe(1);
  }, 30_000);

  it("does say so when the replayed config has no strategies (a collector's recording)", async () => {
    const r = await cli("replay", join(paths.cli, "..", "..", "configs", "demo.recording.sqlite"), "--speed", "max", "--quiet", "--to", "+5s");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("has no [strategies]: nothing can fire; pass --config");
  }, 30_000);
});

describe("parseReplayArgs", () => {
  it("does read every option", () => {
    expect(parseReplayArgs(["r.sqlite", "--config", "c.toml", "--speed", "10", "--from", "+5s", "--to", "+1m", "--report", "o.json", "--notify"])).toEqual({
      file: "r.sqlite",
      config: "c.toml",
      speed: 10,
      from: "+5s",
      to: "+1m",
      report: "o.json",
      notify: true,
      quiet: false,
    });
    expect(parseReplayArgs(["r.sqlite", "--bogus"])).toBe("unknown option --bogus");
    expect(parseReplayArgs(["--speed", "max"])).toBe("missing the recording file");
  });

  it("does read times as offsets, epoch ms and ISO 8601", () => {
    expect(parseTime("+90s", 1_000)).toBe(91_000);
    expect(parseTime("+2m", 0)).toBe(120_000);
    expect(parseTime("1795509319258", 0)).toBe(1795509319258);
    expect(parseTime("2026-11-24T08:00:00Z", 0)).toBe(Date.parse("2026-11-24T08:00:00Z"));
    expect(parseTime("soon", 0)).toBeUndefined();
  });
});
