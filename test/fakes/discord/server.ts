/**
 * A protocol-faithful fake of a channel webhook: `POST /api/webhooks/:id/:token`, with the documented
 * message limits validated (400, code 50035), a per-webhook bucket announced in `X-RateLimit-*` headers and
 * enforced with 429 + float `retry_after`, injectable 5xx. Listens on 127.0.0.1, port 0; records every
 * accepted message.
 */
import type { Server } from "bun";

export interface FakeDiscordOptions {
  readonly id?: string;
  readonly token?: string;
  /** Requests per bucket window; default 5. */
  readonly bucketLimit?: number;
  /** Bucket window, ms; default 2000. */
  readonly bucketMs?: number;
}

interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  author?: { name: string };
}

export interface FakeDiscordMessage {
  readonly content?: string;
  readonly embeds: Embed[];
  readonly allowedMentions: unknown;
  readonly username?: string;
  readonly at: number;
}

/** Problems with a message by the service's documented limits; empty when it is valid. */
export function validateDiscordMessage(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const content = body.content;
  const embeds = (body.embeds ?? []) as Embed[];
  if (content !== undefined && (typeof content !== "string" || content.length > 2000)) problems.push("content: Must be 2000 or fewer in length.");
  if (!Array.isArray(embeds)) return [...problems, "embeds: must be an array"];
  if ((content === undefined || content === "") && embeds.length === 0) problems.push("Cannot send an empty message");
  if (embeds.length > 10) problems.push("embeds: Must be 10 or fewer in length.");
  let total = 0;
  embeds.forEach((e, i) => {
    const t = e.title ?? "";
    const d = e.description ?? "";
    if (t.length > 256) problems.push(`embeds.${i}.title: Must be 256 or fewer in length.`);
    if (d.length > 4096) problems.push(`embeds.${i}.description: Must be 4096 or fewer in length.`);
    if ((e.fields ?? []).length > 25) problems.push(`embeds.${i}.fields: Must be 25 or fewer in length.`);
    total += t.length + d.length + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    if ((e.footer?.text.length ?? 0) > 2048) problems.push(`embeds.${i}.footer.text: Must be 2048 or fewer in length.`);
    (e.fields ?? []).forEach((f, j) => {
      if (f.name.length === 0 || f.name.length > 256) problems.push(`embeds.${i}.fields.${j}.name: Must be between 1 and 256 in length.`);
      if (f.value.length === 0 || f.value.length > 1024) problems.push(`embeds.${i}.fields.${j}.value: Must be between 1 and 1024 in length.`);
      total += f.name.length + f.value.length;
    });
    if (e.timestamp !== undefined && Number.isNaN(Date.parse(e.timestamp))) problems.push(`embeds.${i}.timestamp: Could not parse ${e.timestamp}.`);
    if (e.color !== undefined && (!Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff)) problems.push(`embeds.${i}.color: invalid colour`);
  });
  if (total > 6000) problems.push("embeds: Embed size exceeds maximum size of 6000");
  return problems;
}

export class FakeDiscord {
  readonly messages: FakeDiscordMessage[] = [];
  readonly invalid: { problems: string[]; at: number }[] = [];
  tooMany = 0;
  readonly #opts: Required<FakeDiscordOptions>;
  #server: Server<undefined> | undefined;
  #failQueue: number[] = [];
  #limitQueue: number[] = [];
  #requests = 0;
  #failAt = new Map<number, number>();
  #times: number[] = [];

  constructor(opts: FakeDiscordOptions = {}) {
    this.#opts = { id: "111", token: "webhook-secret-token", bucketLimit: 5, bucketMs: 2_000, ...opts };
  }

  /** The webhook URL to configure. */
  get webhookUrl(): string {
    return `http://127.0.0.1:${this.#server!.port}/api/webhooks/${this.#opts.id}/${this.#opts.token}`;
  }

  start(): this {
    this.#server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => this.#handle(req) });
    return this;
  }

  async stop(): Promise<void> {
    await this.#server?.stop(true);
  }

  /** The next `n` requests answer `status`. */
  failNext(n: number, status = 502): void {
    for (let i = 0; i < n; i++) this.#failQueue.push(status);
  }

  /** The `n`-th POST since start (1-based) answers `status`. */
  failOnRequest(n: number, status = 502): void {
    this.#failAt.set(n, status);
  }

  /** The next request is refused with 429 and this float `retry_after` (seconds), as a shared bucket would. */
  rateLimitNext(retryAfterS: number): void {
    this.#limitQueue.push(retryAfterS);
  }

  #bucketHeaders(now: number): Record<string, string> {
    this.#times = this.#times.filter((t) => now - t < this.#opts.bucketMs);
    const remaining = Math.max(0, this.#opts.bucketLimit - this.#times.length);
    const resetAfter = this.#times.length === 0 ? this.#opts.bucketMs / 1000 : (this.#times[0]! + this.#opts.bucketMs - now) / 1000;
    return {
      "x-ratelimit-limit": String(this.#opts.bucketLimit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset-after": resetAfter.toFixed(3),
      "x-ratelimit-reset": ((now + resetAfter * 1000) / 1000).toFixed(3),
      "x-ratelimit-bucket": "fakebucket",
    };
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
    if (url.pathname !== `/api/webhooks/${this.#opts.id}/${this.#opts.token}`) return json(401, { message: "Invalid Webhook Token", code: 50027 });
    if (req.method !== "POST") return json(405, { message: "405: Method Not Allowed", code: 0 });
    const now = Date.now();
    this.#requests++;
    const injected = this.#failQueue.shift() ?? this.#failAt.get(this.#requests);
    if (injected !== undefined) return json(injected, { message: "upstream error", code: 0 });
    this.#times = this.#times.filter((t) => now - t < this.#opts.bucketMs);
    const forced = this.#limitQueue.shift();
    if (forced !== undefined || this.#times.length >= this.#opts.bucketLimit) {
      this.tooMany++;
      const retryAfter = forced ?? (this.#times[this.#times.length - this.#opts.bucketLimit]! + this.#opts.bucketMs - now) / 1000;
      return json(
        429,
        { message: "You are being rate limited.", retry_after: Number(retryAfter.toFixed(3)), global: false },
        { ...this.#bucketHeaders(now), "retry-after": String(Math.ceil(retryAfter)), "x-ratelimit-scope": "user" },
      );
    }
    let body: Record<string, unknown>;
    try {
      body = (await req.json()) as Record<string, unknown>;
    } catch {
      return json(400, { message: "The request body contains invalid JSON.", code: 50109 });
    }
    const problems = validateDiscordMessage(body);
    if (problems.length > 0) {
      this.invalid.push({ problems, at: now });
      return json(400, { message: "Invalid Form Body", code: 50035, errors: problems });
    }
    this.#times.push(now);
    const msg: FakeDiscordMessage = {
      ...(typeof body.content === "string" ? { content: body.content } : {}),
      embeds: (body.embeds ?? []) as Embed[],
      allowedMentions: body.allowed_mentions,
      ...(typeof body.username === "string" ? { username: body.username } : {}),
      at: now,
    };
    this.messages.push(msg);
    const headers = this.#bucketHeaders(now);
    if (url.searchParams.get("wait") === "true") return json(200, { id: String(this.messages.length), content: msg.content ?? "", embeds: msg.embeds }, headers);
    return new Response(null, { status: 204, headers });
  }
}
