import * as v from "valibot";

/** `[notifiers.<id>]` with `plugin = "discord"`. */
export const discordConfig = v.strictObject({
  webhook_url: v.pipe(v.string(), v.url(), v.description('Channel webhook URL (it contains a token): always `"${DISCORD_WEBHOOK_URL}"`, never a literal.')),
  username: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(80), v.description("Name shown on messages; default: the webhook's own."))),
  mentions: v.optional(
    v.pipe(v.array(v.picklist(["roles", "users", "everyone"])), v.description("Mention kinds alert text may trigger (`allowed_mentions.parse`). Default [] (none: a hostile @everyone pings nobody).")),
    [],
  ),
  timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Timeout of one request (a timeout is retried). Default 10000.")), 10_000),
});

export type DiscordConfig = v.InferOutput<typeof discordConfig>;
