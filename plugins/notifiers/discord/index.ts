import { NotifierError } from "../../../core/errors.ts";
import { defineNotifier } from "../../../core/plugin.ts";
import { registerSecret } from "../../../core/secrets.ts";
import { DiscordWebhook } from "./api.ts";
import { discordConfig } from "./config.ts";
import { formatPayloads } from "./format.ts";

/**
 * Discord: alerts as embeds through a channel webhook, paced by the bucket headers the service sends.
 * Messages of one alert that already arrived are not sent again when a later one is retried.
 */
export const discordNotifier = defineNotifier({
  name: "discord",
  description: "Sends alerts to a Discord channel through a webhook (embeds, severity colours)",
  config: discordConfig,
  setup(ctx) {
    const config = ctx.config;
    registerSecret(config.webhook_url);
    const stopping = new AbortController();
    const signal = AbortSignal.any([ctx.signal, stopping.signal]);
    const hook = new DiscordWebhook(config.webhook_url, ctx.clock, config.timeout_ms, signal);
    const done = new Map<string, Set<number>>();
    return {
      // webhooks allow 5 requests per 2 s and about 30 messages a minute per channel
      limits: { windows: [{ count: 5, perMs: 2_000 }, { count: 30, perMs: 60_000 }] },
      async send(alert) {
        const payloads = formatPayloads(alert, { ...(config.username === undefined ? {} : { username: config.username }), mentions: config.mentions, now: ctx.clock.now() });
        let sent = done.get(alert.id);
        if (sent === undefined) {
          sent = new Set();
          done.set(alert.id, sent);
          if (done.size > 1_000) done.delete(done.keys().next().value!);
        }
        for (let i = 0; i < payloads.length; i++) {
          if (sent.has(i)) continue;
          try {
            await hook.post(payloads[i]!);
          } catch (error) {
            if (error instanceof NotifierError && !error.retryable) {
              done.delete(alert.id);
              if (error.code === "DISCORD_WEBHOOK_INVALID") ctx.health.set("faulted", [`${error.message}: ${error.remedy ?? ""}`]);
            }
            throw error;
          }
          sent.add(i);
        }
        done.delete(alert.id);
        if (ctx.health.state === "faulted") ctx.health.set("running");
      },
      stop() {
        stopping.abort();
      },
    };
  },
});
