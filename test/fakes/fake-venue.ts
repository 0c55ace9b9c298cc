/**
 * The base every fake venue builds on: a Bun WebSocket + HTTP server on 127.0.0.1 (free port) with
 * scripted frames, generated load, fault injection and a record of what each client sent.
 *
 * A venue fake supplies its protocol as a few rules (heartbeat reply, subscription frames, what to send
 * on subscribe) and adds its REST routes; everything else is shared.
 */
import type { Server } from "bun";
import { systemClock, type Clock, type TimerHandle } from "../../core/clock.ts";
import { FakeClient, type ClientData } from "./fake-client.ts";

export { FakeClient, type ClientMode } from "./fake-client.ts";

/** A subscription frame, as the venue's rule reads it. */
export interface SubscriptionOp {
  readonly op: "subscribe" | "unsubscribe";
  readonly ids: readonly string[];
}

/** An HTTP route handler (venue REST: snapshots, market lists). */
export type RouteHandler = (req: Request, url: URL) => Response | Promise<Response>;

export interface FakeVenueOptions {
  /** Venue clock for refusal periods, scripts and load (default: the real clock). */
  readonly clock?: Clock;
  /** WebSocket path (default `/ws`); other paths go to the routes. */
  readonly path?: string;
  /** The reply to a client heartbeat frame (`"ping"` → `"pong"`), undefined for other frames. */
  readonly heartbeat?: (text: string) => string | undefined;
  /** Reads a subscribe/unsubscribe frame, undefined for other frames. */
  readonly subscription?: (text: string) => SubscriptionOp | undefined;
  /** Most ids one connection may hold; the rest are refused (recorded in `refusedIds`). */
  readonly maxPerConnection?: number;
  /** Ids newly subscribed on a connection (send snapshots or acks here). */
  readonly onSubscribe?: (client: FakeClient, ids: readonly string[]) => void;
  readonly onUnsubscribe?: (client: FakeClient, ids: readonly string[]) => void;
  /** Every other client frame. */
  readonly onMessage?: (client: FakeClient, text: string) => void;
  readonly onOpen?: (client: FakeClient) => void;
  /** Close a client whose unsent bytes exceed this (slow consumer, code 1008); 0 = never. */
  readonly maxBufferedBytes?: number;
  /** Closed clients kept in `clients` (default: all; soaks keep none so the venue does not grow). */
  readonly keepClosed?: number;
}

const decoder = new TextDecoder();

/**
 * A fake venue server.
 *
 * @example
 * const venue = FakeVenue.start({
 *   heartbeat: (t) => (t === "ping" ? "pong" : undefined),
 *   subscription: (t) => { const m = JSON.parse(t); return m.op ? { op: m.op, ids: m.args } : undefined; },
 *   onSubscribe: (c, ids) => ids.forEach((id) => c.send(snapshotOf(id))),
 * });
 * venue.route("GET", "/api/book", () => Response.json(book));
 * // … connect a feed to venue.url, inject faults: venue.last().drop(), venue.refuse(503, 60_000) …
 * venue.stop();
 */
export class FakeVenue {
  readonly clock: Clock;
  readonly port: number;
  /** `ws://127.0.0.1:<port><path>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>` */
  readonly httpUrl: string;
  /** Every connection ever accepted, in order. */
  readonly clients: FakeClient[] = [];
  /** Upgrade requests seen, refused ones included. */
  upgrades = 0;
  /** Upgrade requests refused by `refuse`. */
  refusals = 0;
  #o: FakeVenueOptions;
  #server: Server<ClientData>;
  #routes = new Map<string, RouteHandler>();
  #refuseStatus = 0;
  #refuseUntil = 0;
  #timers = new Set<TimerHandle>();

