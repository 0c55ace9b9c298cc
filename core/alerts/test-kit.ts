/**
 * Test helpers for the alert router (imported by tests only): a scripted in-memory notifier, alert
 * builders and a way to let promise chains settle while a ManualClock stands still.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { Bus } from "../bus.ts";
import { ManualClock } from "../clock.ts";
import { NotifierError } from "../errors.ts";
import type { Alert, AlertDelivered, AlertFailed } from "../events.ts";
import type { Freshness } from "../market.ts";
import { createLogger, MemorySink } from "../log.ts";
import type { NotifierHandle, NotifierLimits } from "../plugin.ts";
import { alertsSchema } from "./config.ts";
import { createAlertRouter, type AlertRouter } from "./router.ts";

/** A notifier that records what it got and fails on demand. */
export class ScriptedNotifier implements NotifierHandle {
  readonly sent: { alert: Alert; at: number }[] = [];
  readonly calls: { alert: Alert; at: number }[] = [];
  /** Errors thrown by the next calls, in order. */
  readonly failures: Error[] = [];
  limits?: NotifierLimits;

  constructor(
    private readonly clock: ManualClock,
    limits?: NotifierLimits,
  ) {
    if (limits !== undefined) this.limits = limits;
  }

  async send(alert: Alert): Promise<void> {
    this.calls.push({ alert, at: this.clock.now() });
    const err = this.failures.shift();
    if (err !== undefined) throw err;
    this.sent.push({ alert, at: this.clock.now() });
  }

  /** Ids delivered, digests expanded. */
  deliveredIds(): string[] {
    return this.sent.flatMap(({ alert }) =>
      alert.kind === "digest" ? (alert.data!.items as Alert[]).map((a) => a.id) : [alert.id],
    );
  }
}

/** A retryable service error. */
export function retryable(retryAfterMs?: number): NotifierError {
  return new NotifierError("TEST_DOWN", "service unavailable", { retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), status: 503 });
}

let n = 0;
/** An alert with sensible defaults. */
export function makeAlert(over: Partial<Alert> = {}): Alert {
  n++;
  return {
    id: `a${n}`,
    key: `k${n}`,
    source: "spread",
    kind: "opportunity",
    severity: "warning",
    title: `Alert ${n}`,
    text: `text ${n}`,
    ts: 0,
    ...over,
  };
}

/** Lets pending promise chains run (microtasks and one macrotask turn, a few times). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await Bun.sleep(0);
}

/** Advances a ManualClock in steps, settling promises between steps. */
export async function advance(clock: ManualClock, ms: number, stepMs = 100): Promise<void> {
  const end = clock.now() + ms;
  while (clock.now() < end) {
    clock.advance(Math.min(stepMs, end - clock.now()));
    await settle(3);
  }
}

/** A router on a ManualClock with scripted notifiers; `config` is raw `[alerts]` TOML data. */
export function routerKit(config: Record<string, unknown>, notifierIds: string[], opts: { dir?: string; start?: number; limits?: NotifierLimits; fresh?: (feed: string, instrument: string) => Freshness; failures?: Error[] } = {}) {
  const clock = new ManualClock(opts.start ?? 1_700_000_000_000);
  const bus = new Bus();
  const sink = new MemorySink();
  const log = createLogger({ sink, level: "debug" });
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "edgewatch-alerts-"));
  const handles = new Map(notifierIds.map((id) => [id, new ScriptedNotifier(clock, opts.limits)]));
  // failures of the first sends, in place before the router starts delivering what an outbox holds
  for (const h of handles.values()) h.failures.push(...(opts.failures ?? []));
  const delivered: AlertDelivered[] = [];
  const failed: AlertFailed[] = [];
  bus.on("alert.delivered", (d) => delivered.push(d));
  bus.on("alert.failed", (f) => failed.push(f));
  const parsed = v.parse(alertsSchema, config);
  const router: AlertRouter = createAlertRouter({ bus, clock, log, config: parsed, notifiers: handles, dataDir: dir, ...(opts.fresh === undefined ? {} : { fresh: opts.fresh }) });
  return { clock, bus, sink, dir, handles, router, delivered, failed, n: (id: string) => handles.get(id)! };
}
