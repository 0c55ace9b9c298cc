/**
 * Posts to a channel webhook. The bucket's `X-RateLimit-Remaining` / `X-RateLimit-Reset-After` headers say
 * when the next request may go; a 429 carries a float `retry_after` (seconds). The webhook URL holds a
 * token, so it never appears in an error or a log line.
 */
import type { Clock } from "../../../core/clock.ts";
import { NotifierError } from "../../../core/errors.ts";
import { sleepOn } from "../../../core/alerts/limiter.ts";
import { requestFailure } from "../../../core/alerts/request-failure.ts";
import type { DiscordPayload } from "./limits.ts";

/** A webhook client that waits out the bucket the service announced. */
export class DiscordWebhook {
  readonly #url: string;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #signal: AbortSignal;
  /** Epoch ms before which the bucket is empty. */
  #resumeAt = 0;

  constructor(url: string, clock: Clock, timeoutMs: number, signal: AbortSignal) {
    this.#url = url;
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
    this.#signal = signal;
  }

  /** Posts one message; throws `NotifierError`. */
  async post(payload: DiscordPayload): Promise<void> {
    const wait = this.#resumeAt - this.#clock.now();
    if (wait > 0) await sleepOn(this.#clock, wait, this.#signal);
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.#url}${this.#url.includes("?") ? "&" : "?"}wait=true`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "edgewatch (alerts)" },
        body: JSON.stringify(payload),
        signal: AbortSignal.any([timeout, this.#signal]),
      });
    } catch (error) {
      // a timeout or a connection lost after sending may have posted the message: ambiguous
      const f = requestFailure(error, timeout.aborted, this.#timeoutMs);
      throw new NotifierError(timeout.aborted ? "DISCORD_TIMEOUT" : "DISCORD_NETWORK", `webhook: ${f.what}`, { retryable: true, ambiguous: f.ambiguous });
    }
    this.#readBucket(res);
    const text = await res.text().catch(() => "");
    if (res.ok) return;
    let body: { message?: string; retry_after?: number; code?: number } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // not JSON: keep the status alone
    }
    const message = `webhook: ${res.status} ${(body.message ?? res.statusText).slice(0, 200)}${body.code === undefined ? "" : ` (code ${body.code})`}`;
    if (res.status === 429) {
      const s = body.retry_after ?? Number(res.headers.get("retry-after") ?? 1);
      const ms = Math.ceil(s * 1000);
      this.#resumeAt = Math.max(this.#resumeAt, this.#clock.now() + ms);
      throw new NotifierError("DISCORD_RATE_LIMITED", message, { retryable: true, retryAfterMs: ms, status: 429 });
    }
    if (res.status >= 500 || res.status === 408) throw new NotifierError("DISCORD_UNAVAILABLE", message, { retryable: true, status: res.status });
    if (res.status === 401 || res.status === 403 || res.status === 404) {
      throw new NotifierError("DISCORD_WEBHOOK_INVALID", message, { retryable: false, status: res.status, remedy: "the webhook was deleted or its URL is wrong: create one and set webhook_url" });
    }
    throw new NotifierError("DISCORD_REJECTED", message, { retryable: false, status: res.status });
  }

  #readBucket(res: Response): void {
    const remaining = res.headers.get("x-ratelimit-remaining");
    const after = res.headers.get("x-ratelimit-reset-after");
    if (remaining === "0" && after !== null && Number.isFinite(Number(after))) {
      this.#resumeAt = Math.max(this.#resumeAt, this.#clock.now() + Math.ceil(Number(after) * 1000));
    }
  }
}
