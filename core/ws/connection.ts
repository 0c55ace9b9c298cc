/**
 * One resilient WebSocket: connect with a timeout, heartbeat, no-message watchdog, reconnect with
 * backoff, endpoint rotation. Single-flight by construction: a connection owns at most one socket, and
 * every callback of a socket that is no longer the current one is ignored.
 */
import type { Clock, TimerHandle } from "../clock.ts";
import { Backoff } from "./backoff.ts";
import { Heartbeat } from "./heartbeat.ts";
import { RawFrame } from "./raw-frame.ts";
import { connectionDefaults, type ConnectionOptions, type ConnectionState, type ConnectionStats } from "./options.ts";
import { bunSocketFactory, type SocketFactory, type WsSocket } from "./socket.ts";

export type { ConnectionHooks, ConnectionOptions, ConnectionState, ConnectionStats, RawTap } from "./options.ts";

/**
 * One resilient WebSocket connection.
 *
 * @example
 * const conn = new WsConnection({
 *   id: "my-feed#0", feed: "my-feed", clock: ctx.clock, urls: ["wss://venue/ws"],
 *   heartbeat: { intervalMs: 10_000, payload: "ping", isPong: (f) => f === "pong" },
 *   hooks: { onOpen: (c) => c.send(subscribeFrame), onFrame: (data, c, tsRecv) => handle(data, tsRecv) },
 * });
 * conn.start();
 */
export class WsConnection {
  readonly id: string;
  readonly feed: string;
  #o: ConnectionOptions;
  #clock: Clock;
  #factory: SocketFactory;
  #backoff: Backoff;
  #staleAfterMs: number;

  #state: ConnectionState = "idle";
  #socket: WsSocket | undefined;
  /** Identity of the current socket attempt; callbacks carrying another token are ignored. */
  #token: object | undefined;
  #urlIndex = 0;
  #failuresOnUrl = 0;
  #rejections = 0;
  #everOpened = false;
  #healthy = false;

  #connectTimer: TimerHandle | undefined;
  #reconnectTimer: TimerHandle | undefined;
  #watchdogTimer: TimerHandle | undefined;
  #healthyTimer: TimerHandle | undefined;
  #heartbeat: Heartbeat | undefined;

  #generation = 0;
  #messages = 0;
  #bytes = 0;
  #errors = 0;
  #reconnects = 0;
  #attempts = 0;
  #lastRecv = -1;

  constructor(options: ConnectionOptions) {
    if (options.urls.length === 0) throw new Error(`${options.id}: no WebSocket url configured`);
    this.id = options.id;
    this.feed = options.feed;
    this.#o = options;
    this.#clock = options.clock;
    this.#factory = options.socketFactory ?? bunSocketFactory;
    this.#backoff = new Backoff(options.backoff);
    this.#staleAfterMs = options.staleAfterMs ?? connectionDefaults.staleAfterMs;
  }

  /** The connection's own state (the shard manager aggregates these into the feed's). */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Sockets opened so far; a reload test compares it before and after. */
  get generation(): number {
    return this.#generation;
  }

  /** The endpoint in use (or to be tried next). */
  get url(): string {
    return this.#o.urls[this.#urlIndex]!;
  }

  /** True while a socket is open and not declared stale. */
  get live(): boolean {
    return this.#state === "live";
  }

