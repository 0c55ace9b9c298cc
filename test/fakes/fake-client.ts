/**
 * The server side of one client connection in a fake venue: what the client sent, and the faults the
 * test injects into what the venue sends back.
 */
import type { ServerWebSocket } from "bun";

/** How a connection misbehaves right now. */
export type ClientMode =
  /** Sends and answers normally. */
  | "normal"
  /** Socket open, nothing sent at all: no data, no pong (a silent stall / dead peer). */
  | "stalled"
  /** Data still flows, pings are never answered (half-open for the heartbeat). */
  | "mute-pongs"
  /** Pongs answered, market data stopped (only a per-subscription cadence catches this). */
  | "data-stalled";

/** Per-connection data Bun keeps on the socket. */
export interface ClientData {
  client: FakeClient | undefined;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
}

let nextId = 1;

/** One client connection, as the venue sees it. */
export class FakeClient {
  readonly id = nextId++;
  /** Request path and query of the upgrade (`/ws`, `?token=…`). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Upgrade request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Every text frame the client sent, in order (binary frames are decoded as UTF-8). */
  readonly received: string[] = [];
  /** Frames the venue delivered to the client (after fault injection). */
  readonly delivered: string[] = [];
  /** Text heartbeats the client sent (frames the venue's heartbeat rule recognised). */
  textPings = 0;
  /** Protocol-level pings the client sent. */
  protocolPings = 0;
  /** Protocol-level pongs the client sent (answers to `ping()`). */
  protocolPongs = 0;
  /** Frames and protocol pings the venue wrote to this client (every send path, faults applied). */
  written = 0;
  /** Subscribe/unsubscribe frames recognised by the venue's subscription rule. */
  readonly subscribeFrames: string[] = [];
  /** Ids subscribed now on this connection. */
  readonly subscriptions = new Set<string>();
  /** Ids refused because the connection was at its cap. */
  readonly refusedIds: string[] = [];
  mode: ClientMode = "normal";
  open = true;
  closeCode: number | undefined;

  #ws: ServerWebSocket<ClientData>;
  #dropNext = 0;
  #duplicateNext = 0;
  #mutate: ((frame: string) => string)[] = [];
  #held: string[] | undefined;
  #maxBuffered: number;

  constructor(ws: ServerWebSocket<ClientData>, maxBufferedBytes: number) {
    this.#ws = ws;
    this.path = ws.data.path;
    this.query = ws.data.query;
    this.headers = ws.data.headers;
    this.#maxBuffered = maxBufferedBytes;
  }

  /**
   * Sends a venue frame through the injected faults: stall modes swallow it, `dropNext` skips it (a
   * sequence gap), `mutateNext` rewrites it (bad checksum), `duplicateNext` sends it twice, `hold`
   * queues it. Returns false when it was not sent now.
   */
  send(frame: string): boolean {
    if (!this.open || this.mode === "stalled" || this.mode === "data-stalled") return false;
    if (this.#dropNext > 0) {
      this.#dropNext--;
      return false;
    }
    const mutate = this.#mutate.shift();
    const out = mutate === undefined ? frame : mutate(frame);
    if (this.#held !== undefined) {
      this.#held.push(out);
      return false;
    }
    this.#write(out);
    if (this.#duplicateNext > 0) {
      this.#duplicateNext--;
      this.#write(out);
    }
    return true;
  }

  /** Sends a frame as is, bypassing every injected fault except a closed socket. */
  sendRaw(frame: string | Uint8Array): void {
    if (!this.open) return;
    this.written++;
    this.#ws.send(frame);
  }

  /** Answers a heartbeat unless the mode says the venue is deaf. */
  reply(frame: string): void {
    if (this.mode === "stalled" || this.mode === "mute-pongs") return;
    this.sendRaw(frame);
  }

  /** Sends a protocol-level ping (venues that ping their clients). */
  ping(data = ""): void {
    if (!this.open || this.mode === "stalled") return;
    this.written++;
    this.#ws.ping(data);
  }

  /** Abrupt close: the TCP connection ends with no close frame (the client sees 1006). */
  drop(): void {
    if (!this.open) return;
    this.open = false;
    this.#ws.terminate();
  }

  /** A clean close frame with a code and reason (service upgrade 1001, policy 1008, server error 1011). */
  close(code = 1000, reason = ""): void {
    if (!this.open) return;
    this.open = false;
    this.#ws.close(code, reason);
  }

  /** Sends something no parser accepts: truncated JSON by default, or the given text. */
  sendMalformed(text = '{"event":"update","data":[{"px":"1.0",'): void {
    this.sendRaw(text);
  }

  /** Sends the next `n` frames twice. */
  duplicateNext(n = 1): void {
    this.#duplicateNext += n;
  }

  /** Swallows the next `n` frames (a sequence gap for sequenced streams). */
  dropNext(n = 1): void {
    this.#dropNext += n;
  }

  /** Rewrites the next frame (corrupt a checksum, a sequence number, a field). */
  mutateNext(fn: (frame: string) => string): void {
    this.#mutate.push(fn);
  }

  /** Queues frames instead of sending them (a latency spike)… */
  hold(): void {
    this.#held ??= [];
  }

  /** …and delivers the queue in one burst. */
  release(): void {
    const held = this.#held;
    this.#held = undefined;
    for (const f of held ?? []) this.#write(f);
  }

  /** Bytes the venue could not send yet (a slow consumer). */
  get bufferedAmount(): number {
    return this.open ? this.#ws.getBufferedAmount() : 0;
  }

  #write(frame: string): void {
    this.delivered.push(frame);
    this.written++;
    this.#ws.send(frame);
    if (this.#maxBuffered > 0 && this.#ws.getBufferedAmount() > this.#maxBuffered) {
      this.close(1008, "slow consumer");
    }
  }
}
