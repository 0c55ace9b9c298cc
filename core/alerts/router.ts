/**
 * The alert router: the last step between strategies and people. It takes every `alert` from the bus,
 * routes it by `[[alerts.routes]]`, refuses ones built on data that is not fresh now (stale, resyncing,
 * crossed, feed down, late — ARCHITECTURE rule 9), muted, quiet-hours, duplicate and cooling-down ones
 * (counted per reason), commits the rest to the durable outbox, and lets one delivery worker per notifier
 * send them (paced, retried, digested). Delivery outcomes go back on the bus as `alert.delivered` and
 * `alert.failed`.
 */
import { isAbsolute, join, resolve } from "node:path";
import type { Bus } from "../bus.ts";
import type { Clock, TimerHandle } from "../clock.ts";
import { describeError } from "../errors.ts";
import type { Alert } from "../events.ts";
import type { Logger } from "../log.ts";
import type { Freshness, SuppressionReason } from "../market.ts";
import type { AlertRecord, NotifierHandle } from "../plugin.ts";
import type { AlertsConfig } from "./config.ts";
import { AlertCounters, DeliveryWorker, type Outcome } from "./delivery.ts";
import { quietSuppresses, routeMatches, severityRank } from "./match.ts";
import { type NewDelivery, openOutbox } from "./outbox.ts";

/** What `createAlertRouter` needs from the runtime. */
export interface AlertRouterOptions {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: Logger;
  /** The validated `[alerts]` table. */
  readonly config: AlertsConfig;
  /** Notifier instance id → its running handle. */
  readonly notifiers: ReadonlyMap<string, NotifierHandle>;
  /** Where the outbox lives unless `outbox_path` says otherwise (a relative `outbox_path` resolves here too). */
  readonly dataDir: string;
  /**
   * The market store's leg check (the runtime passes `store.fresh`). When given, an alert built on market
   * data whose leg is not fresh at intake is refused, counted by the leg's first reason. Absent = no check.
   */
  readonly fresh?: (feed: string, instrument: string) => Freshness;
}

/** Figures for `/metrics` and `/status`. */
export interface AlertRouterStats {
  /** Outbox rows waiting to be sent (`edgewatch_alert_outbox_pending`). */
  readonly pending: number;
  /** notifier → outcome → alerts (`edgewatch_alerts_total{notifier,outcome}`); outcomes: delivered, failed, retried, suppressed, expired, ambiguous. */
  readonly totals: Record<string, Record<Outcome, number>>;
  /**
   * reason → alerts refused before any send: no_route, stale, resyncing, crossed, feed_down, late (a leg not
   * fresh), data_age (`max_data_age_ms`), muted, quiet_hours, duplicate, cooldown, outbox_error.
   */
  readonly suppressed: Record<string, number>;
  /** notifier → digest messages sent. */
  readonly digests: Record<string, number>;
}

/** The running router. */
export interface AlertRouter {
  /** Unsubscribes, lets in-flight sends finish, closes the outbox. Pending rows stay for the next start. */
  stop(): Promise<void>;
  stats(): AlertRouterStats;
  /** Newest alerts with their delivery state per notifier. */
  recent(limit: number): AlertRecord[];
  /** Epoch ms until which alerts are muted, or 0. */
  mutedUntil(): number;
  /** Routes one alert as if it came on the bus (alerts held while a previous router was stopping). */
  ingest(alert: Alert): void;
}

const outboxFile = "alerts-outbox.sqlite";

/** Leg reasons that make data unusable for an alert (ARCHITECTURE rule 9). */
const refusingReasons: ReadonlySet<SuppressionReason> = new Set(["stale", "resyncing", "crossed", "feed_down", "late"]);

/** The first reason of a leg's freshness that refuses an alert, or undefined when it may be used. */
function refusing(f: Freshness): SuppressionReason | undefined {
  if (f.ok) return undefined;
  return f.reasons.find((r) => refusingReasons.has(r));
}

