/**
 * A protocol-faithful fake of the Bot API subset edgewatch uses: `sendMessage` and `getUpdates` (offset,
 * long-poll timeout), with the documented limits enforced as 429 + `parameters.retry_after` (1 message per
 * second per chat, 20 per minute per group chat, 30 per second overall), and injectable 5xx, timeouts,
 * 403 (blocked) and 409 (another poller). Listens on 127.0.0.1, port 0. Records everything it received.
 */
import type { Server } from "bun";
import { checkTelegramHtml } from "./html.ts";

export interface FakeTelegramOptions {
  readonly token: string;
  /** Minimum gap between two messages to one chat, ms; default 1000. */
  readonly perChatMs?: number;
  /** Messages per minute to one group (negative id) chat; default 20. */
  readonly groupPerMin?: number;
  /** Messages per second across chats; default 30. */
  readonly globalPerSec?: number;
  /** Delay between accepting a message and answering, ms (a crash in between loses the answer); default 0. */
  readonly replyDelayMs?: number;
}

/** One accepted `sendMessage`. */
export interface FakeMessage {
  readonly messageId: number;
  readonly chatId: number;
  readonly text: string;
  readonly parseMode: string | undefined;
  readonly linkPreviewDisabled: boolean;
  readonly at: number;
}

export interface FakeUpdateInput {
  readonly chatId: number;
  readonly fromId: number;
  readonly text: string;
  readonly chatType?: "private" | "group" | "supergroup";
}

type Json = Record<string, unknown>;

