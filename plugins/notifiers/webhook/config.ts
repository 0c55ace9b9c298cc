import * as v from "valibot";

/** `[notifiers.<id>]` with `plugin = "webhook"`. */
export const webhookConfig = v.strictObject({
  url: v.pipe(v.string(), v.url(), v.description("Where alerts are POSTed as JSON.")),
  secret: v.optional(
    v.pipe(v.string(), v.minLength(16), v.description('HMAC-SHA256 key for `X-Edgewatch-Signature` (`"${WEBHOOK_SECRET}"`, at least 16 characters). Absent = unsigned (a warning at start).')),
  ),
  headers: v.optional(v.pipe(v.record(v.string(), v.string()), v.description("Extra request headers (e.g. `Authorization`); values may use `${ENV}`.")), {}),
  timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Timeout of one request (a timeout is retried). Default 10000.")), 10_000),
});

export type WebhookConfig = v.InferOutput<typeof webhookConfig>;