/**
 * Starts the alert router: subscribes to `alert`, `control.mute` and `control.unmute` on the bus and
 * delivers what was left pending by a previous run (after a crash, rows that were being sent count one
 * unknown outcome and go out once more, so a chat may see one alert twice, never more).
 *
 * @example
 * const router = createAlertRouter({ bus, clock: systemClock, log, config: cfg.alerts, notifiers, dataDir: "data" });
 * bus.emit("alert", alert);
 * router.stats().pending; // rows still waiting
 * await router.stop();
 */
export function createAlertRouter(opts: AlertRouterOptions): AlertRouter {
  const { bus, clock, config, notifiers } = opts;
  const log = opts.log;
  const path =
    config.outbox_path === undefined
      ? join(opts.dataDir, outboxFile)
      : isAbsolute(config.outbox_path) || config.outbox_path === ":memory:"
        ? config.outbox_path
        : resolve(opts.dataDir, config.outbox_path);
  const outbox = openOutbox(path);
  const counters = new AlertCounters();
  const abort = new AbortController();

  const unknown = new Set(config.routes.flatMap((r) => r.notifiers).filter((id) => !notifiers.has(id)));
  if (unknown.size > 0) log.error("routes name notifiers that are not running; alerts for them are skipped while they are absent", { notifiers: [...unknown] });

  const recovered = outbox.recoverInflight();
  if (recovered > 0) {
    log.warn("deliveries were in flight when the last run stopped; sending them again (a chat may see one twice)", { rows: recovered });
  }
  for (const [id, n] of outbox.pendingByNotifier()) {
    if (!notifiers.has(id)) log.warn("outbox holds alerts for a notifier that is not running; kept until it returns or retention ends", { notifier: id, pending: n });
    else log.info("resuming pending alerts", { notifier: id, pending: n });
  }

  let muted = Number(outbox.getMeta("muted_until") ?? 0);
  // dedupe and cooldown memory, rebuilt from the outbox so a restart does not re-alert
  const lastSeen = new Map<string, number>();
  const lastRouted = new Map<string, { ts: number; rank: number }>();
  const maxCooldown = Math.max(0, ...config.routes.map((r) => r.cooldown_ms));
  const fingerprint = (a: Alert): string => `${a.key}\u0000${a.title}\u0000${a.text}`;
  for (const { alert, notifiers: sentTo } of outbox.since(clock.now() - Math.max(config.dedupe_window_ms, maxCooldown))) {
    lastSeen.set(fingerprint(alert), alert.ts);
    for (const n of sentTo) lastRouted.set(`${n}\u0000${alert.key}`, { ts: alert.ts, rank: severityRank(alert.severity) });
  }

  /**
   * Why an alert built on market data may not go out now: the first refusing reason of its first leg that
   * is not fresh. Built on market data = an opportunity alert that is not about its close (the legs), or an
   * alert naming a feed and an instrument with a `dataAgeMs`. A quiet book is fresh; `no_book` refuses
   * nothing (a trade-only instrument has no book to judge).
   */
  function unfreshReason(alert: Alert): SuppressionReason | undefined {
    const fresh = opts.fresh;
    if (fresh === undefined) return undefined;
    const o = alert.opportunity;
    if (o !== undefined) {
      if ("closedAt" in o) return undefined;
      for (const leg of o.legs) {
        const r = refusing(fresh(leg.feed, leg.instrument));
        if (r !== undefined) return r;
      }
      return undefined;
    }
    if (alert.feed === undefined || alert.instrument === undefined || alert.dataAgeMs === undefined) return undefined;
    return refusing(fresh(alert.feed, alert.instrument));
  }

  const workers = new Map<string, DeliveryWorker>();
  /** The worker of a notifier id, created on first need (the runtime may add notifiers on reload). */
  function workerFor(id: string): DeliveryWorker {
    let w = workers.get(id);
    if (w === undefined) {
      w = new DeliveryWorker({ id, getHandle: () => notifiers.get(id), outbox, clock, log, bus, config, counters, signal: abort.signal });
      workers.set(id, w);
    }
    return w;
  }
  for (const id of notifiers.keys()) workerFor(id);

  function gate(alert: Alert, now: number): string | undefined {
    const unfresh = unfreshReason(alert);
    if (unfresh !== undefined) return unfresh;
    if (config.max_data_age_ms > 0 && alert.dataAgeMs !== undefined && alert.dataAgeMs > config.max_data_age_ms) return "data_age";
    if (now < muted) return "muted";
    if (quietSuppresses(config.quiet_hours, alert, now)) return "quiet_hours";
    const seen = lastSeen.get(fingerprint(alert));
    if (seen !== undefined && now - seen < config.dedupe_window_ms) return "duplicate";
    return undefined;
  }

  function onAlert(alert: Alert): void {
    const now = clock.now();
    if (outbox.has(alert.id)) {
      counters.suppress("duplicate");
      return;
    }
    // notifier → shortest cooldown among the routes that matched it
    const targets = new Map<string, number>();
    for (const route of config.routes) {
      if (!routeMatches(route, alert)) continue;
      for (const n of route.notifiers) {
        if (!notifiers.has(n)) continue;
        targets.set(n, Math.min(targets.get(n) ?? Infinity, route.cooldown_ms));
      }
    }
    if (targets.size === 0) {
      counters.suppress("no_route");
      return;
    }
    const shared = gate(alert, now);
    const rank = severityRank(alert.severity);
    const deliveries: NewDelivery[] = [];
    for (const [n, cooldown] of targets) {
      let reason = shared;
      const last = lastRouted.get(`${n}\u0000${alert.key}`);
      if (reason === undefined && last !== undefined && now - last.ts < cooldown && rank <= last.rank) reason = "cooldown";
      deliveries.push(reason === undefined ? { notifier: n, state: "pending" } : { notifier: n, state: "suppressed", error: reason });
    }
    try {
      outbox.insert(alert, deliveries, now);
    } catch (error) {
      counters.suppress("outbox_error");
      log.error("could not store an alert in the outbox; it is not sent", { alert: alert.id, error: describeError(error) });
      return;
    }
    if (shared === undefined) lastSeen.set(fingerprint(alert), now);
    for (const d of deliveries) {
      if (d.state === "suppressed") {
        counters.add(d.notifier, "suppressed");
        counters.suppress(d.error!);
        continue;
      }
      lastRouted.set(`${d.notifier}\u0000${alert.key}`, { ts: now, rank });
      workerFor(d.notifier).kick();
    }
  }

  function prune(): void {
    const now = clock.now();
    for (const [n, count] of outbox.prune(now - config.retention_ms)) {
      counters.add(n, "expired", count);
      log.warn("pending alerts expired unsent (older than retention_ms)", { notifier: n, alerts: count });
    }
    const horizon = now - Math.max(config.dedupe_window_ms, maxCooldown);
    for (const [k, t] of lastSeen) if (t < horizon) lastSeen.delete(k);
    for (const [k, v] of lastRouted) if (v.ts < horizon) lastRouted.delete(k);
  }

  prune();
  const pruneTimer: TimerHandle = clock.setInterval(prune, config.prune_interval_ms);
  const offs = [
    bus.on("alert", onAlert, "alerts"),
    bus.on(
      "control.mute",
      (m) => {
        muted = m.untilMs;
        outbox.setMeta("muted_until", String(muted));
        log.info("alerts muted", { until: new Date(muted).toISOString(), by: m.by });
      },
      "alerts",
    ),
    bus.on(
      "control.unmute",
      (m) => {
        muted = 0;
        outbox.setMeta("muted_until", "0");
        log.info("alerts unmuted", { by: m.by });
      },
      "alerts",
    ),
  ];

  let stopped: Promise<void> | undefined;
  let closed = false;
  return {
    stop() {
      stopped ??= (async () => {
        for (const off of offs) off();
        clock.clearInterval(pruneTimer);
        abort.abort();
        await Promise.all([...workers.values()].map((w) => w.done));
        closed = true;
        outbox.close();
      })();
      return stopped;
    },
    stats() {
      return {
        pending: closed ? 0 : outbox.pendingCount(),
        totals: Object.fromEntries([...counters.totals].map(([k, v]) => [k, { ...v }])),
        suppressed: Object.fromEntries(counters.suppressed),
        digests: Object.fromEntries(counters.digests),
      };
    },
    recent: (limit) => (closed ? [] : outbox.recent(limit)),
    ingest: (alert) => onAlert(alert),
    mutedUntil: () => (clock.now() < muted ? muted : 0),
  };
}
