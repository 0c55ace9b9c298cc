import { afterEach, describe, expect, it } from "bun:test";
import { Bus } from "../../core/bus.ts";
import type { ControlMute } from "../../core/events.ts";
import type { NotifierHandle } from "../../core/plugin.ts";
import { parseCommand } from "../../plugins/notifiers/telegram/commands.ts";
import { telegramNotifier } from "../../plugins/notifiers/telegram/index.ts";
import { FakeTelegram } from "../fakes/telegram/server.ts";
import { notifierContext, staticView, until } from "./kit.ts";

const token = "999:commands-token";
const group = -100123;
const admin = 77;
let fake: FakeTelegram;
let handle: NotifierHandle | undefined;

afterEach(async () => {
  await handle?.stop?.();
  handle = undefined;
  await fake?.stop();
});

async function start(extra: Record<string, unknown> = {}) {
  fake = new FakeTelegram({ token, perChatMs: 20 }).start();
  const bus = new Bus();
  let muted = 0;
  bus.on("control.mute", (m) => (muted = m.untilMs));
  bus.on("control.unmute", () => (muted = 0));
  const view = staticView({
    feeds: () => [
      { id: "venue_a", plugin: "x", state: "live", reasons: [], connections: 1, messages: 1234, bytes: 0, errors: 0, reconnects: 2, resyncs: 0, lastMessageAgeMs: 120 },
      { id: "venue_b", plugin: "y", state: "stale", reasons: ["no message for 31 s"], connections: 1, messages: 5, bytes: 0, errors: 0, reconnects: 0, resyncs: 0, lastMessageAgeMs: 31_000 },
    ],
    mutedUntil: () => muted,
  });
  const k = notifierContext(
    telegramNotifier,
    { bot_token: token, chat_ids: [group], user_ids: [admin], api_url: fake.url, poll_timeout_s: 1, poll_retry_ms: 50, chat_gap_ms: 30, ...extra },
    { bus, view },
  );
  handle = await telegramNotifier.setup(k.ctx);
  const mutes: ControlMute[] = [];
  bus.on("control.mute", (m) => mutes.push(m));
  return { ...k, mutes };
}

describe("telegram commands", () => {
  it("parses /command@bot args and ignores plain text", () => {
    expect(parseCommand("/mute@edge_bot 30m")).toEqual({ name: "mute", args: ["30m"] });
    expect(parseCommand("  /STATUS ")).toEqual({ name: "status", args: [] });
    expect(parseCommand("hello /status")).toBeUndefined();
  });

  it("answers configured chats and users, and ignores and logs everyone else", async () => {
    const k = await start();
    fake.pushUpdate({ chatId: 555, fromId: admin, text: "/status" });
    fake.pushUpdate({ chatId: group, fromId: 999, text: "/mute" });
    fake.pushUpdate({ chatId: group, fromId: admin, text: "/feeds" });
    await until(() => fake.messages.length >= 1, "an answer");
    await until(() => fake.pollCalls.length >= 2, "next poll");
    expect(fake.messages.map((m) => m.chatId)).toEqual([group]);
    expect(fake.messages[0]!.text).toContain("🟢 <b>venue_a</b> live");
    expect(fake.messages[0]!.text).toContain("no message for 31 s");
    expect(k.mutes).toEqual([]);
    expect(k.sink.lines.filter((l) => l.includes("ignored a command")).length).toBe(2);
  });

  it("mutes and unmutes through control events and answers /status with the mute", async () => {
    const k = await start();
    fake.pushUpdate({ chatId: group, fromId: admin, text: "/mute 30m" });
    await until(() => fake.messages.length === 1, "mute answer");
    expect(k.mutes).toHaveLength(1);
    expect(k.mutes[0]!.untilMs - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(k.mutes[0]!.by).toBe(`telegram:${admin}`);
    fake.pushUpdate({ chatId: group, fromId: admin, text: "/status" });
    await until(() => fake.messages.length === 2, "status answer");
    expect(fake.messages[1]!.text).toContain("muted until");
    fake.pushUpdate({ chatId: group, fromId: admin, text: "/mute forever" });
    await until(() => fake.messages.length === 3, "usage answer");
    expect(fake.messages[2]!.text).toContain("Usage");
    expect(k.mutes).toHaveLength(1);
    let unmuted = 0;
    k.bus.on("control.unmute", () => unmuted++);
    fake.pushUpdate({ chatId: group, fromId: admin, text: "/unmute" });
    await until(() => fake.messages.length === 4, "unmute answer");
    expect(unmuted).toBe(1);
    expect(k.ctx.view.mutedUntil()).toBe(0);
  });

  it("handles each update once, confirming it with the next offset", async () => {
    await start();
    const first = fake.pushUpdate({ chatId: group, fromId: admin, text: "/help" });
    await until(() => fake.messages.length === 1, "help answer");
    const second = fake.pushUpdate({ chatId: group, fromId: admin, text: "/opps" });
    await until(() => fake.messages.length === 2, "opps answer");
    await until(() => fake.pollCalls.some((c) => c.offset === second + 1), "offset confirms the second");
    expect(fake.pollCalls.some((c) => c.offset === first + 1)).toBe(true);
    expect(fake.messages.map((m) => m.text.split("\n")[0])).toEqual(["<b>Commands</b>", "No open opportunities."]);
  });

  it("steps back on 409 while another process polls, and resumes when it stops", async () => {
    const k = await start();
    fake.conflict = true;
    await until(() => k.health.state === "degraded", "degraded on conflict");
    expect(k.health.reasons[0]).toContain("only one process can answer commands");
    fake.conflict = false;
    await until(() => k.health.state === "running", "running again");
    fake.pushUpdate({ chatId: group, fromId: admin, text: "/help" });
    await until(() => fake.messages.length === 1, "answer after conflict");
  });

  it("shares one poll loop between instances using the same bot, each answering its own chats", async () => {
    const k = await start();
    const other = notifierContext(
      telegramNotifier,
      { bot_token: token, chat_ids: [888], api_url: fake.url, poll_timeout_s: 1, poll_retry_ms: 50, chat_gap_ms: 30 },
      { view: staticView() },
    );
    const second = await telegramNotifier.setup(other.ctx);
    try {
      fake.pushUpdate({ chatId: 888, fromId: 1, text: "/help" });
      fake.pushUpdate({ chatId: group, fromId: admin, text: "/mute 5m" });
      await until(() => fake.messages.length === 2, "both answered");
      expect(fake.messages.map((m) => m.chatId).sort()).toEqual([group, 888].sort());
      expect(k.mutes).toHaveLength(1);
      expect(fake.conflicts).toBe(0);
    } finally {
      await second.stop?.();
    }
  });
});
