/**
 * CLOB REST for books: `GET /book?token_id=` and batch `POST /books` (body `[{"token_id":…}]`), through
 * `ctx.fetch` (recorded, replayable), within the documented sliding-window limits (`/book` 1,500/10 s,
 * `/books` 500/10 s). 429 and 5xx are retried after `Retry-After` (or the configured delay).
 */
import type { Clock } from "../../../core/clock.ts";
import { FeedError } from "../../../core/errors.ts";
import type { Fetch } from "../../../core/transport.ts";
import type { PolyRestBook } from "./messages.ts";
import { SlidingWindowLimiter } from "./rate-limit.ts";

/** How a JSON request is made and retried. */
export interface HttpOptions {
  readonly fetch: Fetch;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Wait before retrying a 429/5xx/network failure when the venue gave no `Retry-After`, ms. */
  readonly retryMs: number;
  /** Attempts in all (default 3). */
  readonly attempts?: number;
  readonly signal?: AbortSignal;
}

function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) return reject(new FeedError("POLY_STOPPED", "the feed stopped", { retryable: false }));
    const t = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clock.clearTimeout(t);
      reject(new FeedError("POLY_STOPPED", "the feed stopped", { retryable: false }));
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * One JSON request with retries. Throws `FeedError` (retryable for 429/5xx/timeouts after the last
 * attempt, fatal for other 4xx) naming the path, never the query values of secrets (there are none here).
 */
export async function requestJson<T>(url: string, init: RequestInit, o: HttpOptions, limiter?: SlidingWindowLimiter): Promise<T> {
  const attempts = o.attempts ?? 3;
  const path = new URL(url).pathname;
  let last: FeedError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await limiter?.take();
    if (o.signal?.aborted === true) throw new FeedError("POLY_STOPPED", "the feed stopped", { retryable: false });
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(o.timeoutMs);
      response = await o.fetch(url, { ...init, signal: o.signal === undefined ? timeout : AbortSignal.any([timeout, o.signal]) });
    } catch (error) {
      last = new FeedError("POLY_HTTP_NETWORK", `${path}: ${String(error)}`, { retryable: true, cause: error });
      if (attempt < attempts) await sleep(o.clock, o.retryMs, o.signal);
      continue;
    }
    if (response.ok) return (await response.json()) as T;
    const body = (await response.text()).slice(0, 200);
    const retryable = response.status === 429 || response.status >= 500;
    const after = Number(response.headers.get("retry-after"));
    const retryAfterMs = Number.isFinite(after) && after > 0 ? after * 1000 : o.retryMs;
    last = new FeedError("POLY_HTTP_STATUS", `${path}: HTTP ${response.status} ${body}`, { retryable, retryAfterMs });
    if (!retryable) throw last;
    if (attempt < attempts) await sleep(o.clock, retryAfterMs, o.signal);
  }
  throw last ?? new FeedError("POLY_HTTP_NETWORK", `${path}: no attempt made`, { retryable: true });
}

/** Rate limits of the CLOB book endpoints, requests per 10 s. */
export interface ClobRestLimits {
  readonly bookPer10s: number;
  readonly booksPer10s: number;
}

/** The CLOB REST client of one feed instance. */
export class ClobRest {
  readonly baseUrl: string;
  readonly book: SlidingWindowLimiter;
  readonly books: SlidingWindowLimiter;
  #o: HttpOptions;
  /** Requests made, by endpoint (tests and stats). */
  readonly counts = { book: 0, books: 0 };

  constructor(baseUrl: string, o: HttpOptions, limits: ClobRestLimits) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#o = o;
    this.book = new SlidingWindowLimiter(o.clock, limits.bookPer10s, 10_000);
    this.books = new SlidingWindowLimiter(o.clock, limits.booksPer10s, 10_000);
  }

  /** `GET /book?token_id=…` */
  requestBook(token: string): Promise<PolyRestBook> {
    this.counts.book++;
    return requestJson<PolyRestBook>(`${this.baseUrl}/book?token_id=${encodeURIComponent(token)}`, { method: "GET" }, this.#o, this.book);
  }

  /** `POST /books` with `[{"token_id":…}]`; one token goes through `GET /book`. */
  async requestBooks(tokens: readonly string[]): Promise<PolyRestBook[]> {
    if (tokens.length === 1) return [await this.requestBook(tokens[0]!)];
    this.counts.books++;
    const body = JSON.stringify(tokens.map((t) => ({ token_id: t })));
    const out = await requestJson<unknown>(`${this.baseUrl}/books`, { method: "POST", body, headers: { "content-type": "application/json" } }, this.#o, this.books);
    if (!Array.isArray(out)) throw new FeedError("POLY_HTTP_SHAPE", "/books: expected a JSON array", { retryable: true });
    return out as PolyRestBook[];
  }

  stop(): void {
    this.book.stop();
    this.books.stop();
  }
}
