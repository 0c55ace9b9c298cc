import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import type { RunningBot } from "../../core/start.ts";
import { tickControls } from "../http/fixtures/tick-feed.ts";
import { chromiumPath, launch, screenshotPath, startUiBot, tickFeedPath } from "./kit.ts";

const config = `
[health]
heartbeat_timeout_ms = 3000

[feeds.venue_a]
plugin = "demo"
market_seed = 7
interval_ms = 100
instruments = [{ id = "BTC-PERP", key = "BTC-USD-PERP", start_price = 60000, tick = 0.5 }]

[feeds.venue_b]
plugin = "demo"
market_seed = 7
interval_ms = 120
dislocation_every_ms = 800
dislocation_ms = 3000
dislocation_bps = -40
instruments = [{ id = "BTC-PERP", key = "BTC-USD-PERP", start_price = 60000, tick = 0.5 }]

[feeds.ticker]
plugin = "${tickFeedPath}"
instruments = ["T-1", "T-2", "T-3"]
interval_ms = 200

[strategies.perp_spread]
plugin = "perp-spread"
feeds = ["venue_a", "venue_b"]
taker_fee_bps = { venue_a = 5, venue_b = 4.5 }
min_edge_bps = 2
size_usd = 10000
min_size_usd = 100
min_duration_ms = 100

[[alerts.routes]]
notifiers = ["console"]
cooldown_ms = 0
`;

let bot: RunningBot | undefined;
let browser: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  expect(existsSync(chromiumPath)).toBe(true); // CI installs Debian chromium (.ci/run)
  const started = await startUiBot(config, "ui-test-token-0123456789");
  bot = started.bot;
  browser = await launch();
  page = await browser.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(started.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
});

describe("dashboard", () => {
  it("does show live feeds, quotes and the rate chart", async () => {
    await page.waitForSelector('#feeds tr[data-feed="venue_a"][data-state="live"]', { timeout: 20_000 });
    await page.waitForSelector('#feeds tr[data-feed="ticker"][data-state="live"]', { timeout: 20_000 });
    await page.waitForFunction(() => Number(document.getElementById("quote-count")?.textContent) === 5, undefined, { timeout: 20_000 });
    await page.waitForSelector("#stream.ok", { timeout: 20_000 });
    const quoteRows = await page.locator("#quotes tbody tr").count();
    expect(quoteRows).toBe(5);
    const legend = await page.locator("#legend").textContent();
    expect(legend).toContain("venue_a");
  }, 60_000);

  it("does show an opportunity as it opens", async () => {
    await page.waitForSelector("#opps tbody tr", { timeout: 30_000 });
    const row = await page.locator("#opps tbody tr").first().textContent();
    expect(row).toContain("perp_spread");
    expect(row).toContain("BTC-PERP@venue");
  }, 60_000);

  it("does mute and unmute alerts from the page once given the token", async () => {
    await page.click("#mute");
    await page.waitForSelector("#auth:not([hidden])", { timeout: 10_000 });
    await page.fill("#token", "ui-test-token-0123456789");
    await page.click("#auth button");
    await page.click("#mute");
    await page.waitForSelector("#muted:not([hidden])", { timeout: 10_000 });
    expect(bot!.runtime.view.mutedUntil()).toBeGreaterThan(Date.now() + 29 * 60_000);
    await page.click("#unmute");
    await page.waitForSelector("#muted[hidden]", { state: "attached", timeout: 10_000 });
    expect(bot!.runtime.view.mutedUntil()).toBe(0);
  }, 60_000);

  it("does turn a feed red when it goes stale, with its quotes", async () => {
    const ticker = tickControls.get("ticker")!;
    ticker.stall();
    ticker.status("stale", "no message for 3 s (watchdog)");
    await page.waitForSelector('#feeds tr[data-feed="ticker"][data-state="stale"].bad', { timeout: 20_000 });
    const color = await page.locator('#feeds tr[data-feed="ticker"] td.state').evaluate((td) => getComputedStyle(td).color);
    expect(color).toBe("rgb(248, 81, 73)");
    await page.waitForFunction(() => [...document.querySelectorAll("#quotes tbody tr")].filter((tr) => tr.textContent?.startsWith("ticker")).every((tr) => tr.classList.contains("stale")), undefined, { timeout: 20_000 });
    const live = await page.locator('#feeds tr[data-feed="venue_a"]').getAttribute("class");
    expect(live).not.toContain("bad");
    await page.screenshot({ path: screenshotPath("dashboard.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
