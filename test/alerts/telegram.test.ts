import { afterEach, describe, expect, it } from "bun:test";
import { NotifierError } from "../../core/errors.ts";
import { telegramNotifier } from "../../plugins/notifiers/telegram/index.ts";
import { FakeTelegram } from "../fakes/telegram/server.ts";
import { notifierWithRouter, numbered, until } from "./kit.ts";

const token = "123456:TEST-token-never-logged";
const chat = 4242;
let fake: FakeTelegram;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await fake?.stop();
});

async function start(tg: Record<string, unknown> = {}, alerts: Record<string, unknown> = {}, fakeOpts: { perChatMs?: number; replyDelayMs?: number } = {}) {
  fake = new FakeTelegram({ token, ...fakeOpts }).start();
  const kit = await notifierWithRouter(
    telegramNotifier,
    { bot_token: token, chat_ids: [chat], api_url: fake.url, commands: false, timeout_ms: 300, ...tg },
    { retry_initial_ms: 20, retry_max_ms: 200, ...alerts },
  );
  closers.push(kit.close);
  return kit;
}

/** How many times `A<n>#` appears across the chat's messages. */
function countOf(n: number): number {
  return fake.textsTo(chat).join("\n").split(`A${n}#`).length - 1;
}

describe("telegram notifier with the router", () => {
  it("delivers a 200-alert burst to one chat within the documented limits, with digests and no 429", async () => {
    const kit = await start({}, { digest_after: 3, digest_max_items: 100 });
    const t0 = Date.now();
    for (let i = 1; i <= 200; i++) kit.bus.emit("alert", numbered(i));
    await until(() => kit.router.stats().pending === 0, "burst delivered");
    const elapsed = Date.now() - t0;
    for (let i = 1; i <= 200; i++) expect(countOf(i)).toBe(1);
    expect(fake.tooMany).toBe(0);
    expect(fake.rejected).toEqual([]);
    const at = fake.messages.map((m) => m.at);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1_000);
    expect(kit.router.stats().totals.telegram!.delivered).toBe(200);
    expect(kit.router.stats().digests.telegram).toBe(2);
    expect(fake.messages.every((m) => m.parseMode === "HTML" && m.linkPreviewDisabled)).toBe(true);
    console.log(`burst: 200 alerts in ${fake.messages.length} messages, ${elapsed} ms`);
  });

  it("delivers everything in order after the service was down (5xx, then timeouts)", async () => {
    const kit = await start({ chat_gap_ms: 60 }, { digest_after: 50 }, { perChatMs: 50 });
    fake.down(503);
    for (let i = 1; i <= 5; i++) kit.bus.emit("alert", numbered(i));
    await until(() => (kit.router.stats().totals.telegram?.retried ?? 0) >= 3, "retries while down");
    fake.down(undefined);
    fake.failNext(1, "timeout");
    await until(() => kit.router.stats().pending === 0, "delivered after recovery");
    const texts = fake.textsTo(chat);
    expect(texts.map((t) => /A(\d+)#/.exec(t)![1])).toEqual(["1", "2", "3", "4", "5"]);
    expect(kit.router.stats().totals.telegram).toMatchObject({ delivered: 5, failed: 0 });
    expect(kit.sink.lines.some((l) => l.includes("timed out after 300 ms"))).toBe(true);
  });

  it("sends every alert at least once and never more than twice when each answer comes after the timeout", async () => {
    // the service accepts each message, then answers 500 ms later: past timeout_ms, so every send is unknown
    const kit = await start({ chat_gap_ms: 60, timeout_ms: 150 }, { digest_after: 50 }, { perChatMs: 50, replyDelayMs: 500 });
    for (let i = 1; i <= 3; i++) kit.bus.emit("alert", numbered(i));
    await until(() => (kit.router.stats().totals.telegram?.ambiguous ?? 0) === 3, "all given up as ambiguous");
    for (let i = 1; i <= 3; i++) {
      expect(countOf(i)).toBeGreaterThanOrEqual(1);
      expect(countOf(i)).toBeLessThanOrEqual(2);
    }
    expect(kit.router.stats()).toMatchObject({ pending: 0, totals: { telegram: { delivered: 0, ambiguous: 3 } } });
    expect(kit.router.recent(3).every((r) => r.deliveries.telegram!.state === "ambiguous")).toBe(true);
    expect(kit.sink.lines.some((l) => l.includes("not resent to avoid more duplicates"))).toBe(true);
  });

  it("honours retry_after from a 429 instead of looping", async () => {
    const kit = await start({ chat_gap_ms: 0 }, { digest_after: 50 });
    kit.bus.emit("alert", numbered(1));
    kit.bus.emit("alert", numbered(2));
    await until(() => kit.router.stats().pending === 0, "both delivered");
    expect(fake.tooMany).toBe(1);
    expect(fake.messages[1]!.at - fake.rejected[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it("reports a chat that blocked the bot as faulted, and clears it once sends go through", async () => {
    const kit = await start({ chat_gap_ms: 60 }, {}, { perChatMs: 50 });
    fake.block(chat);
    kit.bus.emit("alert", numbered(1));
    await until(() => kit.router.stats().totals.telegram?.failed === 1, "refused");
    expect(kit.health.state).toBe("faulted");
    expect(kit.health.reasons[0]).toContain(`chat ${chat}: sendMessage: 403 Forbidden: bot was blocked by the user`);
    fake.block(chat, false);
    kit.bus.emit("alert", numbered(2));
    await until(() => kit.router.stats().totals.telegram?.delivered === 1, "delivered after unblock");
    expect(kit.health.state).toBe("running");
  });

  it("splits a long alert and sends each part once even when a later part must be retried", async () => {
    const kit = await start({ chat_gap_ms: 60 }, {}, { perChatMs: 50 });
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} <${"z".repeat(20)}>`).join("\n");
    fake.failOnRequest(2, 502);
    kit.bus.emit("alert", numbered(1, { text }));
    await until(() => kit.router.stats().pending === 0, "all parts");
    expect(kit.router.recent(1)[0]!.deliveries.telegram).toMatchObject({ state: "delivered", attempts: 2 });
    const texts = fake.textsTo(chat);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.length <= 4096)).toBe(true);
    expect(texts.join("\n").split("line 299 ").length - 1).toBe(1);
    expect(texts.join("\n").split("line 0 ").length - 1).toBe(1);
  });

  it("never puts the token in an error or a log line", async () => {
    const kit = await start({ api_url: "http://127.0.0.1:9", timeout_ms: 200, chat_gap_ms: 0 }, { retry_initial_ms: 50 });
    let caught: unknown;
    await kit.handle.send(numbered(1)).catch((e: unknown) => (caught = e));
    expect(caught).toBeInstanceOf(NotifierError);
    expect((caught as Error).message).not.toContain(token);
    kit.bus.emit("alert", numbered(2));
    await until(() => (kit.router.stats().totals.telegram?.retried ?? 0) >= 1, "a failed attempt");
    expect(kit.sink.lines.join("\n")).not.toContain("TEST-token");
  });
});
