/**
 * Bot API calls with the service's error semantics mapped to `NotifierError`: 429 carries
 * `parameters.retry_after`, 5xx / network errors / timeouts are retryable, 4xx are not; timeouts and
 * connections lost after sending are `ambiguous` (the message may have arrived). The token is part
 * of every URL, so no URL and no raw fetch error ever reaches an error text or a log line.
 */
import { requestFailure } from "../../../core/alerts/request-failure.ts";
import { NotifierError } from "../../../core/errors.ts";

/** The Bot API's answer envelope. */
interface BotReply<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface BotApi {
  call<T>(method: string, body: Record<string, unknown>, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<T>;
}

/** Text safe to show: the token replaced wherever it appears. */
export function scrub(text: string, token: string): string {
  return token.length === 0 ? text : text.split(token).join("***");
}

/** Creates a Bot API client for `token` at `apiUrl`. */
export function createBotApi(apiUrl: string, token: string, timeoutMs: number): BotApi {
  const base = apiUrl.replace(/\/+$/, "");
  return {
    async call<T>(method: string, body: Record<string, unknown>, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
      const limit = opts.timeoutMs ?? timeoutMs;
      const timeout = AbortSignal.timeout(limit);
      const signal = opts.signal === undefined ? timeout : AbortSignal.any([timeout, opts.signal]);
      let res: Response;
      try {
        res = await fetch(`${base}/bot${token}/${method}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal,
        });
      } catch (error) {
        // a timeout or a connection lost after sending may have delivered the message: ambiguous
        const f = requestFailure(error, timeout.aborted, limit);
        throw new NotifierError(timeout.aborted ? "TELEGRAM_TIMEOUT" : "TELEGRAM_NETWORK", `${method}: ${f.what}`, {
          retryable: true,
          ambiguous: f.ambiguous,
          remedy: "check that api_url is reachable",
        });
      }
      let reply: BotReply<T> | undefined;
      try {
        reply = (await res.json()) as BotReply<T>;
      } catch {
        reply = undefined;
      }
      if (res.ok && reply?.ok === true) return reply.result as T;
      const status = reply?.error_code ?? res.status;
      const description = scrub(reply?.description ?? res.statusText, token).slice(0, 300);
      const message = `${method}: ${status} ${description}`;
      if (status === 429) {
        const s = reply?.parameters?.retry_after ?? Number(res.headers.get("retry-after") ?? 1);
        throw new NotifierError("TELEGRAM_RATE_LIMITED", message, { retryable: true, retryAfterMs: Math.max(1, s) * 1000, status });
      }
      if (status >= 500 || status === 408) throw new NotifierError("TELEGRAM_UNAVAILABLE", message, { retryable: true, status });
      if (status === 409) throw new NotifierError("TELEGRAM_CONFLICT", message, { retryable: true, status, remedy: "only one process may poll commands for a bot token" });
      if (status === 401 || status === 404) {
        throw new NotifierError("TELEGRAM_UNAUTHORIZED", message, { retryable: false, status, remedy: "check bot_token (from @BotFather) and api_url" });
      }
      if (status === 403) {
        throw new NotifierError("TELEGRAM_FORBIDDEN", message, { retryable: false, status, remedy: "unblock the bot or add it back to the chat" });
      }
      const migrated = reply?.parameters?.migrate_to_chat_id;
      throw new NotifierError("TELEGRAM_REJECTED", message, {
        retryable: false,
        status,
        ...(migrated === undefined ? {} : { remedy: `the group became a supergroup: use chat id ${migrated} in chat_ids` }),
      });
    },
  };
}
