/**
 * An in-memory `SocketFactory` for unit tests: every socket the connection opens is recorded, and the
 * test drives it by hand (open, frames, pings, errors, closes) on a ManualClock. No network.
 */
import type { SocketFactory, SocketHandlers, SocketOptions, WsSocket } from "../../core/ws/socket.ts";

/** One socket made by `FakeSocketFactory`. */
export class FakeSocket implements WsSocket {
  readonly url: string;
  readonly connection: string;
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Frames the client sent, in order. */
  readonly sent: (string | Uint8Array)[] = [];
  /** Protocol pings the client sent. */
  pings = 0;
  terminated = false;
  closed = false;
  opened = false;
  bufferedAmount = 0;
  #h: SocketHandlers;
  #onEnd: (s: FakeSocket) => void;

  constructor(url: string, handlers: SocketHandlers, options: SocketOptions, onEnd: (s: FakeSocket) => void) {
    this.url = url;
    this.connection = options.connection;
    this.headers = options.headers;
    this.#h = handlers;
    this.#onEnd = onEnd;
  }

  /** The handlers as given, to play a runtime that still reports after terminate (late events). */
  get rawHandlers(): SocketHandlers {
    return this.#h;
  }

  /** Alive: neither terminated by the client nor closed by the "server". */
  get alive(): boolean {
    return !this.terminated && !this.closed;
  }

  /** Text frames the client sent. */
  get texts(): string[] {
    return this.sent.filter((f): f is string => typeof f === "string");
  }

  send(data: string | Uint8Array): void {
    if (!this.alive) throw new Error("send on a closed socket");
    this.sent.push(data);
  }
  ping(): void {
    this.pings++;
  }
  terminate(): void {
    if (this.terminated) return;
    const wasAlive = this.alive;
    this.terminated = true;
    if (!wasAlive) return;
    this.#onEnd(this);
  }

  // --- driven by the test (the "server" side) ---
  open(): void {
    if (!this.alive) return;
    this.opened = true;
    this.#h.onOpen();
  }
  message(data: string | Uint8Array): void {
    if (this.alive) this.#h.onMessage(data);
  }
  serverPing(): void {
    if (this.alive) this.#h.onPing();
  }
  pong(): void {
    if (this.alive) this.#h.onPong();
  }
  /** An error, as a refused upgrade reports it (`status`) or a network failure (no status). */
  error(message = "socket error", status?: number): void {
    if (this.alive) this.#h.onError(message, status);
  }
  /** Closed by the server (or the network). Like the real adapter, nothing is reported after a terminate. */
  close(code = 1006, reason = ""): void {
    if (!this.alive) return;
    this.closed = true;
    this.#onEnd(this);
    this.#h.onClose(code, reason);
  }
}

/**
 * Records every socket, and the most that were ever alive at once per connection id (single-flight).
 *
 * @example
 * const fake = new FakeSocketFactory();
 * const conn = new WsConnection({ ..., socketFactory: fake.factory });
 * conn.start();
 * fake.last().open();
 */
export class FakeSocketFactory {
  readonly sockets: FakeSocket[] = [];
  /** Highest number of alive sockets seen at once, per connection id. */
  readonly maxAlive = new Map<string, number>();
  #alive = new Map<string, number>();
  /** Set to make the next `factory` call throw (a bad url). */
  throwNext: Error | undefined;

  readonly factory: SocketFactory = (url, handlers, options) => {
    if (this.throwNext !== undefined) {
      const e = this.throwNext;
      this.throwNext = undefined;
      throw e;
    }
    const s = new FakeSocket(url, handlers, options, (ended) => this.#ended(ended));
    this.sockets.push(s);
    const n = (this.#alive.get(options.connection) ?? 0) + 1;
    this.#alive.set(options.connection, n);
    if (n > (this.maxAlive.get(options.connection) ?? 0)) this.maxAlive.set(options.connection, n);
    return s;
  };

  /** The newest socket (of one connection id, when given). */
  last(connection?: string): FakeSocket {
    for (let i = this.sockets.length - 1; i >= 0; i--) {
      const s = this.sockets[i]!;
      if (connection === undefined || s.connection === connection) return s;
    }
    throw new Error(`no socket${connection === undefined ? "" : ` for ${connection}`} yet`);
  }

  /** Sockets still alive (of one connection id, when given). */
  alive(connection?: string): FakeSocket[] {
    return this.sockets.filter((s) => s.alive && (connection === undefined || s.connection === connection));
  }

  /** Sockets created for one connection id. */
  of(connection: string): FakeSocket[] {
    return this.sockets.filter((s) => s.connection === connection);
  }

  #ended(s: FakeSocket): void {
    this.#alive.set(s.connection, (this.#alive.get(s.connection) ?? 1) - 1);
  }
}
