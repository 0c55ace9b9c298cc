import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { notifierContext } from "../../../test/alerts/kit.ts";
import { telegramConfig } from "./config.ts";
import { telegramNotifier } from "./index.ts";

describe("telegramNotifier", () => {
  it("declares the per-chat limit, and the 20-per-minute one when a group chat is configured", async () => {
    const base = { bot_token: "1:x", api_url: "http://127.0.0.1:9", commands: false };
    const priv = await telegramNotifier.setup(notifierContext(telegramNotifier, { ...base, chat_ids: [42] }).ctx);
    const group = await telegramNotifier.setup(notifierContext(telegramNotifier, { ...base, chat_ids: [42, -1001] }).ctx);
    expect(priv.limits?.windows).toEqual([{ count: 1, perMs: 1_100 }]);
    expect(group.limits?.windows).toEqual([
      { count: 1, perMs: 1_100 },
      { count: 20, perMs: 60_000 },
    ]);
  });

  it("rejects unknown keys, empty chat lists and limits above the service's", () => {
    const ok = { bot_token: "1:x", chat_ids: [1] };
    expect(v.safeParse(telegramConfig, ok).success).toBe(true);
    expect(v.safeParse(telegramConfig, { ...ok, chat_id: [1] }).success).toBe(false);
    expect(v.safeParse(telegramConfig, { ...ok, chat_ids: [] }).success).toBe(false);
    expect(v.safeParse(telegramConfig, { ...ok, group_per_min: 25 }).success).toBe(false);
    expect(v.safeParse(telegramConfig, { ...ok, global_per_s: 31 }).success).toBe(false);
  });
});
