/**
 * Chat commands by long polling `getUpdates`. Each update is handled once: the next poll's `offset`
 * confirms it, and ids at or below the last handled are skipped. Only configured chats (and users, when
 * `user_ids` is set) are answered; anyone else gets nothing and is logged. A 409 means another process
 * polls this bot: commands run there, this one waits and tries again later. Commands read the runtime view
 * and change state only by publishing `control.*` events.
 */
import { sleepOn } from "../../../core/alerts/limiter.ts";
import { parseDuration } from "../../../core/alerts/match.ts";
import { describeError, NotifierError } from "../../../core/errors.ts";
import type { PluginContext } from "../../../core/plugin.ts";
import type { BotApi } from "./api.ts";
import type { TelegramConfig } from "./config.ts";
import { escapeHtml } from "./format.ts";
import { formatFeeds, formatHelp, formatOpps, formatStatus } from "./replies.ts";

interface Update {
  update_id: number;
  message?: { text?: string; chat: { id: number }; from?: { id: number } };
}

/** A parsed `/command args` (with an optional `@botname`), or undefined for plain text. */
export function parseCommand(text: string): { name: string; args: string[] } | undefined {
  const m = /^\/([a-zA-Z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (m === null) return undefined;
  return { name: m[1]!.toLowerCase(), args: (m[2] ?? "").split(/\s+/).filter((s) => s !== "") };
}

/** Runs the poll loop until `ctx.signal` aborts. `reply` sends one HTML message to a chat. */
export async function pollCommands(
  ctx: PluginContext<TelegramConfig>,
  api: BotApi,
  reply: (chatId: number, html: string) => Promise<void>,
): Promise<void> {
  const { config, log, clock, signal } = ctx;
  const chats = new Set(config.chat_ids);
  const users = config.user_ids === undefined ? undefined : new Set(config.user_ids);
  let offset: number | undefined;
  let conflicted = false;

  async function handle(u: Update): Promise<void> {
    const msg = u.message;
    if (msg?.text === undefined) return;
    const cmd = parseCommand(msg.text);
    if (cmd === undefined) return;
    const from = msg.from?.id;
    if (!chats.has(msg.chat.id) || (users !== undefined && (from === undefined || !users.has(from)))) {
      log.warn("ignored a command from a chat or user that is not configured", { chat: msg.chat.id, user: from, command: cmd.name });
      return;
    }
    const by = `telegram:${from ?? msg.chat.id}`;
    let html: string;
    switch (cmd.name) {
      case "status":
        html = formatStatus(ctx.view, ctx.settings.botName, clock.now());
        break;
      case "feeds":
        html = formatFeeds(ctx.view.feeds());
        break;
      case "opps":
        html = formatOpps(ctx.view.opportunities(), clock.now());
        break;
      case "mute": {
        const ms = cmd.args[0] === undefined ? 3_600_000 : parseDuration(cmd.args[0]);
        if (ms === undefined) {
          html = "Usage: <code>/mute 30m</code> (s, m, h or d; at most 30d). Without a duration: one hour.";
          break;
        }
        const untilMs = clock.now() + ms;
        ctx.bus.emit("control.mute", { untilMs, by });
        html = `🔕 Alerts muted until <b>${new Date(untilMs).toISOString().slice(0, 16).replace("T", " ")} UTC</b>. /unmute to resume.`;
        break;
      }
      case "unmute":
        ctx.bus.emit("control.unmute", { by });
        html = "🔔 Alerts resumed.";
        break;
      case "help":
      case "start":
        html = formatHelp();
        break;
      default:
        html = `Unknown command <code>/${escapeHtml(cmd.name)}</code>.\n\n${formatHelp()}`;
    }
    log.info("command", { chat: msg.chat.id, user: from, command: cmd.name });
    try {
      await reply(msg.chat.id, html);
    } catch (error) {
      log.warn("could not answer a command", { chat: msg.chat.id, command: cmd.name, error: describeError(error) });
    }
  }

  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await api.call<Update[]>(
        "getUpdates",
        { ...(offset === undefined ? {} : { offset }), timeout: config.poll_timeout_s, allowed_updates: ["message"] },
        { timeoutMs: config.poll_timeout_s * 1000 + config.timeout_ms, signal },
      );
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof NotifierError && error.status === 409) {
        if (!conflicted) {
          log.warn("another process polls commands for this bot token; commands are answered there, not here", {});
          ctx.health.set("degraded", ["another process polls getUpdates for this bot: only one process can answer commands"]);
        }
        conflicted = true;
      } else {
        log.warn("polling commands failed; retrying", { error: describeError(error), retryInMs: config.poll_retry_ms });
      }
      await sleepOn(clock, config.poll_retry_ms, signal);
      continue;
    }
    if (conflicted) {
      conflicted = false;
      log.info("command polling resumed (the other poller stopped)", {});
      if (ctx.health.state === "degraded") ctx.health.set("running");
    }
    for (const u of updates) {
      if (offset !== undefined && u.update_id < offset) continue;
      offset = u.update_id + 1;
      await handle(u);
    }
  }
}
