/**
 * Sends messages to chats within the service's documented limits (about one message per second per chat,
 * 20 per minute per group chat, 30 per second per token), and remembers which parts reached which chat, so
 * a retry of an alert never repeats what already arrived.
 */
import type { Clock } from "../../../core/clock.ts";
import { sleepOn, WindowLimiter } from "../../../core/alerts/limiter.ts";
import { NotifierError } from "../../../core/errors.ts";
import type { BotApi } from "./api.ts";
import type { TelegramConfig } from "./config.ts";

/** Per-token limiters shared by every instance using the same bot (the 30/s limit is per bot). */
const perToken = new Map<string, WindowLimiter>();

export class ChatSender {
  readonly #api: BotApi;
  readonly #clock: Clock;
  readonly #config: TelegramConfig;
  readonly #signal: AbortSignal;
  readonly #chats = new Map<number, WindowLimiter>();
  readonly #global: WindowLimiter;
  /** `alertId` → `chat:part` already accepted by the service. */
  readonly #done = new Map<string, Set<string>>();

  constructor(api: BotApi, clock: Clock, config: TelegramConfig, signal: AbortSignal) {
    this.#api = api;
    this.#clock = clock;
    this.#config = config;
    this.#signal = signal;
    const key = `${config.api_url}\u0000${config.bot_token}`;
    let g = perToken.get(key);
    if (g === undefined) {
      g = new WindowLimiter(clock, [{ count: config.global_per_s, perMs: 1_000 }]);
      perToken.set(key, g);
    }
    this.#global = g;
  }

  #limiter(chatId: number): WindowLimiter {
    let l = this.#chats.get(chatId);
    if (l === undefined) {
      const windows = [{ count: 1, perMs: this.#config.chat_gap_ms }];
      if (chatId < 0) windows.push({ count: this.#config.group_per_min, perMs: 60_000 + 500 });
      l = new WindowLimiter(this.#clock, windows);
      this.#chats.set(chatId, l);
    }
    return l;
  }

  /** Sends one HTML message to one chat, waiting for its turn; throws `NotifierError`. */
  async sendOne(chatId: number, html: string): Promise<void> {
    const chat = this.#limiter(chatId);
    for (;;) {
      const wait = Math.max(chat.waitMs(), this.#global.waitMs());
      if (wait === 0) break;
      await sleepOn(this.#clock, wait, this.#signal);
      if (this.#signal.aborted) throw new NotifierError("TELEGRAM_STOPPED", "notifier stopped before sending", { retryable: true });
    }
    chat.record();
    this.#global.record();
    try {
      await this.#api.call("sendMessage", {
        chat_id: chatId,
        text: html,
        parse_mode: "HTML",
        link_preview_options: { is_disabled: !this.#config.link_previews },
      });
    } catch (error) {
      if (error instanceof NotifierError && error.retryAfterMs !== undefined) chat.holdFor(error.retryAfterMs);
      throw error;
    }
  }

  /**
   * Sends every part of an alert to every chat. Retryable errors stop at once (order is kept, the router
   * retries); a chat that refuses for good (blocked, not found) is skipped and reported at the end.
   */
  async sendAll(alertId: string, parts: readonly string[], chats: readonly number[]): Promise<{ refused: Map<number, NotifierError> }> {
    let done = this.#done.get(alertId);
    if (done === undefined) {
      done = new Set();
      this.#done.set(alertId, done);
      if (this.#done.size > 1_000) this.#done.delete(this.#done.keys().next().value!);
    }
    const refused = new Map<number, NotifierError>();
    for (const chat of chats) {
      for (let i = 0; i < parts.length; i++) {
        const mark = `${chat}:${i}`;
        if (done.has(mark)) continue;
        try {
          await this.sendOne(chat, parts[i]!);
        } catch (error) {
          if (error instanceof NotifierError && !error.retryable) {
            refused.set(chat, error);
            break;
          }
          throw error;
        }
        done.add(mark);
      }
    }
    this.#done.delete(alertId);
    return { refused };
  }
}
