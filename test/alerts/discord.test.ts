import { afterEach, describe, expect, it } from "bun:test";
import { discordNotifier } from "../../plugins/notifiers/discord/index.ts";
import { FakeDiscord, type FakeDiscordOptions } from "../fakes/discord/server.ts";
import { notifierWithRouter, numbered, opportunityAlert, until } from "./kit.ts";

let fake: FakeDiscord;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await fake?.stop();
});

async function start(alerts: Record<string, unknown> = {}, fakeOpts: FakeDiscordOptions = {}) {
  fake = new FakeDiscord(fakeOpts).start();
  const kit = await notifierWithRouter(discordNotifier, { webhook_url: fake.webhookUrl, timeout_ms: 500 }, { retry_initial_ms: 20, retry_max_ms: 200, ...alerts });
  closers.push(kit.close);
  return kit;
}

describe("discord notifier with the router", () => {
  it("posts valid embeds with mentions off", async () => {
    const kit = await start();
    kit.bus.emit("alert", opportunityAlert({ text: "@everyone look" }));
    await until(() => kit.router.stats().pending === 0, "delivered");
    expect(fake.invalid).toEqual([]);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]!.allowedMentions).toEqual({ parse: [] });
    expect(fake.messages[0]!.embeds[0]!.fields!.length).toBe(5);
  });

  it("sends a long text as several valid messages, each exactly once, even across a retry", async () => {
    const kit = await start({}, { bucketLimit: 50 });
    const text = Array.from({ length: 1_500 }, (_, i) => `row ${i} ${"x".repeat(i % 30)}`).join("\n");
    fake.failOnRequest(2, 503);
    kit.bus.emit("alert", numbered(1, { text }));
    await until(() => kit.router.stats().pending === 0, "all messages");
    expect(kit.router.recent(1)[0]!.deliveries.discord).toMatchObject({ state: "delivered", attempts: 2 });
    expect(fake.invalid).toEqual([]);
    expect(fake.messages.length).toBeGreaterThan(1);
    const all = fake.messages.flatMap((m) => m.embeds.map((e) => e.description ?? "")).join("\n");
    expect(all.split("row 1499 ").length - 1).toBe(1);
    expect(all.split("row 0 ").length - 1).toBe(1);
  });

  it("waits out a 429's float retry_after, then delivers", async () => {
    const kit = await start({ retry_initial_ms: 5 });
    fake.rateLimitNext(0.35);
    const t0 = Date.now();
    kit.bus.emit("alert", numbered(1));
    await until(() => kit.router.stats().pending === 0, "delivered after the 429");
    expect(fake.tooMany).toBe(1);
    expect(fake.messages[0]!.at - t0).toBeGreaterThanOrEqual(350);
    expect(kit.router.recent(1)[0]!.deliveries.discord).toMatchObject({ state: "delivered", attempts: 2 });
  });

  it("paces by the bucket headers so the service never has to refuse, in order", async () => {
    const kit = await start({ digest_after: 50 }, { bucketLimit: 2, bucketMs: 400 });
    for (let i = 1; i <= 5; i++) kit.bus.emit("alert", numbered(i));
    await until(() => kit.router.stats().pending === 0, "all delivered");
    expect(fake.messages.map((m) => /A(\d+)#/.exec(m.content ?? "")![1])).toEqual(["1", "2", "3", "4", "5"]);
    // two per 400 ms: the third and fifth waited for the bucket to refill
    expect(fake.messages[2]!.at - fake.messages[0]!.at).toBeGreaterThanOrEqual(350);
    // the bucket headers say "remaining 0" before the service has to refuse
    expect(fake.tooMany).toBe(0);
    expect(kit.router.stats().totals.discord!.delivered).toBe(5);
  });

  it("folds a burst into digests within the webhook limits", async () => {
    const kit = await start({ digest_after: 3, digest_max_items: 50 });
    for (let i = 1; i <= 120; i++) kit.bus.emit("alert", numbered(i));
    await until(() => kit.router.stats().pending === 0, "burst delivered");
    const all = fake.messages.map((m) => [m.content ?? "", ...m.embeds.map((e) => e.description ?? "")].join("\n")).join("\n");
    for (let i = 1; i <= 120; i++) expect(all).toContain(`A${i}#`);
    expect(fake.tooMany).toBe(0);
    expect(fake.invalid).toEqual([]);
    expect(kit.router.stats().digests.discord).toBeGreaterThanOrEqual(2);
  });
});
