import { afterEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { loadConfigSource } from "../../core/config/load.ts";
import { ConfigError } from "../../core/errors.ts";
import { isLoopback, parseListen, startHttpServer, type HttpServer } from "../../core/http/server.ts";
import { registry, startTestBot, tempDir, type TestBot } from "./kit.ts";

let bot: TestBot | undefined;
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await bot?.stop();
  bot = undefined;
});

describe("HTTP server", () => {
  it("does bind 127.0.0.1 on a free port when asked for port 0, and logs the URL", async () => {
    bot = await startTestBot(`[feeds.a]\nplugin = "tick"\ninstruments = ["X"]\n`);
    server = startHttpServer({ listen: "127.0.0.1:0", stream_throttle_ms: 250 }, bot.sources);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(bot.logs.lines.some((l) => l.includes("http listening") && l.includes(server!.url))).toBe(true);
  });

  it("does refuse to bind off loopback without a token", async () => {
    bot = await startTestBot(`[feeds.a]\nplugin = "tick"\ninstruments = ["X"]\n`);
    expect(() => startHttpServer({ listen: "0.0.0.0:0", stream_throttle_ms: 250 }, bot!.sources)).toThrow(/not a loopback address/);
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("0.0.0.0")).toBe(false);
    expect(parseListen("[::1]:8787")).toEqual({ hostname: "::1", port: 8787 });
  });

  it("does reject a config that listens off loopback without a token, at load with file:line", async () => {
    const file = join(tempDir(), "bot.toml");
    const error = await loadConfigSource(`[http]\nlisten = "0.0.0.0:8787"\n`, file, { registry, env: {} }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${file}:1:2: http: listen off loopback needs a token`);
    const ok = await loadConfigSource(`[http]\nlisten = "0.0.0.0:8787"\ntoken = "a-long-enough-token-123"\n`, file, { registry, env: {} });
    expect(ok.core.http?.listen).toBe("0.0.0.0:8787");
  });
});
