/**
 * The heartbeat of one open socket: pings on an interval (or only when idle), a deadline for the pong,
 * and answers to the venue's own text pings. Created per socket and stopped with it.
 */
import type { Clock, TimerHandle } from "../clock.ts";
import type { HeartbeatOptions } from "./options.ts";

/** What the heartbeat needs from its socket. */
export interface HeartbeatIo {
  /** Sends a text frame; false when the socket is gone. */
  sendText(frame: string): boolean;
  /** Sends a protocol-level ping; false when the socket is gone. */
  sendPing(): boolean;
  /** Clock time of the last frame of any kind. */
  lastReceived(): number;
  /** No pong came in time: the socket is dead. */
  dead(reason: string): void;
}

/**
 * Runs one socket's heartbeat.
 *
 * @example
 * const hb = new Heartbeat(clock, { intervalMs: 10_000, payload: "PING", isPong: (f) => f === "PONG" }, io);
 * hb.start();
 * if (hb.consume(frame)) return; // a pong or an answered ping: not market data
 * hb.stop();
 */
export class Heartbeat {
  #clock: Clock;
  #o: HeartbeatOptions;
  #io: HeartbeatIo;
  #pingTimer: TimerHandle | undefined;
  #pongTimer: TimerHandle | undefined;

  constructor(clock: Clock, options: HeartbeatOptions, io: HeartbeatIo) {
    this.#clock = clock;
    this.#o = options;
    this.#io = io;
  }

  /** Starts pinging (nothing when `intervalMs` is 0). */
  start(): void {
    if (this.#o.intervalMs > 0 && this.#pingTimer === undefined) {
      this.#pingTimer = this.#clock.setInterval(this.#tick, this.#o.intervalMs);
    }
  }

  /** Clears both timers. */
  stop(): void {
    this.#clock.clearInterval(this.#pingTimer);
    this.#clock.clearTimeout(this.#pongTimer);
    this.#pingTimer = this.#pongTimer = undefined;
  }

  /** True when `frame` was a pong or a venue ping it answered: the frame is not passed on. */
  consume(frame: string): boolean {
    const o = this.#o;
    if (o.isPong?.(frame) === true) {
      this.#gotPong();
      return true;
    }
    const answer = o.reply?.(frame);
    if (answer === undefined) return false;
    this.#io.sendText(answer);
    return true;
  }

  /** A protocol-level pong arrived. */
  protocolPong(): void {
    if (this.#o.protocol === true) this.#gotPong();
  }

  #gotPong(): void {
    this.#clock.clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
  }

  #tick = (): void => {
    const o = this.#o;
    if (this.#pongTimer !== undefined) return; // still waiting: the deadline decides
    if (o.idleOnly === true && this.#clock.now() - this.#io.lastReceived() < o.intervalMs) return;
    let sent: boolean;
    if (o.protocol === true) sent = this.#io.sendPing();
    else if (o.payload !== undefined) sent = this.#io.sendText(typeof o.payload === "string" ? o.payload : o.payload());
    else return;
    if (!sent) return;
    if (o.protocol !== true && o.isPong === undefined) return; // keep-alive only: no reply expected
    const timeout = o.timeoutMs ?? o.intervalMs;
    this.#pongTimer = this.#clock.setTimeout(() => {
      this.#pongTimer = undefined;
      this.#io.dead(`no pong within ${timeout} ms`);
    }, timeout);
  };
}
