import { requestFailure } from "../../../core/alerts/request-failure.ts";
import { NotifierError } from "../../../core/errors.ts";
import { defineNotifier } from "../../../core/plugin.ts";
import { registerSecret } from "../../../core/secrets.ts";
import { webhookConfig } from "./config.ts";
import { formatBody } from "./format.ts";
import { signatureHeader, signPayload, timestampHeader } from "./signature.ts";

/**
 * Webhook: POSTs each alert as JSON, signed with HMAC-SHA256 over "<timestamp>.<body>", with the alert id as
 * `Idempotency-Key` so a receiver can drop the repeat an at-least-once delivery may bring.
 */
export const webhookNotifier = defineNotifier({
  name: "webhook",
  description: "POSTs alerts as signed JSON to a URL of your choice",
  config: webhookConfig,
  setup(ctx) {
    const config = ctx.config;
    registerSecret(config.url);
    if (config.secret !== undefined) registerSecret(config.secret);
    else ctx.log.warn("webhook deliveries are unsigned: set `secret` so the receiver can check they come from this bot", {});
    const stopping = new AbortController();
    return {
      async send(alert) {
        const ts = ctx.clock.now();
        const body = JSON.stringify(formatBody(alert, ts));
        const headers: Record<string, string> = {
          ...config.headers,
          "content-type": "application/json",
          "user-agent": "edgewatch (alerts)",
          "idempotency-key": alert.id,
          [timestampHeader]: String(ts),
        };
        if (config.secret !== undefined) headers[signatureHeader] = signPayload(config.secret, ts, body);
        const timeout = AbortSignal.timeout(config.timeout_ms);
        let res: Response;
        try {
          res = await fetch(config.url, { method: "POST", headers, body, signal: AbortSignal.any([timeout, ctx.signal, stopping.signal]) });
        } catch (error) {
          // the URL may hold a token: the message names neither it nor the raw error text
          // a timeout or a connection lost after sending may have reached the receiver: ambiguous
          const f = requestFailure(error, timeout.aborted, config.timeout_ms);
          throw new NotifierError(timeout.aborted ? "WEBHOOK_TIMEOUT" : "WEBHOOK_NETWORK", `POST: ${f.what}`, { retryable: true, ambiguous: f.ambiguous });
        }
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        const message = `POST: ${res.status} ${res.statusText}`;
        if (res.status === 429 || res.status === 408 || res.status >= 500) {
          const after = res.headers.get("retry-after");
          const seconds = after === null ? Number.NaN : Number(after);
          const retryAfterMs = Number.isFinite(seconds) ? seconds * 1000 : after !== null && !Number.isNaN(Date.parse(after)) ? Math.max(0, Date.parse(after) - Date.now()) : undefined;
          throw new NotifierError("WEBHOOK_UNAVAILABLE", message, { retryable: true, status: res.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
        }
        throw new NotifierError("WEBHOOK_REJECTED", message, { retryable: false, status: res.status, remedy: "the receiver refused the request: check url, headers and secret" });
      },
      stop() {
        stopping.abort();
      },
    };
  },
});
