/**
 * Binds the API to `[http] listen`: 127.0.0.1 by default; any other address only with a token (which is
 * then required on every data route); port 0 picks a free port, logged with the URL.
 */
import { EdgewatchError } from "../errors.ts";
import type { HttpConfig } from "../config/schema.ts";
import { createHttpApp, type HttpAppOptions } from "./app.ts";
import type { HttpSources } from "./sources.ts";

/** A bound server. */
export interface HttpServer {
  readonly url: string;
  readonly port: number;
  readonly hostname: string;
  /** Stops listening and closes open streams. */
  stop(): Promise<void>;
}

/** True for loopback hosts (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Splits `host:port` (IPv6 in brackets: `[::1]:8787`). */
export function parseListen(listen: string): { hostname: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(listen);
  const port = m === null ? Number.NaN : Number(m[2]);
  if (m === null || port > 65_535) throw new EdgewatchError("HTTP_LISTEN_INVALID", `[http] listen: expected host:port, found "${listen}"`, { remedy: 'use "127.0.0.1:8787"' });
  return { hostname: m[1]!.replace(/^\[|\]$/g, ""), port };
}

/**
 * Starts the HTTP server; throws `HTTP_TOKEN_REQUIRED` when asked to bind off loopback without a token.
 *
 * @example
 * const server = startHttpServer({ listen: "127.0.0.1:0" }, sources);
 * console.log(server.url); // http://127.0.0.1:41234
 */
export function startHttpServer(config: HttpConfig, s: HttpSources, options: Omit<HttpAppOptions, "token" | "tokenEverywhere"> = {}): HttpServer {
  const { hostname, port } = parseListen(config.listen);
  const loopback = isLoopback(hostname);
  if (!loopback && config.token === undefined) {
    throw new EdgewatchError("HTTP_TOKEN_REQUIRED", `[http] listen = "${config.listen}" is not a loopback address and [http] token is not set; refusing to bind`, {
      remedy: 'set [http] token = "${EDGEWATCH_TOKEN}" or listen on 127.0.0.1',
    });
  }
  const app = createHttpApp(s, { streamThrottleMs: config.stream_throttle_ms, ...options, token: config.token, tokenEverywhere: !loopback });
  const server = Bun.serve({
    hostname,
    port,
    // SSE streams stay open; their keep-alive comments are the liveness signal, not an idle timer
    idleTimeout: 0,
    fetch: (request) => app.handle(request),
  });
  const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `http://${shownHost}:${server.port}`;
  s.log.info("http listening", { url, ...(port === 0 ? { picked: server.port } : {}), auth: loopback ? "control routes" : "every route" });
  return {
    url,
    port: server.port ?? port,
    hostname,
    async stop() {
      await server.stop(true);
    },
  };
}
