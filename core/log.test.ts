import { afterEach, describe, expect, it } from "bun:test";
import { createLogger, MemorySink } from "./log.ts";
import { clearSecrets, registerSecret } from "./secrets.ts";

afterEach(() => clearSecrets());

describe("createLogger", () => {
  it("never writes a registered secret, in the message or in fields", () => {
    const sink = new MemorySink();
    const log = createLogger({ sink, format: "json" });
    registerSecret("123456:AAE-secret-token");
    log.child("tg").error("request to https://api.example/bot123456:AAE-secret-token/sendMessage failed", {
      url: "https://api.example/bot123456:AAE-secret-token/x",
      error: new Error("bad token 123456:AAE-secret-token"),
    });
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).not.toContain("AAE-secret-token");
    expect(sink.lines[0]).toContain("***");
  });

  it("filters by level, names child loggers and writes one JSON object per line", () => {
    const sink = new MemorySink();
    const log = createLogger({ sink, format: "json", level: "warn" });
    log.info("hidden");
    log.child("venue_a").child("shard1").warn("shown", { n: 1 });
    expect(sink.lines).toHaveLength(1);
    const o = JSON.parse(sink.lines[0]!);
    expect(o).toMatchObject({ level: "warn", name: "venue_a.shard1", msg: "shown", n: 1 });
  });

  it("logs a repeated situation once per key", () => {
    const sink = new MemorySink();
    const log = createLogger({ sink });
    for (let i = 0; i < 5; i++) log.child("f").once("shape:x", "warn", "unknown message shape");
    log.child("g").once("shape:x", "warn", "unknown message shape");
    expect(sink.lines).toHaveLength(2);
    expect(sink.lines[0]).toContain("[f] unknown message shape");
  });
});
