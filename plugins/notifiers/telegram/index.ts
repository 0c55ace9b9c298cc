import { NotifierError } from "../../../core/errors.ts";
import { defineNotifier } from "../../../core/plugin.ts";
import { registerSecret } from "../../../core/secrets.ts";
import { createBotApi } from "./api.ts";
import { joinCommandPolling } from "./commands.ts";
import { telegramConfig } from "./config.ts";
import { formatAlert, splitMessage } from "./format.ts";
import { ChatSender } from "./sender.ts";

/**
 * Telegram: alerts to chats in HTML, paced to the service's limits, and chat commands by long polling.
 * A chat that blocks or removes the bot puts the notifier in `faulted` (all chats) or `degraded` (some)
 * with a reason naming the chat, until a send reaches every chat again.
 */
export const telegramNotifier = defineNotifier({
  name: "telegram",
  description: "Sends alerts to Telegram chats and answers /status /feeds /opps /mute commands",
  config: telegramConfig,
  setup(ctx) {
    const config = ctx.config;
    registerSecret(config.bot_token);
    const api = createBotApi(config.api_url, config.bot_token, config.timeout_ms);
    const stopping = new AbortController();
    const signal = AbortSignal.any([ctx.signal, stopping.signal]);
    const sender = new ChatSender(api, ctx.clock, config, signal);
    const windows = [{ count: 1, perMs: config.chat_gap_ms }];
    if (config.chat_ids.some((id) => id < 0)) windows.push({ count: config.group_per_min, perMs: 60_000 });

    const leave = config.commands ? joinCommandPolling({ ctx, api, reply: (chat, html) => sender.sendOne(chat, html) }) : undefined;
    if (leave !== undefined) ctx.signal.addEventListener("abort", () => void leave(), { once: true });

    return {
      limits: { windows },
      async send(alert) {
        const parts = splitMessage(formatAlert(alert, ctx.clock.now()));
        const { refused } = await sender.sendAll(alert.id, parts, config.chat_ids);
        if (refused.size === 0) {
          if (ctx.health.state === "faulted" || ctx.health.reasons.some((r) => r.startsWith("chat "))) ctx.health.set("running");
          return;
        }
        const reasons = [...refused].map(([chat, e]) => `chat ${chat}: ${e.message}${e.remedy === undefined ? "" : ` (${e.remedy})`}`);
        ctx.health.set(refused.size === config.chat_ids.length ? "faulted" : "degraded", reasons);
        const first = [...refused.values()][0]!;
        throw new NotifierError(first.code, `refused by ${refused.size} of ${config.chat_ids.length} chats: ${reasons.join("; ")}`, {
          retryable: false,
          ...(first.status === undefined ? {} : { status: first.status }),
          ...(first.remedy === undefined ? {} : { remedy: first.remedy }),
        });
      },
      async stop() {
        stopping.abort();
        await leave?.();
      },
    };
  },
});
