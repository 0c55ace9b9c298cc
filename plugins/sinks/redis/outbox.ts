/**
 * The sink's ordered command queue. Listeners only append; a pump sends batches pipelined on one
 * connection, in order. Stream writes that fail because the connection went away are kept and sent
 * again after the reconnect (a consumer skips the duplicates by frame number); live-only commands
 * (PUBLISH, cache SET) are dropped instead, since they are stale by then.
 */
import type { Logger } from "../../../core/log.ts";
import { isConnectionError, type RedisLink } from "./link.ts";

/** One queued command. `durable` = resend after a reconnect. */
export interface QueuedCommand {
  readonly cmd: string;
  readonly args: string[];
  readonly durable: boolean;
}

/** Counters of the outbox. */
export interface OutboxStats {
  readonly sent: number;
  readonly pending: number;
  readonly dropped: number;
  readonly retried: number;
  readonly failed: number;
}

/** An ordered queue of commands pumped through a `RedisLink`. */
export class RedisOutbox {
  readonly #link: RedisLink;
  readonly #log: Logger;
  readonly #max: number;
  #queue: QueuedCommand[] = [];
  #pumping = false;
  #scheduled = false;
  #sent = 0;
  #dropped = 0;
  #retried = 0;
  #failed = 0;
  #idle: (() => void)[] = [];

  constructor(link: RedisLink, log: Logger, maxPending: number) {
    this.#link = link;
    this.#log = log;
    this.#max = maxPending;
  }

  /** Queues one command; the pump runs on the next turn of the event loop. */
  push(cmd: string, args: string[], durable: boolean): void {
    if (this.#queue.length >= this.#max) {
      const i = this.#queue.findIndex((c) => !c.durable);
      this.#queue.splice(i >= 0 ? i : 0, 1);
      this.#dropped++;
    }
    this.#queue.push({ cmd, args, durable });
    this.#schedule();
  }

  /** The connection is back: send what waited. */
  resume(): void {
    this.#schedule();
  }

  stats(): OutboxStats {
    return { sent: this.#sent, pending: this.#queue.length, dropped: this.#dropped, retried: this.#retried, failed: this.#failed };
  }

  /** Resolves once the queue is empty or the link is down (stop flushes with it). */
  drained(): Promise<void> {
    if (this.#queue.length === 0 || !this.#link.up) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#pumping) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const client = this.#link.client;
        if (client === undefined) break;
        const batch = this.#queue.splice(0, 1024);
        const results = await Promise.allSettled(batch.map((c) => client.send(c.cmd, c.args)));
        const retry: QueuedCommand[] = [];
        let lost: unknown;
        results.forEach((r, i) => {
          const c = batch[i]!;
          if (r.status === "fulfilled") {
            this.#sent++;
            return;
          }
          if (isConnectionError(r.reason, this.#link)) {
            lost ??= r.reason;
            if (c.durable) retry.push(c);
            else this.#dropped++;
            return;
          }
          this.#failed++;
          this.#log.once(`redis:${c.cmd}`, "error", "redis refused a command (logged once per command)", { cmd: c.cmd, error: r.reason });
        });
        if (retry.length > 0) {
          this.#retried += retry.length;
          this.#queue.unshift(...retry);
        }
        if (lost !== undefined) {
          this.#link.lost(String((lost as Error)?.message ?? lost));
          break;
        }
      }
    } finally {
      this.#pumping = false;
      if (this.#queue.length === 0 || !this.#link.up) {
        const idle = this.#idle;
        this.#idle = [];
        for (const w of idle) w();
      }
    }
    if (this.#queue.length > 0 && this.#link.up) this.#schedule();
  }
}