function reply(status: number, body: Json, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function fail(status: number, description: string, parameters?: Json): Response {
  return reply(status, { ok: false, error_code: status, description, ...(parameters === undefined ? {} : { parameters }) });
}

/** The fake server. `start()` it, point `api_url` at `url`, `stop()` it. */
export class FakeTelegram {
  readonly messages: FakeMessage[] = [];
  readonly rejected: { chatId: number; status: number; description: string; at: number }[] = [];
  readonly pollCalls: { offset: number | undefined; timeoutS: number }[] = [];
  /** Times a 429 was answered. */
  tooMany = 0;
  /** getUpdates answers 409 while set. */
  conflict = false;
  readonly #opts: Required<FakeTelegramOptions>;
  #server: Server<undefined> | undefined;
  #failQueue: (number | "timeout")[] = [];
  #sends = 0;
  #failAt = new Map<number, number | "timeout">();
  #down: number | "timeout" | undefined;
  #blocked = new Set<number>();
  #lastPerChat = new Map<number, number>();
  #groupTimes = new Map<number, number[]>();
  #globalTimes: number[] = [];
  #updates: Json[] = [];
  #nextUpdateId = 1000;
  #nextMessageId = 1;
  #waiters = new Set<() => void>();
  /** Ends the long poll in progress with 409, as the service does when a second poller arrives. */
  #terminateActive: (() => void) | undefined;
  /** getUpdates requests cut short by a newer one. */
  conflicts = 0;
  #closed = new AbortController();

  constructor(opts: FakeTelegramOptions) {
    this.#opts = { perChatMs: 1_000, groupPerMin: 20, globalPerSec: 30, replyDelayMs: 0, ...opts };
  }

  /** Base URL to use as `api_url`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server!.port}`;
  }

  start(): this {
    this.#server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 60, fetch: (req) => this.#handle(req) });
    return this;
  }

  async stop(): Promise<void> {
    this.#closed.abort();
    for (const w of this.#waiters) w();
    await this.#server?.stop(true);
  }

  /** The next `n` sendMessage calls answer `status` (5xx) or hang (`"timeout"`). */
  failNext(n: number, what: number | "timeout" = 502): void {
    for (let i = 0; i < n; i++) this.#failQueue.push(what);
  }

  /** The `n`-th sendMessage since start (1-based) answers `status` (or hangs). */
  failOnRequest(n: number, what: number | "timeout" = 502): void {
    this.#failAt.set(n, what);
  }

  /** Every sendMessage answers `status` or hangs until `down(undefined)`. */
  down(what: number | "timeout" | undefined): void {
    this.#down = what;
  }

  /** The bot is blocked in / kicked from `chatId` (403). */
  block(chatId: number, blocked = true): void {
    if (blocked) this.#blocked.add(chatId);
    else this.#blocked.delete(chatId);
  }

  /** A user writes `text` in a chat; returns the update id. */
  pushUpdate(u: FakeUpdateInput): number {
    const id = this.#nextUpdateId++;
    const type = u.chatType ?? (u.chatId < 0 ? "supergroup" : "private");
    this.#updates.push({
      update_id: id,
      message: { message_id: this.#nextMessageId++, date: Math.floor(Date.now() / 1000), text: u.text, chat: { id: u.chatId, type }, from: { id: u.fromId, is_bot: false, first_name: "user" } },
    });
    for (const w of this.#waiters) w();
    return id;
  }

  /** Texts sent to one chat, in order. */
  textsTo(chatId: number): string[] {
    return this.messages.filter((m) => m.chatId === chatId).map((m) => m.text);
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (m === null) return fail(404, "Not Found");
    if (m[1] !== this.#opts.token) return fail(401, "Unauthorized");
    let body: Json = {};
    if (req.method === "POST") {
      try {
        body = (await req.json()) as Json;
      } catch {
        return fail(400, "Bad Request: invalid JSON");
      }
    }
    for (const [k, v] of url.searchParams) body[k] = v;
    switch (m[2]) {
      case "sendMessage":
        return this.#sendMessage(body);
      case "getUpdates":
        return this.#getUpdates(body);
      case "getMe":
        return reply(200, { ok: true, result: { id: 1, is_bot: true, first_name: "fake", username: "fake_bot" } });
      default:
        return fail(404, "Not Found: method not found");
    }
  }

  async #hang(): Promise<Response> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 30_000);
      this.#closed.signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      });
    });
    return fail(504, "Gateway Timeout");
  }

  async #sendMessage(body: Json): Promise<Response> {
    const now = Date.now();
    const chatId = Number(body.chat_id);
    this.#sends++;
    const injected = this.#failQueue.shift() ?? this.#failAt.get(this.#sends) ?? this.#down;
    if (injected === "timeout") return this.#hang();
    if (injected !== undefined) return fail(injected, injected === 502 ? "Bad Gateway" : "Internal Server Error");
    if (!Number.isFinite(chatId)) return fail(400, "Bad Request: chat not found");
    if (this.#blocked.has(chatId)) return this.#reject(chatId, 403, "Forbidden: bot was blocked by the user");
    const text = typeof body.text === "string" ? body.text : "";
    const parseMode = typeof body.parse_mode === "string" ? body.parse_mode : undefined;
    let length = text.length;
    if (parseMode === "HTML") {
      const check = checkTelegramHtml(text);
      if (!check.ok) return this.#reject(chatId, 400, check.error);
      length = check.textLength;
    }
    if (length === 0) return this.#reject(chatId, 400, "Bad Request: message text is empty");
    if (length > 4096) return this.#reject(chatId, 400, "Bad Request: message is too long");
    const wait = this.#rateWait(chatId, now);
    if (wait > 0) {
      this.tooMany++;
      const retryAfter = Math.max(1, Math.ceil(wait / 1000));
      this.rejected.push({ chatId, status: 429, description: `Too Many Requests: retry after ${retryAfter}`, at: now });
      return fail(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    this.#lastPerChat.set(chatId, now);
    if (chatId < 0) this.#groupTimes.set(chatId, [...(this.#groupTimes.get(chatId) ?? []), now]);
    this.#globalTimes.push(now);
    const preview = body.link_preview_options as Json | undefined;
    const msg: FakeMessage = {
      messageId: this.#nextMessageId++,
      chatId,
      text,
      parseMode,
      linkPreviewDisabled: preview?.is_disabled === true || body.disable_web_page_preview === true,
      at: now,
    };
    this.messages.push(msg);
    if (this.#opts.replyDelayMs > 0) await Bun.sleep(this.#opts.replyDelayMs);
    return reply(200, { ok: true, result: { message_id: msg.messageId, date: Math.floor(now / 1000), chat: { id: chatId }, text } });
  }

  #reject(chatId: number, status: number, description: string): Response {
    this.rejected.push({ chatId, status, description, at: Date.now() });
    return fail(status, description);
  }

  /** ms until one more message to `chatId` is within every documented limit. */
  #rateWait(chatId: number, now: number): number {
    let wait = 0;
    const last = this.#lastPerChat.get(chatId);
    if (last !== undefined && now - last < this.#opts.perChatMs) wait = this.#opts.perChatMs - (now - last);
    if (chatId < 0) {
      const times = (this.#groupTimes.get(chatId) ?? []).filter((t) => now - t < 60_000);
      this.#groupTimes.set(chatId, times);
      if (times.length >= this.#opts.groupPerMin) wait = Math.max(wait, times[times.length - this.#opts.groupPerMin]! + 60_000 - now);
    }
    this.#globalTimes = this.#globalTimes.filter((t) => now - t < 1_000);
    if (this.#globalTimes.length >= this.#opts.globalPerSec) {
      wait = Math.max(wait, this.#globalTimes[this.#globalTimes.length - this.#opts.globalPerSec]! + 1_000 - now);
    }
    return wait;
  }

  async #getUpdates(body: Json): Promise<Response> {
    const offset = body.offset === undefined ? undefined : Number(body.offset);
    const timeoutS = Math.min(50, Math.max(0, Number(body.timeout ?? 0)));
    this.pollCalls.push({ offset, timeoutS });
    if (this.conflict) {
      return fail(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    }
    // an offset confirms every update before it: they are never returned again
    if (offset !== undefined) this.#updates = this.#updates.filter((u) => (u.update_id as number) >= offset);
    this.#terminateActive?.();
    let terminated = false;
    let mine: (() => void) | undefined;
    const deadline = Date.now() + timeoutS * 1000;
    while (this.#updates.length === 0 && Date.now() < deadline && !this.#closed.signal.aborted && !terminated) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, deadline - Date.now());
        const self = this;
        function done(): void {
          clearTimeout(t);
          self.#waiters.delete(done);
          resolve();
        }
        mine = () => {
          terminated = true;
          done();
        };
        this.#terminateActive = mine;
        this.#waiters.add(done);
      });
    }
    if (this.#terminateActive === mine) this.#terminateActive = undefined;
    if (terminated) {
      this.conflicts++;
      return fail(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    }
    const limit = Math.max(1, Math.min(100, Number(body.limit ?? 100)));
    return reply(200, { ok: true, result: this.#updates.slice(0, limit) });
  }
}
