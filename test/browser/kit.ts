/**
 * Browser-test kit: the bot from TOML on the real clock with its HTTP server on a free loopback port, and
 * Debian's chromium driven by playwright-core with a fresh profile.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { loadConfig } from "../../core/config/load.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import { startBot, type RunningBot } from "../../core/start.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";

export const chromiumPath = "/usr/bin/chromium";
export const outputDir = join(import.meta.dir, "..", "output");
export const tickFeedPath = join(import.meta.dir, "..", "http", "fixtures", "tick-feed.ts").replaceAll("\\", "/");

/** Starts a bot from config text (an `[http]` table on 127.0.0.1:0 and a temp data dir are added). */
export async function startUiBot(body: string, token?: string): Promise<{ bot: RunningBot; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "edgewatch-ui-"));
  const file = join(dir, "bot.toml");
  writeFileSync(file, `[bot]\nname = "ui-test"\ndata_dir = "data"\n\n[http]\nlisten = "127.0.0.1:0"\n${token === undefined ? "" : `token = "${token}"\n`}\n${body}`);
  const bot = await startBot(await loadConfig(file, { registry: builtinRegistry, env: {} }), { log: createLogger({ sink: new MemorySink() }), signals: false, schedules: false });
  return { bot, url: bot.http!.url };
}

/** Launches headless chromium with a fresh profile. */
export async function launch(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "edgewatch-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Where screenshots go (gitignored). */
export function screenshotPath(name: string): string {
  mkdirSync(outputDir, { recursive: true });
  return join(outputDir, name);
}
