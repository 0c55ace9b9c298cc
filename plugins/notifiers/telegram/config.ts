import * as v from "valibot";

const int = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));

/** A chat id: a whole number, or the same number as text (environment variables are text). */
const chatId = v.union([
  v.pipe(v.number(), v.integer()),
  v.pipe(v.string(), v.regex(/^-?\d{1,20}$/, "a whole number"), v.transform(Number)),
]);

/** `[notifiers.<id>]` with `plugin = "telegram"`. */
export const telegramConfig = v.strictObject({
  bot_token: v.pipe(v.string(), v.minLength(1), v.description('Bot token from @BotFather; always `"${TELEGRAM_BOT_TOKEN}"`, never a literal.')),
  chat_ids: v.pipe(v.array(chatId), v.minLength(1), v.description("Chats that receive alerts and may send commands. Groups have negative ids; a numeric string (from \"${TELEGRAM_CHAT_ID}\") is read as its number.")),
  user_ids: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer())), v.description("When set, only these users may send commands (also inside the chats above)."))),
  api_url: v.optional(v.pipe(v.string(), v.url(), v.description('Bot API base URL. Default "https://api.telegram.org".')), "https://api.telegram.org"),
  timeout_ms: v.optional(v.pipe(int(1), v.description("Timeout of one request (a timeout is retried). Default 10000.")), 10_000),
  commands: v.optional(v.pipe(v.boolean(), v.description("Answer /status /feeds /opps /mute /unmute /help by long polling. Default true.")), true),
  poll_timeout_s: v.optional(v.pipe(int(0), v.maxValue(50), v.description("Long-poll timeout of getUpdates, seconds. Default 25.")), 25),
  poll_retry_ms: v.optional(v.pipe(int(1), v.description("Wait after a failed poll or a 409 conflict. Default 5000.")), 5_000),
  chat_gap_ms: v.optional(v.pipe(int(0), v.description("Least time between two messages to one chat (the service allows about one per second). Default 1100 (a margin for network jitter).")), 1_100),
  group_per_min: v.optional(v.pipe(int(1), v.maxValue(20), v.description("Messages per minute to one group chat (the service allows 20). Default 20.")), 20),
  global_per_s: v.optional(v.pipe(int(1), v.maxValue(30), v.description("Messages per second across chats for this token (the service allows 30). Default 25.")), 25),
  link_previews: v.optional(v.pipe(v.boolean(), v.description("Show link previews under alerts. Default false.")), false),
});

export type TelegramConfig = v.InferOutput<typeof telegramConfig>;
