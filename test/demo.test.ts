import { describe, expect, it } from "bun:test";
import { join } from "node:path";

const root = join(import.meta.dir, "..");

describe("bun run bot (offline demo)", () => {
  it("prints an opportunity alert within 10 s and stops cleanly on SIGTERM", async () => {
    const proc = Bun.spawn(["bun", join(root, "core", "cli.ts")], { cwd: root, stdout: "pipe", stderr: "pipe" });
    let out = "";
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stdout) out += decoder.decode(chunk);
    })();
    const started = Date.now();
    while (!/\d bps on \$/.test(out) && Date.now() - started < 10_000) await Bun.sleep(50);
    const sawAlert = /\d bps on \$/.test(out);
    proc.kill("SIGTERM");
    const code = await proc.exited;
    await reading;
    expect(sawAlert).toBe(true);
    expect(code).toBe(0);
    expect(out).toContain("stopped cleanly");
  }, 25_000);
});
