import { afterEach, describe, expect, it } from "bun:test";
import type { Server } from "bun";
import { webhookNotifier } from "../../plugins/notifiers/webhook/index.ts";
import { verifySignature } from "../../plugins/notifiers/webhook/signature.ts";
import { notifierWithRouter, numbered, until } from "./kit.ts";

const secret = "whsec-0123456789abcdef";

interface Received {
  headers: Headers;
  body: string;
}

let server: Server<undefined> | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await server?.stop(true);
});

/** A receiver that answers from `script` (status or "hang") in order, then 200. */
function receiver(script: (number | "hang")[] = []) {
  const received: Received[] = [];
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const body = await req.text();
      const step = script.shift();
      if (step === "hang") {
        await Bun.sleep(1_000);
        return new Response("late", { status: 200 });
      }
      if (step !== undefined) return new Response("no", { status: step, headers: step === 429 ? { "retry-after": "0" } : {} });
      received.push({ headers: req.headers, body });
      return new Response(null, { status: 204 });
    },
  });
  return { received, url: `http://127.0.0.1:${server.port}/hooks/edgewatch?token=abc123secret` };
}

async function start(url: string, extra: Record<string, unknown> = {}) {
  const kit = await notifierWithRouter(webhookNotifier, { url, secret, timeout_ms: 200, ...extra }, { retry_initial_ms: 20, retry_max_ms: 100 });
  closers.push(kit.close);
  return kit;
}

describe("webhook notifier with the router", () => {
  it("posts JSON with a verifiable signature, a timestamp and the alert id as idempotency key", async () => {
    const r = receiver();
    const kit = await start(r.url, { headers: { authorization: "Bearer xyz" } });
    const a = numbered(1);
    kit.bus.emit("alert", a);
    await until(() => r.received.length === 1, "delivery");
    const { headers, body } = r.received[0]!;
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("idempotency-key")).toBe(a.id);
    expect(headers.get("authorization")).toBe("Bearer xyz");
    const ts = Number(headers.get("x-edgewatch-timestamp"));
    expect(verifySignature(secret, ts, body, headers.get("x-edgewatch-signature") ?? "")).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ version: 1, id: a.id, kind: "info", title: "A1#" });
  });

  it("retries 5xx, 429 and timeouts, then delivers in order; a 4xx fails for good", async () => {
    const r = receiver([503, "hang", 429, 500, 400]);
    const kit = await start(r.url);
    const alerts = [numbered(1), numbered(2), numbered(3)];
    for (const a of alerts) kit.bus.emit("alert", a);
    await until(() => kit.router.stats().pending === 0, "all settled");
    const ids = r.received.map((x) => x.headers.get("idempotency-key"));
    // 503, hang, 429, 500 hit alert 1 (retried); the 400 refuses alert 1 for good, then 2 and 3 arrive
    expect(ids).toEqual([alerts[1]!.id, alerts[2]!.id]);
    expect(kit.router.stats().totals.webhook).toMatchObject({ delivered: 2, failed: 1, retried: 4 });
    expect(kit.sink.lines.join("\n")).not.toContain("abc123secret");
  });
});