  /** Opens the first socket. Calling it again does nothing (single-flight). */
  start(): void {
    if (this.#state !== "idle") return;
    this.#connect();
  }

  /** Sends one frame on the open socket; false when there is none (it will resubscribe on open). */
  send(data: string | Uint8Array): boolean {
    if (this.#state !== "live" || this.#socket === undefined) return false;
    try {
      this.#socket.send(data);
      return true;
    } catch (error) {
      this.#errors++;
      this.#fail(this.#token, `send failed: ${String(error)}`, undefined);
      return false;
    }
  }

  /** Closes the socket and opens a new one after the backoff delay (venue notice, unrecoverable book). */
  reconnect(reason: string): void {
    if (this.#socket === undefined) return;
    this.#fail(this.#token, reason, undefined);
  }

  /** Gives up: closes the socket and never reconnects (bad credentials, config the venue rejects). */
  fault(reason: string): void {
    if (this.#state === "stopped" || this.#state === "faulted") return;
    const wasLive = this.#state === "live" || this.#state === "stale";
    this.#teardown();
    this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#setState("faulted", reason);
    if (wasLive) this.#o.hooks.onDown?.(this, reason);
  }

  /** Closes for good and clears every timer. Idempotent. */
  stop(reason = "stopped"): void {
    if (this.#state === "stopped") return;
    this.#teardown();
    this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#setState("stopped", reason);
  }

  /**
   * Counts a frame the feed could not understand and logs it once per `shape`
   * (`"json"`, `"event:foo"`, `"books: missing seqId"`). Never throws.
   */
  malformed(shape: string, detail?: unknown): void {
    this.#errors++;
    this.#o.log?.once(`malformed:${shape}`, "warn", "malformed frame (logged once per shape)", {
      connection: this.id,
      shape,
      detail: typeof detail === "string" ? detail.slice(0, 200) : detail,
    });
  }

  /** A snapshot of the counters. */
  stats(): ConnectionStats {
    return {
      id: this.id,
      generation: this.#generation,
      state: this.#state,
      url: this.url,
      messages: this.#messages,
      bytes: this.#bytes,
      errors: this.#errors,
      reconnects: this.#reconnects,
      attempts: this.#attempts,
      lastMessageAt: this.#lastRecv < 0 ? null : this.#lastRecv,
      handshaking: this.#socket !== undefined && this.#connectTimer !== undefined,
    };
  }

  /** Bytes queued on the socket and not yet sent. */
  get bufferedAmount(): number {
    return this.#socket?.bufferedAmount ?? 0;
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    const token = {};
    this.#token = token;
    this.#attempts++;
    this.#setState(this.#everOpened || this.#attempts > 1 ? "reconnecting" : "connecting", `connecting to ${this.url}`);
    const self = this;
    // A factory may report synchronously (a replay that opens at once, a bad url): events that arrive
    // before it returns are held and run once the socket is stored, in order.
    let early: (() => void)[] | undefined = [];
    const run = (fn: () => void): void => {
      if (early === undefined) fn();
      else early.push(fn);
    };
    let socket: WsSocket;
    try {
      socket = this.#factory(
        this.url,
        {
          onOpen: () => run(() => self.#onOpen(token)),
          onMessage: (data) => (early === undefined ? self.#onMessage(token, data) : run(() => self.#onMessage(token, data))),
          onPing: () => run(() => self.#onControl(token, false)),
          onPong: () => run(() => self.#onControl(token, true)),
          onError: (message, status) => run(() => self.#onError(token, message, status)),
          onClose: (code, reason) =>
            run(() => self.#fail(token, `closed by the venue (code ${code}${reason === "" ? "" : `: ${reason}`})`, undefined)),
        },
        { connection: this.id, headers: this.#o.headers?.() },
      );
    } catch (error) {
      early = undefined;
      this.#errors++;
      this.#fail(token, `could not open a socket: ${String(error)}`, undefined);
      return;
    }
    this.#socket = socket;
    const timeout = this.#o.connectTimeoutMs ?? connectionDefaults.connectTimeoutMs;
    this.#connectTimer = this.#clock.setTimeout(function onConnectTimeout() {
      self.#fail(token, `no handshake within ${timeout} ms`, undefined);
    }, timeout);
    const held = early;
    early = undefined;
    for (const fn of held) fn();
  }

  #onOpen(token: object): void {
    if (token !== this.#token) return;
    this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    this.#generation++;
    if (this.#everOpened) this.#reconnects++;
    this.#everOpened = true;
    this.#rejections = 0;
    this.#lastRecv = this.#clock.now();
    this.#setState("live", `connected to ${this.url}`);
    this.#armWatchdog();
    this.#healthyTimer = this.#clock.setTimeout(this.#onHealthy, this.#o.healthyAfterMs ?? connectionDefaults.healthyAfterMs);
    if (this.#o.heartbeat !== undefined) {
      this.#heartbeat = new Heartbeat(this.#clock, this.#o.heartbeat, this.#heartbeatIo(token));
      this.#heartbeat.start();
    }
    try {
      this.#o.hooks.onOpen(this);
    } catch (error) {
      this.#errors++;
      this.#o.log?.error("subscribing after open failed", { connection: this.id, error });
    }
  }

  #onMessage(token: object, data: string | Uint8Array): void {
    if (token !== this.#token) return;
    const tsRecv = this.#clock.now();
    this.#lastRecv = tsRecv;
    this.#messages++;
    this.#bytes += typeof data === "string" ? data.length : data.byteLength;
    const tap = this.#o.tap;
    if (tap !== undefined && tap.listenerCount("frame.raw") > 0) {
      tap.emit("frame.raw", new RawFrame(this.feed, this.id, data, tsRecv, performance.now()));
    }
    if (this.#heartbeat !== undefined && typeof data === "string" && this.#heartbeat.consume(data)) return;
    try {
      this.#o.hooks.onFrame(data, this, tsRecv);
    } catch (error) {
      this.#errors++;
      const name = error instanceof Error ? error.name : typeof error;
      this.#o.log?.once(`onFrame:${name}`, "error", "frame handler threw (logged once per error type)", {
        connection: this.id,
        error,
      });
    }
  }

  /** Protocol ping/pong frames: proof of life; a pong also answers our protocol heartbeat. */
  #onControl(token: object, isPong: boolean): void {
    if (token !== this.#token) return;
    this.#lastRecv = this.#clock.now();
    if (isPong) this.#heartbeat?.protocolPong();
  }

  #onError(token: object, message: string, status: number | undefined): void {
    if (token !== this.#token) return;
    this.#errors++;
    this.#fail(token, status === undefined ? message : `handshake refused with HTTP ${status}`, status);
  }

  #heartbeatIo(token: object) {
    return {
      sendText: (frame: string) => this.send(frame),
      sendPing: () => {
        try {
          this.#socket?.ping();
          return this.#socket !== undefined;
        } catch (error) {
          this.#fail(token, `ping failed: ${String(error)}`, undefined);
          return false;
        }
      },
      lastReceived: () => this.#lastRecv,
      dead: (reason: string) => {
        if (token !== this.#token) return;
        this.#setState("stale", reason);
        this.#fail(token, reason, undefined);
      },
    };
  }

  #armWatchdog(): void {
    if (this.#staleAfterMs <= 0) return;
    const due = this.#lastRecv + this.#staleAfterMs - this.#clock.now();
    this.#watchdogTimer = this.#clock.setTimeout(this.#onWatchdog, Math.max(1, due));
  }

  /** Fires at most once per `staleAfterMs`; frames only move a timestamp (no timer work per frame). */
  #onWatchdog = (): void => {
    this.#watchdogTimer = undefined;
    if (this.#state !== "live") return;
    const idle = this.#clock.now() - this.#lastRecv;
    if (idle < this.#staleAfterMs) {
      this.#armWatchdog();
      return;
    }
    const reason = `nothing received for ${idle} ms (stale_after_ms ${this.#staleAfterMs})`;
    this.#setState("stale", reason);
    this.#fail(this.#token, reason, undefined);
  };

  #onHealthy = (): void => {
    this.#healthyTimer = undefined;
    this.#healthy = true;
    this.#backoff.reset();
    this.#failuresOnUrl = 0;
  };

  /** The current socket ended for `reason`: tear it down and schedule exactly one reconnect. */
  #fail(token: object | undefined, reason: string, status: number | undefined): void {
    if (token === undefined || token !== this.#token) return;
    const wasLive = this.#state === "live" || this.#state === "stale";
    const wasHealthy = this.#healthy;
    this.#teardown();
    if (wasLive) this.#o.hooks.onDown?.(this, reason);
    if (this.#state === "stopped" || this.#state === "faulted") return; // onDown stopped or faulted us

    if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
      this.#rejections++;
      const limit = this.#o.faultAfterRejections ?? connectionDefaults.faultAfterRejections;
      if (this.#rejections >= limit) {
        this.#setState("faulted", `${reason}, ${this.#rejections} times in a row: giving up (check the url and credentials)`);
        return;
      }
    }
    if (!wasHealthy) this.#failuresOnUrl++;
    const rotateAfter = this.#o.rotateAfterFailures ?? connectionDefaults.rotateAfterFailures;
    let rotated = "";
    if (this.#o.urls.length > 1 && this.#failuresOnUrl >= rotateAfter) {
      this.#urlIndex = (this.#urlIndex + 1) % this.#o.urls.length;
      this.#failuresOnUrl = 0;
      rotated = `; switching to ${this.url}`;
    }
    const delay = this.#backoff.next();
    this.#setState("reconnecting", `${reason}; reconnecting in ${delay} ms${rotated}`);
    this.#reconnectTimer = this.#clock.setTimeout(this.#onReconnectTimer, delay);
  }

  #onReconnectTimer = (): void => {
    if (this.#state !== "reconnecting") return;
    this.#connect();
  };

  /** Drops the current socket (no callback of it runs again) and every per-socket timer. */
  #teardown(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#token = undefined;
    this.#healthy = false;
    const c = this.#clock;
    c.clearTimeout(this.#connectTimer);
    c.clearTimeout(this.#watchdogTimer);
    c.clearTimeout(this.#healthyTimer);
    this.#heartbeat?.stop();
    this.#heartbeat = undefined;
    this.#connectTimer = this.#watchdogTimer = this.#healthyTimer = undefined;
    if (socket !== undefined) {
      try {
        socket.terminate();
      } catch {
        // the socket is already gone; nothing left to release
      }
    }
  }

  #setState(state: ConnectionState, reason: string): void {
    this.#state = state;
    this.#o.hooks.onState?.(this, state, reason);
  }
}
