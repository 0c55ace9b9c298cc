/**
 * Chat commands by long polling `getUpdates`. The service allows one poller per bot token, so every
 * notifier instance using the same token in this process shares one poll loop; each update goes to the
 * instance whose `chat_ids` holds its chat. Each update is handled once: the next poll's `offset` confirms
 * it, and ids below the offset are skipped. Only configured chats (and users, when `user_ids` is set) are
 * answered; anyone else gets nothing and is logged. A 409 means another process polls this bot: commands
 * run there; this one turns degraded, waits and tries again. Commands read the runtime view and change
 * state only by publishing `control.*` events.
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

/** One notifier instance taking part in a token's poll loop. */
export interface CommandMember {
  readonly ctx: PluginContext<TelegramConfig>;
  readonly api: BotApi;
  /** Sends one HTML message to a chat (paced like alerts). */
  readonly reply: (chatId: number, html: string) => Promise<void>;
}

/** A parsed `/command args` (with an optional `@botname`), or undefined for plain text. */
export function parseCommand(text: string): { name: string; args: string[] } | undefined {
  const m = /^\/([a-zA-Z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (m === null) return undefined;
  return { name: m[1]!.toLowerCase(), args: (m[2] ?? "").split(/\s+/).filter((s) => s !== "") };
}

/** The answer to one command from an authorized chat; may publish a `control.*` event. */
function answer(m: CommandMember, name: string, args: readonly string[], by: string): string {
  const { ctx } = m;
  const now = ctx.clock.now();
  switch (name) {
    case "status":
      return formatStatus(ctx.view, ctx.settings.botName, now);
    case "feeds":
      return formatFeeds(ctx.view.feeds());
    case "opps":
      return formatOpps(ctx.view.opportunities(), now);
    case "mute": {
      const ms = args[0] === undefined ? 3_600_000 : parseDuration(args[0]);
      if (ms === undefined) return "Usage: <code>/mute 30m</code> (s, m, h or d; at most 30d). Without a duration: one hour.";
      const untilMs = now + ms;
      ctx.bus.emit("control.mute", { untilMs, by });
      return `🔕 Alerts muted until <b>${new Date(untilMs).toISOString().slice(0, 16).replace("T", " ")} UTC</b>. /unmute to resume.`;
    }
    case "unmute":
      ctx.bus.emit("control.unmute", { by });
      return "🔔 Alerts resumed.";
    case "help":
    case "start":
      return formatHelp();
    default:
      return `Unknown command <code>/${escapeHtml(name)}</code>.\n\n${formatHelp()}`;
  }
}

class Poller {
  readonly members: CommandMember[] = [];
  readonly #abort = new AbortController();
  #offset: number | undefined;
  #conflicted = false;
  readonly done: Promise<void>;

  constructor(first: CommandMember) {
    this.members.push(first);
    this.done = this.#loop().catch((error: unknown) => {
      this.members[0]?.ctx.log.error("command polling stopped", { error: describeError(error) });
    });
  }

  stop(): void {
    this.#abort.abort();
  }

  async #handle(u: Update): Promise<void> {
    const msg = u.message;
    if (msg?.text === undefined) return;
    const cmd = parseCommand(msg.text);
    if (cmd === undefined) return;
    const from = msg.from?.id;
    const member = this.members.find((m) => m.ctx.config.chat_ids.includes(msg.chat.id));
    const users = member?.ctx.config.user_ids;
    if (member === undefined || (users !== undefined && (from === undefined || !users.includes(from)))) {
      (member ?? this.members[0])?.ctx.log.warn("ignored a command from a chat or user that is not configured", { chat: msg.chat.id, user: from, command: cmd.name });
      return;
    }
    const html = answer(member, cmd.name, cmd.args, `telegram:${from ?? msg.chat.id}`);
    member.ctx.log.info("command", { chat: msg.chat.id, user: from, command: cmd.name });
    try {
      await member.reply(msg.chat.id, html);
    } catch (error) {
      member.ctx.log.warn("could not answer a command", { chat: msg.chat.id, command: cmd.name, error: describeError(error) });
    }
  }

  #setHealth(conflict: boolean): void {
    for (const m of this.members) {
      if (conflict) m.ctx.health.set("degraded", ["another process polls getUpdates for this bot: only one process can answer commands"]);
      else if (m.ctx.health.state === "degraded") m.ctx.health.set("running");
    }
  }

  async #loop(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      const lead = this.members[0];
      if (lead === undefined) return;
      const { config, clock, log } = lead.ctx;
      let updates: Update[];
      try {
        updates = await lead.api.call<Update[]>(
          "getUpdates",
          { ...(this.#offset === undefined ? {} : { offset: this.#offset }), timeout: config.poll_timeout_s, allowed_updates: ["message"] },
          { timeoutMs: config.poll_timeout_s * 1000 + config.timeout_ms, signal },
        );
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof NotifierError && error.status === 409) {
          if (!this.#conflicted) log.warn("another process polls commands for this bot token; commands are answered there, not here", {});
          this.#conflicted = true;
          this.#setHealth(true);
        } else {
          log.warn("polling commands failed; retrying", { error: describeError(error), retryInMs: config.poll_retry_ms });
        }
        await sleepOn(clock, config.poll_retry_ms, signal);
        continue;
      }
      if (this.#conflicted) {
        this.#conflicted = false;
        log.info("command polling resumed (the other poller stopped)", {});
        this.#setHealth(false);
      }
      for (const u of updates) {
        if (this.#offset !== undefined && u.update_id < this.#offset) continue;
        this.#offset = u.update_id + 1;
        await this.#handle(u);
      }
    }
  }
}

const pollers = new Map<string, Poller>();

/**
 * Adds an instance to its token's poll loop (starting the loop for the first one). The returned function
 * removes it; the loop stops when its last instance leaves.
 */
export function joinCommandPolling(member: CommandMember): () => Promise<void> {
  const key = `${member.ctx.config.api_url}\u0000${member.ctx.config.bot_token}`;
  const existing = pollers.get(key);
  let poller: Poller;
  if (existing === undefined) {
    poller = new Poller(member);
    pollers.set(key, poller);
  } else {
    poller = existing;
    poller.members.push(member);
  }
  return async function leaveCommandPolling() {
    const i = poller.members.indexOf(member);
    if (i >= 0) poller.members.splice(i, 1);
    if (poller.members.length === 0) {
      if (pollers.get(key) === poller) pollers.delete(key);
      poller.stop();
      await poller.done;
    }
  };
}
