import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import * as v from "valibot";
import { isSecretPath } from "../../core/config/env.ts";
import { loadConfigSource } from "../../core/config/load.ts";
import { clearSecrets, redact } from "../../core/secrets.ts";
import { ConfigError, formatProblem } from "../../core/errors.ts";
import { defineFeed, defineStrategy } from "../../core/plugin.ts";
import { createRegistry } from "../../core/registry.ts";
import { consoleNotifier } from "../../plugins/notifiers/console/index.ts";

const testFeed = defineFeed({
  name: "test-feed",
  description: "feed for tests",
  config: v.strictObject({
    ws_url: v.string(),
    bot_token: v.optional(v.picklist(["a-valid-token"])),
    instruments: v.optional(v.array(v.string()), []),
    reconnect_max_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 30000),
  }),
  actions: ["discover"],
  setup: () => ({}),
});
const testStrategy = defineStrategy({
  name: "spread",
  description: "strategy for tests",
  config: v.strictObject({ feeds: v.array(v.string()), min_edge_bps: v.optional(v.number(), 5) }),
  setup: () => ({}),
});
const registry = createRegistry([testFeed, testStrategy, consoleNotifier]);
const file = join(import.meta.dir, "virtual.toml");

async function problems(source: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadConfigSource(source, file, { registry, env });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => formatProblem(p).replace(file, "F"));
  }
}

const valid = `[bot]
name = "t"

[feeds.a]
plugin = "test-feed"
ws_url = "ws://127.0.0.1:1"

[strategies.s]
plugin = "spread"
feeds = ["a"]

[[alerts.routes]]
notifiers = ["console"]
`;

