/**
 * One Redis connection that comes back: Bun's `RedisClient` does not reconnect by itself, so the link
 * retries with a doubling delay on the injected clock and tells its owner when it is up or down.
 */
import { RedisClient } from "bun";
import type { Clock, TimerHandle } from "../../../core/clock.ts";
import type { Logger } from "../../../core/log.ts";

/** Options of `RedisLink`. */
export interface RedisLinkOptions {
  readonly url: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly minMs: number;
  readonly maxMs: number;
  /** Called on every up/down change with a plain-sentence reason. */
  readonly onChange?: (up: boolean, reason: string) => void;
  /** Name in logs (`writer`, `reader`). */
  readonly name: string;
}

/** A self-healing connection. `client` is defined only while connected. */
export class RedisLink {
  readonly #o: RedisLinkOptions;
  #client: RedisClient | undefined;
  #connecting = false;
  #closed = false;
  #delay: number;
  #timer: TimerHandle | undefined;
  #waiters: (() => void)[] = [];
  /** Successful connects after the first. */
  reconnects = 0;
  #everUp = false;
  /** The owner was told the link is down (so a failed first connect is reported once, not per retry). */
  #toldDown = false;

  constructor(options: RedisLinkOptions) {
    this.#o = options;
    this.#delay = options.minMs;
  }

  /** The connected client, or undefined while down. */
  get client(): RedisClient | undefined {
    return this.#client;
  }

  get up(): boolean {
    return this.#client !== undefined;
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (this.#closed || this.#connecting || this.#client !== undefined) return;
    void this.#connect();
  }

  /** Resolves when connected (or never, once closed: callers check `closed`). */
  ready(): Promise<void> {
    if (this.#client !== undefined) return Promise.resolve();
    this.start();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Marks the current client dead (a command failed with a connection error) and reconnects. */
  lost(reason: string): void {
    const c = this.#client;
    if (c === undefined) return;
    this.#client = undefined;
    try {
      c.close();
    } catch {
      // already closed
    }
    this.#down(reason);
  }

  close(): void {
    this.#closed = true;
    this.#o.clock.clearTimeout(this.#timer);
    const c = this.#client;
    this.#client = undefined;
    c?.close();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  async #connect(): Promise<void> {
    this.#connecting = true;
    const client = new RedisClient(this.#o.url, { autoReconnect: false, enableOfflineQueue: false, connectionTimeout: 5_000 });
    try {
      await client.connect();
    } catch (error) {
      this.#connecting = false;
      client.close();
      const reason = `cannot connect: ${error instanceof Error ? error.message : String(error)}`;
      if (!this.#toldDown && !this.#closed) {
        this.#toldDown = true;
        this.#o.log.warn("redis unreachable; retrying", { link: this.#o.name, reason });
        this.#o.onChange?.(false, reason);
      }
      this.#retry(reason);
      return;
    }
    this.#connecting = false;
    if (this.#closed) {
      client.close();
      return;
    }
    client.onclose = (error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.#down(`connection lost: ${error?.message ?? "closed"}`);
    };
    this.#client = client;
    this.#delay = this.#o.minMs;
    if (this.#everUp) this.reconnects++;
    this.#everUp = true;
    this.#toldDown = false;
    this.#o.log.info("redis connected", { link: this.#o.name });
    this.#o.onChange?.(true, "connected");
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #down(reason: string): void {
    if (this.#closed) return;
    this.#toldDown = true;
    this.#o.log.warn("redis connection down; retrying", { link: this.#o.name, reason });
    this.#o.onChange?.(false, reason);
    this.#retry(reason);
  }

  #retry(reason: string): void {
    if (this.#closed) return;
    this.#o.clock.clearTimeout(this.#timer);
    const delay = this.#delay;
    this.#delay = Math.min(this.#o.maxMs, this.#delay * 2);
    this.#o.log.debug("redis retry scheduled", { link: this.#o.name, delayMs: delay, reason });
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      this.start();
    }, delay);
  }
}

/** True when an error means the connection is gone (retry later), not that Redis refused the command. */
export function isConnectionError(error: unknown, link: RedisLink): boolean {
  if (!link.up) return true;
  const code = (error as { code?: string } | null)?.code ?? "";
  return code === "ERR_REDIS_CONNECTION_CLOSED" || code === "ERR_REDIS_CONNECTION_TIMEOUT" || code === "ERR_REDIS_INVALID_STATE" || /closed|connection/i.test(String((error as Error)?.message ?? error));
}
