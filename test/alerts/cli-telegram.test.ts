import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FakeTelegram } from "../fakes/telegram/server.ts";
import { until } from "./kit.ts";

const token = "4321:cli-e2e-token";
const chat = -100777;
let fake: FakeTelegram | undefined;

afterEach(async () => {
  await fake?.stop();
});

describe("bot with a telegram notifier", () => {
  it("delivers the demo's opportunities to the fake Telegram, commands included, and stops cleanly", async () => {
    fake = new FakeTelegram({ token }).start();
    const dir = mkdtempSync(join(tmpdir(), "edgewatch-cli-"));
    const config = join(dir, "bot.toml");
    writeFileSync(
      config,
      `[bot]
name = "e2e"
log_format = "json"
data_dir = "data"

[feeds.venue_a]
plugin = "demo"
market_seed = 7
interval_ms = 100
instruments = [{ id = "BTC-PERP", key = "BTC-USD-PERP", start_price = 60000, tick = 0.5 }]

[feeds.venue_b]
plugin = "demo"
market_seed = 7
interval_ms = 120
dislocation_every_ms = 1000
dislocation_bps = -30
instruments = [{ id = "BTC-PERP", key = "BTC-USD-PERP", start_price = 60000, tick = 0.5 }]

[strategies.perp_spread]
plugin = "perp-spread"
feeds = ["venue_a", "venue_b"]
taker_fee_bps = { venue_a = 5, venue_b = 4.5 }
min_edge_bps = 2
size_usd = 10000
min_size_usd = 100
min_duration_ms = 100

[notifiers.tg]
plugin = "telegram"
bot_token = "\${E2E_TG_TOKEN}"
chat_ids = [${chat}]
api_url = "${fake.url}"
poll_timeout_s = 1

[[alerts.routes]]
notifiers = ["tg"]
cooldown_ms = 0
`,
    );
    const proc = Bun.spawn(["bun", resolve(import.meta.dir, "../../core/cli.ts"), config], {
      env: { ...process.env, E2E_TG_TOKEN: token },
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      await until(() => fake!.messages.some((m) => m.text.includes("perp_spread")), "an opportunity in the chat", 20_000);
      fake.pushUpdate({ chatId: chat, fromId: 1, text: "/feeds" });
      await until(() => fake!.messages.some((m) => m.text.includes("<b>Feeds</b>")), "the /feeds answer", 10_000);
    } finally {
      proc.kill("SIGTERM");
    }
    expect(await proc.exited).toBe(0);
    const logs = (await new Response(proc.stdout).text()) + (await new Response(proc.stderr).text());
    expect(logs).not.toContain(token);
    expect(fake.rejected.filter((r) => r.status !== 429)).toEqual([]);
    const feeds = fake.messages.find((m) => m.text.includes("<b>Feeds</b>"))!.text;
    expect(feeds).toContain("venue_a");
  }, 40_000);
});