  private constructor(options: FakeVenueOptions) {
    this.#o = options;
    this.clock = options.clock ?? systemClock;
    const path = options.path ?? "/ws";
    const self = this;
    this.#server = Bun.serve<ClientData>({
      hostname: "127.0.0.1",
      port: 0,
      fetch(req, server) {
        return self.#fetch(req, server, path);
      },
      websocket: {
        idleTimeout: 0,
        sendPings: false,
        open(ws) {
          const c = new FakeClient(ws, options.maxBufferedBytes ?? 0);
          ws.data.client = c;
          self.clients.push(c);
          options.onOpen?.(c);
        },
        message(ws, message) {
          const c = ws.data.client;
          if (c !== undefined) self.#onMessage(c, typeof message === "string" ? message : decoder.decode(message));
        },
        ping(ws) {
          if (ws.data.client !== undefined) ws.data.client.protocolPings++;
        },
        pong(ws) {
          if (ws.data.client !== undefined) ws.data.client.protocolPongs++;
        },
        close(ws, code) {
          const c = ws.data.client;
          if (c === undefined) return;
          c.open = false;
          c.closeCode = code;
          ws.data.client = undefined;
          if (options.keepClosed !== undefined) self.#trimClosed(options.keepClosed);
        },
      },
    });
    this.port = this.#server.port!;
    this.url = `ws://127.0.0.1:${this.port}${path}`;
    this.httpUrl = `http://127.0.0.1:${this.port}`;
  }

  /** Starts a fake venue on a free port of 127.0.0.1. */
  static start(options: FakeVenueOptions = {}): FakeVenue {
    return new FakeVenue(options);
  }

  /** Adds a REST route (`GET /api/v5/market/books`). */
  route(method: string, path: string, handler: RouteHandler): void {
    this.#routes.set(`${method.toUpperCase()} ${path}`, handler);
  }

  /** Connections open now. */
  live(): FakeClient[] {
    return this.clients.filter((c) => c.open);
  }

  /** The newest connection. */
  last(): FakeClient {
    const c = this.clients.at(-1);
    if (c === undefined) throw new Error("no client has connected yet");
    return c;
  }

  /** Open connections subscribed to `id`. */
  subscribers(id: string): FakeClient[] {
    return this.clients.filter((c) => c.open && c.subscriptions.has(id));
  }

  /** Sends a frame to every open connection subscribed to `id` (through each one's faults). */
  publish(id: string, frame: string): number {
    let n = 0;
    for (const c of this.subscribers(id)) if (c.send(frame)) n++;
    return n;
  }

  /** Sends a frame to every open connection. */
  broadcast(frame: string): void {
    for (const c of this.live()) c.send(frame);
  }

  /**
   * Refuses WebSocket upgrades with `status` (503, 429, 401…) for `forMs` on the venue clock, or until
   * `accept()` when `forMs` is omitted.
   */
  refuse(status: number, forMs?: number): void {
    this.#refuseStatus = status;
    this.#refuseUntil = forMs === undefined ? Number.POSITIVE_INFINITY : this.clock.now() + forMs;
  }

  /** Accepts upgrades again. */
  accept(): void {
    this.#refuseStatus = 0;
  }

  /** Abruptly drops every open connection. */
  dropAll(): void {
    for (const c of this.live()) c.drop();
  }

  /**
   * Plays scripted frames (from fixtures) to `target` one every `everyMs` on the venue clock.
   * Returns a function that stops the script.
   */
  play(frames: readonly string[], everyMs: number, target: (frame: string) => void = (f) => this.broadcast(f)): () => void {
    let i = 0;
    const handle = this.clock.setInterval(() => {
      if (i >= frames.length) return stop();
      target(frames[i++]!);
    }, everyMs);
    this.#timers.add(handle);
    const stop = (): void => {
      this.clock.clearInterval(handle);
      this.#timers.delete(handle);
    };
    return stop;
  }

  /** Generated load: every `everyMs`, `perTick` calls of `emit(i)` (i counts up). Returns a stop function. */
  load(everyMs: number, perTick: number, emit: (i: number) => void): () => void {
    let i = 0;
    const handle = this.clock.setInterval(() => {
      for (let k = 0; k < perTick; k++) emit(i++);
    }, everyMs);
    this.#timers.add(handle);
    return () => {
      this.clock.clearInterval(handle);
      this.#timers.delete(handle);
    };
  }

  /** Stops the server, its scripts and every connection. */
  stop(): void {
    for (const t of this.#timers) this.clock.clearInterval(t);
    this.#timers.clear();
    this.#server.stop(true);
  }

  #trimClosed(keep: number): void {
    let closed = 0;
    for (let i = this.clients.length - 1; i >= 0; i--) {
      if (this.clients[i]!.open) continue;
      if (++closed > keep) this.clients.splice(i, 1);
    }
  }

  #fetch(req: Request, server: Server<ClientData>, path: string): Response | undefined | Promise<Response> {
    const url = new URL(req.url);
    const handler = this.#routes.get(`${req.method} ${url.pathname}`);
    if (handler !== undefined) return handler(req, url);
    if (url.pathname !== path) return new Response("not found", { status: 404 });
    this.upgrades++;
    if (this.#refuseStatus !== 0 && this.clock.now() < this.#refuseUntil) {
      this.refusals++;
      return new Response("refused by the fake venue", { status: this.#refuseStatus, headers: { "retry-after": "1" } });
    }
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k] = v));
    if (server.upgrade(req, { data: { client: undefined, path: url.pathname, query: url.searchParams, headers } })) return undefined;
    return new Response("expected a WebSocket upgrade", { status: 426 });
  }

  #onMessage(c: FakeClient, text: string): void {
    c.received.push(text);
    const o = this.#o;
    const pong = o.heartbeat?.(text);
    if (pong !== undefined) {
      c.textPings++;
      c.reply(pong);
      return;
    }
    if (c.mode === "stalled") return; // a dead peer hears nothing
    const sub = o.subscription?.(text);
    if (sub === undefined) {
      o.onMessage?.(c, text);
      return;
    }
    c.subscribeFrames.push(text);
    const changed: string[] = [];
    if (sub.op === "subscribe") {
      const cap = o.maxPerConnection ?? Number.POSITIVE_INFINITY;
      for (const id of sub.ids) {
        if (c.subscriptions.has(id)) continue;
        if (c.subscriptions.size >= cap) {
          c.refusedIds.push(id);
          continue;
        }
        c.subscriptions.add(id);
        changed.push(id);
      }
      if (changed.length > 0) o.onSubscribe?.(c, changed);
    } else {
      for (const id of sub.ids) if (c.subscriptions.delete(id)) changed.push(id);
      if (changed.length > 0) o.onUnsubscribe?.(c, changed);
    }
  }
}

/**
 * Reads fixture frames: a `.json` file holding one frame or an array of frames (each re-serialised),
 * or a `.jsonl`/`.txt` file with one frame per line.
 */
export async function readFrames(file: string): Promise<string[]> {
  const text = await Bun.file(file).text();
  if (file.endsWith(".json")) {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map((v) => JSON.stringify(v)) : [JSON.stringify(value)];
  }
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** Polls `condition` on the real clock until it holds (network events), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what = "condition", timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}
