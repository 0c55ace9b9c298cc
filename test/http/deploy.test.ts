import { describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../core/config/load.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";

const root = join(import.meta.dir, "..", "..");

describe("deployment files", () => {
  it("does ship a container config that validates, listens off loopback with a token, and keeps state on the volume", async () => {
    const config = await loadConfig(join(root, "deploy", "edgewatch.toml"), { registry: builtinRegistry, env: { EDGEWATCH_TOKEN: "0123456789abcdef0123" } });
    expect(config.core.http).toMatchObject({ listen: "0.0.0.0:8787", token: "0123456789abcdef0123" });
    expect(config.core.bot.data_dir).toBe("/app/data");
    expect(config.instances.map((i) => i.id)).toContain("redis");
    const missing = await loadConfig(join(root, "deploy", "edgewatch.toml"), { registry: builtinRegistry, env: {} }).then(() => undefined, (e: Error) => e.message);
    expect(missing).toContain("EDGEWATCH_TOKEN");
  });

  it("does copy into the image only paths that exist, and compose mounts the data volume and runs redis-server", () => {
    const docker = readFileSync(join(root, "Dockerfile"), "utf8");
    for (const m of docker.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) for (const path of m[1]!.split(" ")) expect(existsSync(join(root, path))).toBe(true);
    const compose = readFileSync(join(root, "compose.yaml"), "utf8");
    expect(compose).toContain("edgewatch-data:/app/data");
    expect(compose).toContain('command: ["redis-server"');
    expect(readFileSync(join(root, "deploy", "edgewatch.service"), "utf8")).toContain("ExecReload=/bin/kill -HUP $MAINPID");
  });
});
