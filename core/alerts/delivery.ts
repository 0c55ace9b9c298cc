/**
 * One delivery worker per notifier: sends its pending outbox rows strictly in order (a failing head blocks
 * the ones behind it, so a chat never sees alerts out of order), paced by the notifier's limits, retried
 * with backoff that honours the service's "retry after", and folded into a digest when too many wait.
 * A send whose outcome is unknown (timeout, connection lost after sending, in flight at a crash) may have
 * arrived: a row is resent after at most one such outcome; after a second it is given up as `ambiguous`,
 * so a chat never sees an alert more than twice.
 */
import type { Bus } from "../bus.ts";
import type { Clock } from "../clock.ts";
import { describeError, NotifierError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { NotifierHandle } from "../plugin.ts";
import { redact } from "../secrets.ts";
import type { AlertsConfig } from "./config.ts";
import { makeDigest } from "./digest.ts";
import { sleepOn, WindowLimiter } from "./limiter.ts";
import type { Outbox, PendingRow } from "./outbox.ts";

/** Unknown outcomes after which a row is no longer sent (the first may have arrived: one resend at most). */
const maxUnknown = 2;

/** Outcome counters per notifier (`edgewatch_alerts_total{notifier,outcome}`). */
export type Outcome = "delivered" | "failed" | "retried" | "suppressed" | "expired" | "ambiguous";

/** Shared counters of the router and its workers. */
export class AlertCounters {
  readonly totals = new Map<string, Record<Outcome, number>>();
  readonly suppressed = new Map<string, number>();
  readonly digests = new Map<string, number>();

  /** Counts `n` alerts of one notifier under `outcome`. */
  add(notifier: string, outcome: Outcome, n = 1): void {
    let t = this.totals.get(notifier);
    if (t === undefined) {
      t = { delivered: 0, failed: 0, retried: 0, suppressed: 0, expired: 0, ambiguous: 0 };
      this.totals.set(notifier, t);
    }
    t[outcome] += n;
  }

  /** Counts `n` alerts refused for `reason`. */
  suppress(reason: string, n = 1): void {
    this.suppressed.set(reason, (this.suppressed.get(reason) ?? 0) + n);
  }
}

/** What a delivery worker needs; the router builds one per notifier id. */
export interface WorkerDeps {
  readonly id: string;
  /** Looked up at each send: the runtime may restart a notifier (reload) under the same id. */
  readonly getHandle: () => NotifierHandle | undefined;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly log: Logger;
  readonly bus: Bus;
  readonly config: AlertsConfig;
  readonly counters: AlertCounters;
  readonly signal: AbortSignal;
}

/** Sends one notifier's outbox rows; `kick()` after inserting rows, `done` settles after stop. */
export class DeliveryWorker {
  readonly #d: WorkerDeps;
  #limiter: WindowLimiter | undefined;
  #limitedHandle: NotifierHandle | undefined;
  #wake: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(deps: WorkerDeps) {
    this.#d = deps;
    this.done = this.#run().catch((error: unknown) => {
      deps.log.error("delivery worker stopped on an unexpected error", { notifier: deps.id, error: redact(describeError(error)) });
    });
  }

  /** New rows may be waiting. */
  kick(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #run(): Promise<void> {
    const { outbox, clock, signal, id } = this.#d;
    signal.addEventListener("abort", () => this.kick(), { once: true });
    while (!signal.aborted) {
      const handle = this.#d.getHandle();
      const head = handle === undefined ? undefined : outbox.pending(id, 1)[0];
      if (handle === undefined || head === undefined) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        continue;
      }
      this.#limitsOf(handle);
      const wait = Math.max(head.nextAt - clock.now(), this.#limiter?.waitMs() ?? 0);
      if (wait > 0) {
        await sleepOn(clock, wait, signal);
        continue;
      }
      await this.#send(handle, this.#batch(head));
    }
  }

  #limitsOf(handle: NotifierHandle): void {
    if (handle === this.#limitedHandle) return;
    this.#limitedHandle = handle;
    const windows = handle.limits?.windows;
    this.#limiter = windows === undefined || windows.length === 0 ? undefined : new WindowLimiter(this.#d.clock, windows);
  }

  /** The rows that go out together: a pinned digest, a new digest when too many wait, or the head alone. */
  #batch(head: PendingRow): PendingRow[] {
    const { outbox, id, config } = this.#d;
    if (head.digestId !== null) {
      const rows = outbox.pending(id, config.digest_max_items);
      const group: PendingRow[] = [];
      for (const r of rows) {
        if (r.digestId !== head.digestId) break;
        group.push(r);
      }
      return group;
    }
    // a row already tried alone may have reached some chats: folding it into a digest would repeat it there
    if (this.#limiter === undefined || head.attempts > 0) return [head];
    const rows = outbox.pending(id, config.digest_max_items);
    const fresh: PendingRow[] = [];
    for (const r of rows) {
      if (r.digestId !== null) break;
      fresh.push(r);
    }
    if (fresh.length <= config.digest_after) return [head];
    // pinned before the send: a retry or a restart sends exactly this group again, never a reshuffle
    outbox.pinDigest(
      fresh.map((r) => r.seq),
      `digest-${head.alertId}`,
    );
    return fresh.map((r) => ({ ...r, digestId: `digest-${head.alertId}` }));
  }

  async #send(handle: NotifierHandle, rows: PendingRow[]): Promise<void> {
    const { outbox, clock, id, counters, bus, log, config } = this.#d;
    const head = rows[0]!;
    const seqs = rows.map((r) => r.seq);
    const digestId = head.digestId ?? undefined;
    const alert = digestId === undefined ? head.alert : makeDigest(digestId, rows.map((r) => r.alert), clock.now());
    // two unknown outcomes already (a crash while in flight counts as one): resending could make a third copy
    const unknownSoFar = Math.max(...rows.map((r) => r.unknown));
    if (unknownSoFar >= maxUnknown) {
      this.#giveUp(rows, head.attempts, "a send was in flight when the process stopped");
      return;
    }
    const attempts = head.attempts + 1;
    outbox.markInflight(seqs, clock.now());
    this.#limiter?.record();
    try {
      await handle.send(alert);
    } catch (error) {
      const err =
        error instanceof NotifierError
          ? error
          : new NotifierError("NOTIFIER_THREW", describeError(error), { retryable: true, cause: error });
      if (!(error instanceof NotifierError)) {
        log.error("notifier threw something other than NotifierError; retrying", { notifier: id, error: redact(describeError(error)) });
      }
      const text = redact(describeError(err));
      const now = clock.now();
      if (err.ambiguous && unknownSoFar + 1 >= maxUnknown) {
        this.#giveUp(rows, attempts, text);
        return;
      }
      if (!err.retryable) {
        outbox.markDone(seqs, "failed", now, text, digestId);
        counters.add(id, "failed", rows.length);
        log.warn("alert delivery failed for good", { notifier: id, alerts: rows.length, attempts, error: text });
      } else {
        const backoff = Math.min(config.retry_max_ms, config.retry_initial_ms * 2 ** Math.min(30, attempts - 1));
        const delay = err.retryAfterMs ?? backoff;
        if (err.retryAfterMs !== undefined) this.#limiter?.holdFor(err.retryAfterMs);
        outbox.markRetry(seqs, now + delay, text, now, err.ambiguous);
        counters.add(id, "retried", rows.length);
        log.warn("alert delivery failed; will retry", { notifier: id, alerts: rows.length, attempts, retryInMs: delay, error: text });
      }
      for (const r of rows) {
        bus.emit("alert.failed", { alertId: r.alertId, notifier: id, error: text, retryable: err.retryable, attempts, ts: now });
      }
      return;
    }
    const now = clock.now();
    outbox.markDone(seqs, "delivered", now, undefined, digestId);
    counters.add(id, "delivered", rows.length);
    if (digestId !== undefined) counters.digests.set(id, (counters.digests.get(id) ?? 0) + 1);
    for (const r of rows) bus.emit("alert.delivered", { alertId: r.alertId, notifier: id, attempts, ts: now });
  }

  /** Stops resending rows whose delivery is unknown twice over: state `ambiguous`, `alert.failed`. */
  #giveUp(rows: readonly PendingRow[], attempts: number, last: string): void {
    const { outbox, clock, id, counters, bus, log } = this.#d;
    const now = clock.now();
    const error = `delivery unknown after two timeouts; not resent to avoid duplicates (last: ${last})`;
    outbox.markDone(rows.map((r) => r.seq), "ambiguous", now, error, rows[0]!.digestId ?? undefined);
    counters.add(id, "ambiguous", rows.length);
    log.warn("alert delivery unknown twice (it may have arrived, possibly twice); not resent to avoid more duplicates", { notifier: id, alerts: rows.length, attempts, error: last });
    for (const r of rows) bus.emit("alert.failed", { alertId: r.alertId, notifier: id, error, retryable: false, attempts, ts: now });
  }
}
