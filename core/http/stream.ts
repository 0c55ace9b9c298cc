/**
 * `GET /api/stream`: Server-Sent Events from the bus, shaped so a browser keeps up with thousands of
 * instruments. Quotes are coalesced per instrument and flushed every `throttle_ms` (only the latest top
 * of each instrument goes out), opportunity updates per opportunity and feed states per feed the same
 * way; opens, closes, alerts, deliveries and health transitions go out at once (they are rare). A
 * client that reads too slowly skips quote flushes (the next flush carries the latest) rather than
 * growing a queue in the bot.
 */
import type { Unsubscribe } from "../bus.ts";
import type { TimerHandle } from "../clock.ts";
import type { FeedStatus, Opportunity, Quote } from "../events.ts";
import { redact, redactDeep } from "../secrets.ts";
import type { HttpSources } from "./sources.ts";

/** Options of one stream. */
export interface StreamOptions {
  /** Coalescing period of quotes, opportunity updates and feed states, ms. */
  readonly throttleMs: number;
  /** Send quotes as one `quotes` event (an array) per flush instead of one `quote` event each. */
  readonly batch: boolean;
  /** Keep-alive comment period, ms. Default 10000. */
  readonly keepAliveMs?: number;
}

const encoder = new TextEncoder();
/** Bytes a client may have unread before quote flushes are skipped for it. */
const maxBuffered = 4 * 1024 * 1024;

function frame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Counts of open streams, for tests and the log. */
export const streamStats = { open: 0 };

/**
 * Opens one SSE response. It ends when the client goes away (the body is cancelled) or `signal` aborts.
 *
 * @example
 * app.get("/api/stream", ({ request }) => openStream(sources, { throttleMs: 250, batch: false }, request.signal));
 */
export function openStream(s: HttpSources, options: StreamOptions, signal?: AbortSignal): Response {
  const quotes = new Map<string, Quote>();
  const updates = new Map<string, Opportunity>();
  const statuses = new Map<string, FeedStatus>();
  const offs: Unsubscribe[] = [];
  let flushTimer: TimerHandle | undefined;
  let keepAliveTimer: TimerHandle | undefined;
  let closed = false;
  let buffered = 0;
  let cleanup: () => void = () => {};

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        streamStats.open++;
        const send = (bytes: Uint8Array): void => {
          if (closed) return;
          buffered = controller.desiredSize === null ? 0 : Math.max(0, maxBuffered - controller.desiredSize);
          try {
            controller.enqueue(bytes);
          } catch {
            close();
          }
        };
        const close = (): void => {
          if (closed) return;
          closed = true;
          streamStats.open--;
          for (const off of offs) off();
          s.clock.clearInterval(flushTimer);
          s.clock.clearInterval(keepAliveTimer);
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        cleanup = close;
        signal?.addEventListener("abort", close, { once: true });

        const flush = (): void => {
          if (statuses.size > 0) {
            for (const st of statuses.values()) send(frame("feed.status", { ...st, reasons: st.reasons.map(redact) }));
            statuses.clear();
          }
          if (updates.size > 0) {
            for (const o of updates.values()) send(frame("opportunity.update", o));
            updates.clear();
          }
          if (quotes.size === 0) return;
          if (buffered > maxBuffered / 2) return; // slow reader: keep coalescing, send the latest later
          const rows = [];
          for (const q of quotes.values()) {
            const row = s.store.quoteRow(q.feed, q.instrument);
            if (row !== undefined) rows.push(row);
          }
          quotes.clear();
          if (options.batch) send(frame("quotes", rows));
          else for (const row of rows) send(frame("quote", row));
        };

        send(encoder.encode(`retry: 2000\n\n`));
        send(frame("hello", { bot: s.botName(), serverTime: s.clock.now(), throttleMs: options.throttleMs, health: s.healthSettings() }));
        offs.push(
          s.bus.on("quote", (q) => void quotes.set(`${q.feed}\u0000${q.instrument}`, q), "http"),
          s.bus.on("opportunity.update", (o) => void updates.set(o.id, o), "http"),
          s.bus.on("opportunity.open", (o) => send(frame("opportunity.open", o)), "http"),
          s.bus.on(
            "opportunity.close",
            (o) => {
              updates.delete(o.id);
              send(frame("opportunity.close", o));
            },
            "http",
          ),
          s.bus.on("feed.status", (st) => void statuses.set(st.feed, st), "http"),
          s.bus.on("alert", (a) => send(frame("alert", redactDeep(a))), "http"),
          s.bus.on("alert.delivered", (d) => send(frame("alert.delivered", d)), "http"),
          s.bus.on("alert.failed", (f) => send(frame("alert.failed", { ...f, error: redact(f.error) })), "http"),
          s.bus.on("health.status", (h) => send(frame("health.status", { ...h, reason: redact(h.reason) })), "http"),
        );
        flushTimer = s.clock.setInterval(flush, options.throttleMs);
        keepAliveTimer = s.clock.setInterval(() => send(encoder.encode(`: keep-alive ${s.clock.now()}\n\n`)), options.keepAliveMs ?? 10_000);
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: maxBuffered, size: (chunk) => chunk?.byteLength ?? 0 },
  );
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