describe("loadConfigSource", () => {
  it("accepts a valid config and freezes it", async () => {
    const config = await loadConfigSource(valid, file, { registry, env: {} });
    expect(config.instances.map((i) => i.id)).toEqual(["a", "s", "console"]);
    expect(Object.isFrozen(config.core.bot)).toBe(true);
    expect(Object.isFrozen(config.instances[0]!.config)).toBe(true);
    expect((config.instances[0]!.config as { reconnect_max_ms: number }).reconnect_max_ms).toBe(30000);
  });

  it("names a misspelt key with its line, column and a suggestion", async () => {
    const got = await problems(valid.replace('ws_url = "ws://127.0.0.1:1"', 'ws_url = "ws://127.0.0.1:1"\nreconect_max_ms = 5'));
    expect(got).toEqual([
      'F:7:1: feeds.a.reconect_max_ms: expected a known key (ws_url, bot_token, instruments, reconnect_max_ms), found unknown key "reconect_max_ms" (did you mean "reconnect_max_ms"?)',
    ]);
  });

  it("names a wrong type at the value", async () => {
    const got = await problems(valid.replace('name = "t"', "name = 12"));
    expect(got).toEqual(["F:2:8: bot.name: expected string, found 12"]);
  });

  it("names an unknown plugin with a suggestion", async () => {
    const got = await problems(valid.replace('plugin = "test-feed"', 'plugin = "test-fed"'));
    expect(got).toHaveLength(1);
    expect(got[0]).toStartWith('F:5:10: feeds.a.plugin: expected a built-in feed plugin (test-feed) or a path "./file.ts", found "test-fed" (did you mean "test-feed"?)');
  });

  it("names a missing environment variable", async () => {
    const got = await problems(valid.replace('"ws://127.0.0.1:1"', '"${FEED_URL}"'));
    expect(got).toEqual(["F:6:10: feeds.a.ws_url: expected environment variable FEED_URL to be set, found it unset"]);
  });

  it("uses ${VAR:-default} and the environment", async () => {
    const a = await loadConfigSource(valid.replace('"ws://127.0.0.1:1"', '"${FEED_URL:-ws://127.0.0.1:9}"'), file, { registry, env: {} });
    expect((a.instances[0]!.config as { ws_url: string }).ws_url).toBe("ws://127.0.0.1:9");
    const b = await loadConfigSource(valid.replace('"ws://127.0.0.1:1"', '"${FEED_URL:-x}"'), file, { registry, env: { FEED_URL: "ws://h:1" } });
    expect((b.instances[0]!.config as { ws_url: string }).ws_url).toBe("ws://h:1");
  });

  it("keeps the TOML syntax error position", async () => {
    const got = await problems(valid.replace('name = "t"', 'name = "t'));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^F:2:\d+: expected valid TOML, found a syntax error/);
  });

  it("reports every problem at once, in line order", async () => {
    const got = await problems(valid.replace('name = "t"', "name = 1\nlog_levl = \"x\"").replace('feeds = ["a"]', 'feeds = ["b"]'));
    expect(got).toEqual([
      "F:2:8: bot.name: expected string, found 1",
      'F:3:1: bot.log_levl: expected a known key (name, log_level, log_format, data_dir, stop_deadline_ms), found unknown key "log_levl" (did you mean "log_level"?)',
    ]);
    // plugin tables are checked once the core shape is valid
    const cross = await problems(valid.replace('feeds = ["a"]', 'feeds = ["b"]').replace('notifiers = ["console"]', 'notifiers = ["consol"]'));
    expect(cross).toEqual([
      'F:10:10: strategies.s.feeds[0]: expected a feed id defined under [feeds] (a), found "b"',
      'F:13:14: alerts.routes[0].notifiers[0]: expected a notifier id defined under [notifiers] (console), found "consol" (did you mean "console"?)',
    ]);
  });

  it("rejects an id used twice across kinds", async () => {
    const got = await problems(valid + '\n[notifiers.a]\nplugin = "console"\n');
    expect(got).toEqual(['F:15:12: notifiers.a: expected ids unique across feeds, strategies and notifiers, found "a" in [feeds.a] too']);
  });

  it("checks schedules: cron syntax and declared actions", async () => {
    const ok = await problems(valid + '\n[[schedules]]\ncron = "0 */5 * * * *"\nrun = "a.discover"\n');
    expect(ok).toEqual([]);
    const bad = await problems(valid + '\n[[schedules]]\ncron = "not a cron"\nrun = "a.discovr"\n');
    expect(bad).toHaveLength(2);
    expect(bad[0]).toStartWith('F:16:8: schedules[0].cron: expected a cron expression, found "not a cron"');
    expect(bad[1]).toBe('F:17:7: schedules[0].run: expected an action of a (discover), found "discovr" (did you mean "a.discover"?)');
  });

  it("loads a user plugin by path that imports the API as `edgewatch`", async () => {
    const source = '[feeds.mine]\nplugin = "../fixtures/user-plugins/my-feed.ts"\nws_url = "ws://127.0.0.1:2"\n';
    const config = await loadConfigSource(source, file, { registry, env: {} });
    expect(config.instances[0]!.plugin.name).toBe("my-feed");
    const wrongKind = await problems('[strategies.mine]\nplugin = "../fixtures/user-plugins/my-feed.ts"\n');
    expect(wrongKind[0]).toContain("strategies.mine.plugin: expected a named export made by defineStrategy()");
    expect(wrongKind[0]).toContain("myFeed (feed)");
    const missing = await problems('[feeds.mine]\nplugin = "./nope.ts"\nws_url = "x"\n');
    expect(missing[0]).toMatch(/^F:2:10: feeds\.mine\.plugin: expected a plugin module, found an import error/);
  });

  it("never prints a secret that came from the environment under a secret-looking key", async () => {
    clearSecrets();
    const secret = "s3cr3t-token-value-123";
    const got = await problems(valid.replace('ws_url = "ws://127.0.0.1:1"', 'ws_url = "ws://127.0.0.1:1"\nbot_token = "${BOT_TOKEN}"'), { BOT_TOKEN: secret });
    expect(got.some((p) => p.includes("feeds.a.bot_token"))).toBe(true);
    expect(redact(got.join("\n"))).not.toContain(secret);
    expect(redact(got.join("\n"))).toContain("***");
  });

  it("does not register a ${VAR} under a plain key (a URL, a name) as a secret", async () => {
    clearSecrets();
    const url = "ws://127.0.0.1:9123/feed";
    const config = await loadConfigSource(valid.replace('"ws://127.0.0.1:1"', '"${FEED_URL}"').replace('name = "t"', 'name = "${BOT_NAME}"'), file, { registry, env: { FEED_URL: url, BOT_NAME: "6000" } });
    expect((config.instances[0]!.config as { ws_url: string }).ws_url).toBe(url);
    const text = JSON.stringify({ url, price: 6000.1 });
    expect(redact(text)).toBe(text);
  });

  it("decides secrecy by the last named key of the path", () => {
    expect(isSecretPath(["notifiers", "tg", "bot_token"])).toBe(true);
    expect(isSecretPath(["notifiers", "d", "webhook_url"])).toBe(true);
    expect(isSecretPath(["notifiers", "h", "headers", "authorization"])).toBe(true);
    expect(isSecretPath(["feeds", "a", "api_keys", 0])).toBe(true);
    expect(isSecretPath(["feeds", "a", "ws_url"])).toBe(false);
    expect(isSecretPath(["notifiers", "tg", "chat_ids", 0])).toBe(false);
    expect(isSecretPath([0])).toBe(false);
  });
});
