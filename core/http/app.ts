/**
 * The HTTP API (Elysia) exactly as SURFACE.md lists it, plus the dashboard's static files. Every route
 * only reads the bot's views or publishes a `control.*` event; tests drive it through
 * `app.handle(new Request(...))` without binding a port.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Elysia } from "elysia";
import { describeError } from "../errors.ts";
import { renderMetrics } from "../metrics.ts";
import { redact, redactDeep } from "../secrets.ts";
import { errorResponse, HttpError, internalError, json } from "./errors.ts";
import { healthBody, isReady } from "./health.ts";
import { idParam, intQuery, muteUntil } from "./params.ts";
import type { HttpSources } from "./sources.ts";
import { openStream } from "./stream.ts";

/** Options of the API. */
export interface HttpAppOptions {
  /** Bearer token for `/api/control/*` (and every data route when `tokenEverywhere`). */
  readonly token?: string | undefined;
  /** Require the token on every route but the static page (the server is bound off loopback). */
  readonly tokenEverywhere?: boolean;
  /** Default coalescing period of `/api/stream`, ms. Default 250. */
  readonly streamThrottleMs?: number;
  /** How many oldest quotes get a `edgewatch_quote_age_seconds` series. Default 20. */
  readonly quoteAgeTopN?: number;
}

const dashboardDir = join(import.meta.dir, "..", "dashboard");
const staticFiles: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/dashboard/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/dashboard/table.js": { file: "table.js", type: "text/javascript; charset=utf-8" },
  "/dashboard/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function tokenMatches(header: string | null, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (m === null) return false;
  return timingSafeEqual(digest(m[1]!), digest(token));
}

/**
 * Builds the API. Static files are read once here (no build step: plain HTML, JS and CSS).
 *
 * @example
 * const app = createHttpApp(sources, { token: "…" });
 * const res = await app.handle(new Request("http://localhost/api/feeds"));
 */
