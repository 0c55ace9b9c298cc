import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const dir = mkdtempSync(join(tmpdir(), "edgewatch-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function cli(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawnSync(["bun", join(root, "core", "cli.ts"), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

const valid = `[bot]
name = "cli-test"

[notifiers.out]
plugin = "console"
format = "json"

[[alerts.routes]]
notifiers = ["out"]
`;

/** What the example configs read from the environment (placeholders: `check` connects to nothing). */
const exampleSecrets = {
  EDGEWATCH_TOKEN: "test-token-0123456789abcdef",
  TELEGRAM_BOT_TOKEN: "123456:test-token",
  TELEGRAM_CHAT_ID: "-1001234567890",
  DISCORD_WEBHOOK_URL: "http://127.0.0.1:9/webhook",
  WEBHOOK_URL: "http://127.0.0.1:9/hook",
  WEBHOOK_SECRET: "test-secret-0123456789",
  KALSHI_API_KEY_ID: "test-key-id",
  KALSHI_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\\nplaceholder\\n-----END PRIVATE KEY-----",
  PREDICT_API_KEY: "test-api-key-0123",
};

describe("bun run bot check", () => {
  it("prints ok and a summary for a valid config (exit 0)", () => {
    const r = cli(["check", write("valid.toml", valid)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok .*valid\.toml: 0 feeds, 0 strategies, 1 notifiers \(out\), 0 sinks, 1 routes, 0 schedules, no http\n$/);
  });

  it("(a) a misspelt key: file:line:col with a suggestion (exit 1)", () => {
    const f = write("a.toml", valid.replace('format = "json"', 'fromat = "json"'));
    const r = cli(["check", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${f}:6:1: notifiers.out.fromat: expected a known key (format, stream), found unknown key "fromat" (did you mean "format"?)\n`);
  });

  it("(b) a wrong type (exit 1)", () => {
    const f = write("b.toml", valid.replace('name = "cli-test"', "name = true"));
    const r = cli(["check", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${f}:2:8: bot.name: expected string, found true\n`);
  });

  it("(c) an unknown plugin (exit 1)", () => {
    const f = write("c.toml", valid.replace('plugin = "console"', 'plugin = "consle"'));
    const r = cli(["check", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toStartWith(`${f}:5:10: notifiers.out.plugin: expected a built-in notifier plugin (`);
    expect(r.stderr).toContain('found "consle" (did you mean "console"?)');
  });

  it("(d) a missing env var, and a secret from the environment never printed (exit 1)", () => {
    const secret = "tok-9f8e7d6c5b4a3";
    // The token is registered as a secret because its key looks secret (bot_token); the same value
    // echoed under another key (a wrong api_url) is redacted there too.
    const f = write(
      "d.toml",
      valid.replace('name = "cli-test"', 'name = "${EW_TEST_MISSING}"') +
        '\n[notifiers.tg]\nplugin = "telegram"\nbot_token = "${EW_TEST_SECRET}"\nchat_ids = [1]\napi_url = "${EW_TEST_SECRET}"\n',
    );
    const r = cli(["check", f], { EW_TEST_SECRET: secret });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}:2:8: bot.name: expected environment variable EW_TEST_MISSING to be set, found it unset`);
    expect(r.stderr).toContain(`${f}:15:11: notifiers.tg.api_url:`);
    expect(r.stderr).toContain('"***"');
    expect(r.stderr + r.stdout).not.toContain(secret);
  });

  it("(e) a TOML syntax error keeps the parser's line and column (exit 1)", () => {
    const f = write("e.toml", valid.replace("[[alerts.routes]]", "[[alerts.routes]"));
    const r = cli(["check", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${f.replace(/[.]/g, "\\.")}:8:\\d+: expected valid TOML, found a syntax error`));
  });

  it("checks every bundled config (each starts with #:schema)", () => {
    const names = readdirSync(join(root, "configs")).filter((n) => n.endsWith(".toml") && n !== "equivalences.toml");
    expect(names).toContain("demo.toml");
    for (const name of names) {
      expect(readFileSync(join(root, "configs", name), "utf8")).toStartWith("#:schema ../schema/edgewatch.schema.json");
      const r = cli(["check", join(root, "configs", name)], exampleSecrets);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
  });
});

describe("bun run bot usage", () => {
  it("prints help with exit 0", () => {
    for (const args of [["--help"], ["-h"], ["check", "--help"], ["schema", "--help"], ["plugins", "--help"]]) {
      const r = cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Usage");
    }
  });

  it("exits 2 on wrong usage", () => {
    expect(cli(["frobnicate"]).code).toBe(2);
    expect(cli(["check"]).code).toBe(2);
    expect(cli(["check", "a.toml", "b.toml"]).code).toBe(2);
    expect(cli(["--bogus"]).code).toBe(2);
  });

  it("lists plugins by kind and prints the schema", () => {
    const p = cli(["plugins"]);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain("notifiers:\n");
    expect(p.stdout).toMatch(/ {2}console +Prints alerts/);
    const s = cli(["schema"]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("exits 1 when a config file is missing", () => {
    const r = cli(["check", join(dir, "nope.toml")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nope.toml:1:1: expected a readable TOML file, found no such file");
  });
});