export function createHttpApp(s: HttpSources, options: HttpAppOptions = {}) {
  const files = new Map<string, { body: string; type: string }>();
  for (const [path, f] of Object.entries(staticFiles)) files.set(path, { body: readFileSync(join(dashboardDir, f.file), "utf8"), type: f.type });
  const throttleDefault = options.streamThrottleMs ?? 250;
  const log = s.log;

  const guard = (request: Request): Response | undefined => {
    const path = new URL(request.url).pathname;
    const control = path.startsWith("/api/control/");
    if (!control && !(options.tokenEverywhere === true && !files.has(path))) return undefined;
    if (options.token === undefined) {
      return errorResponse(401, "UNAUTHORIZED", "control routes are off: set [http] token to use them", undefined, { "www-authenticate": "Bearer" });
    }
    if (!tokenMatches(request.headers.get("authorization"), options.token)) {
      return errorResponse(401, "UNAUTHORIZED", "expected Authorization: Bearer <token>", undefined, { "www-authenticate": "Bearer" });
    }
    return undefined;
  };

  const feedsRows = () =>
    s.view.feeds().map((f) => {
      const st = s.store.feedStats(f.id);
      const n = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? null : x);
      return {
        id: f.id,
        plugin: f.plugin,
        state: f.state,
        connections: f.connections,
        messages: f.messages,
        errors: f.errors,
        reconnects: f.reconnects,
        lastMessageAgeMs: f.lastMessageAgeMs,
        reasons: f.reasons.map(redact),
        resyncs: f.resyncs,
        books: st?.books ?? 0,
        updatesPerS: st?.updatesPerS ?? 0,
        latencyP50Ms: n(st?.latencyP50Ms),
        latencyP95Ms: n(st?.latencyP95Ms),
        latencyMaxMs: n(st?.latencyMaxMs),
      };
    });

  return new Elysia()
    .onRequest(({ request }) => guard(request))
    .onError(({ code, error, request }) => {
      if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message, error.details);
      if (code === "NOT_FOUND") return errorResponse(404, "NOT_FOUND", `no route ${request.method} ${new URL(request.url).pathname}`);
      if (code === "PARSE") return errorResponse(400, "BAD_REQUEST", "body: expected JSON");
      if (code === "VALIDATION") return errorResponse(400, "BAD_REQUEST", "request did not validate");
      log.error("http route failed", { method: request.method, path: new URL(request.url).pathname, error: redact(describeError(error)) });
      return internalError();
    })
    .get("/", () => staticResponse(files.get("/")!))
    .get("/dashboard/:file", ({ params }) => {
      const f = files.get(`/dashboard/${params.file}`);
      if (f === undefined) throw new HttpError(404, "NOT_FOUND", `no dashboard file "${params.file.slice(0, 60)}"`);
      return staticResponse(f);
    })
    .get("/health", () => json(healthBody(s)))
    .get("/ready", () => json(healthBody(s), isReady(s) ? 200 : 503))
    .get("/metrics", () => new Response(renderMetrics(s, { quoteAgeTopN: options.quoteAgeTopN ?? 20 }), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } }))
    .get("/api/feeds", () => json(feedsRows()))
    .get("/api/quotes", () => json(s.store.quoteRows()))
    .get("/api/quotes/:feed/:instrument", ({ params }) => {
      const feed = idParam(params.feed, "feed");
      const instrument = idParam(params.instrument, "instrument");
      const row = s.store.quoteRow(feed, instrument);
      if (row === undefined) throw new HttpError(404, "NOT_FOUND", `no quote for instrument "${instrument}" on feed "${feed}"`);
      return json(row);
    })
    .get("/api/books/:feed/:instrument", ({ params, query }) => {
      const feed = idParam(params.feed, "feed");
      const instrument = idParam(params.instrument, "instrument");
      const depth = intQuery(query, "depth", 25, 1, 1000);
      const row = s.store.bookRow(feed, instrument, depth);
      if (row === undefined) throw new HttpError(404, "NOT_FOUND", `no book for instrument "${instrument}" on feed "${feed}"`);
      return json(row);
    })
    .get("/api/opportunities", () =>
      json(
        s.view.opportunities().map((o) => ({
          id: o.id,
          strategy: o.strategy,
          kind: o.kind,
          legs: o.legs,
          edgeBps: o.edgeBps,
          sizeUsd: o.sizeUsd,
          profitUsd: o.profitUsd,
          severity: o.severity,
          openedAt: o.openedAt,
          updatedAt: o.updatedAt,
          peakEdgeBps: o.peakEdgeBps,
        })),
      ),
    )
    .get("/api/alerts", ({ query }) => {
      const limit = intQuery(query, "limit", 50, 1, 1000);
      const rows = s.view.recentAlerts(limit).map((r) => ({ ...r.alert, deliveries: r.deliveries }));
      return new Response(JSON.stringify(redactDeep(rows)), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
    })
    .get("/api/stream", ({ query, request }) => {
      const throttleMs = intQuery(query, "throttle_ms", throttleDefault, 50, 60_000);
      const batch = query.batch === "1" || query.batch === "true";
      return openStream(s, { throttleMs, batch }, request.signal);
    })
    .post("/api/control/mute", ({ body }) => {
      const untilMs = muteUntil(body, s.clock.now());
      s.bus.emit("control.mute", { untilMs, by: "http" });
      return json({ ok: true, mutedUntil: s.view.mutedUntil() });
    })
    .post("/api/control/unmute", () => {
      s.bus.emit("control.unmute", { by: "http" });
      return json({ ok: true, mutedUntil: s.view.mutedUntil() });
    })
    .post("/api/control/reload", async () => {
      const result = await s.reload("http");
      if (result.ok) return json(result);
      return errorResponse(422, "CONFIG_INVALID", "the new config is invalid; the running one stays", { problems: result.problems.map(redact) });
    });
}

/** The type of the API app (for tests). */
export type HttpApp = ReturnType<typeof createHttpApp>;

function staticResponse(f: { body: string; type: string }): Response {
  return new Response(f.body, { headers: { "content-type": f.type, "cache-control": "no-cache", "x-content-type-options": "nosniff" } });
}
