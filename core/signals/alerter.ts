/**
 * Plain alerts for strategies that watch rather than size (price levels, spreads, trade flow, market
 * lists), with the same rules as opportunities: gated on every leg's freshness (suppressions counted),
 * a stable dedupe key, a cooldown per key, and for lasting conditions a debounce on the clock and an
 * optional alert when the condition clears, with its duration.
 */
import type { AlertKind, Severity } from "../events.ts";
import type { PluginContext } from "../plugin.ts";
import type { TimerHandle } from "../clock.ts";
import { type LegRef, checkLegs, createSuppressionCounter } from "./gate.ts";
import type { SuppressionReason } from "../market.ts";

/** What one alert says. */
export interface AlertContent {
  readonly title: string;
  readonly text: string;
  readonly feed?: string;
  readonly instrument?: string;
  readonly severity?: Severity;
  readonly url?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Alerter settings (the strategy's knobs). */
export interface AlerterOptions {
  /** Default severity. Default `info`. */
  readonly severity?: Severity;
  /** Least time between two alerts with the same key, ms. Default 0. */
  readonly cooldownMs?: number;
  /** How long a condition must hold before it alerts, ms. Default 0. */
  readonly minDurationMs?: number;
  /** Alert again when a condition clears (with its duration). Default false. */
  readonly alertOnClear?: boolean;
  /** Alert kind. Default `info`. */
  readonly kind?: AlertKind;
}

/** Alerts of one strategy instance. */
export interface Alerter {
  /**
   * A one-off alert (a level crossed, a market listed). Suppressed (and counted) while a leg is not
   * fresh; skipped within the cooldown of its key. Returns whether it was emitted.
   */
  fire(key: string, legs: readonly LegRef[], content: AlertContent): boolean;
  /**
   * A lasting condition, reported on every evaluation: alerts once it has held `minDurationMs`; while a
   * leg is not fresh it is suppressed and ends. `content` is built only when an alert is sent.
   */
  condition(key: string, legs: readonly LegRef[], active: boolean, content: () => AlertContent): void;
  /** Keys of the conditions that alerted (outside a cooldown) and still hold. */
  active(): string[];
  stats(): { readonly alerts: number; readonly suppressed: Readonly<Partial<Record<SuppressionReason, number>>> };
}

interface Cond {
  since: number;
  timer: TimerHandle | undefined;
  alerted: boolean;
  legs: readonly LegRef[];
  content: () => AlertContent;
}

/**
 * Creates the alerter of one strategy instance.
 *
 * @example
 * const alerts = createAlerter(ctx, { minDurationMs: 5000, severity: "warning" });
 * alerts.condition("BTC:wide", [{ feed, instrument }], spreadBps > 20, () => ({ title: "wide spread", text: "…" }));
 */
export function createAlerter(ctx: PluginContext<unknown>, options: AlerterOptions = {}): Alerter {
  const { bus, clock, store } = ctx;
  const counter = createSuppressionCounter(ctx);
  const lastSent = new Map<string, number>();
  const conds = new Map<string, Cond>();
  const minDurationMs = options.minDurationMs ?? 0;
  let alerts = 0;
  let seq = 0;

  function emit(key: string, c: AlertContent, dataAgeMs: number | undefined, data?: Record<string, unknown>): boolean {
    const now = clock.now();
    const last = lastSent.get(key);
    if (last !== undefined && now - last < (options.cooldownMs ?? 0)) return false;
    lastSent.set(key, now);
    alerts++;
    bus.emit("alert", {
      id: `${ctx.id}:${key}:${now}:${seq++}`,
      key: `${ctx.id}:${key}`,
      source: ctx.id,
      kind: options.kind ?? "info",
      severity: c.severity ?? options.severity ?? "info",
      title: c.title,
      text: c.text,
      ts: now,
      ...(c.feed === undefined ? {} : { feed: c.feed }),
      ...(c.instrument === undefined ? {} : { instrument: c.instrument }),
      ...(dataAgeMs === undefined || Number.isNaN(dataAgeMs) ? {} : { dataAgeMs }),
      ...(c.url === undefined ? {} : { url: c.url }),
      ...(c.data === undefined && data === undefined ? {} : { data: { ...c.data, ...data } }),
    });
    return true;
  }

  function end(key: string, cond: Cond, reason: string): void {
    clock.clearTimeout(cond.timer);
    conds.delete(key);
    if (!cond.alerted || options.alertOnClear !== true) return;
    const c = cond.content();
    const durationMs = clock.now() - cond.since;
    emit(`${key}:clear`, { ...c, title: `cleared: ${c.title}`, text: `${c.text}\ncleared after ${durationMs} ms (${reason})` }, undefined, { durationMs, reason });
  }

  function alertCond(key: string, cond: Cond): void {
    const check = checkLegs(store, cond.legs);
    if (check.reason !== undefined) {
      counter.suppress(key, check.reasons);
      end(key, cond, check.reason);
      return;
    }
    cond.alerted = emit(key, cond.content(), cond.legs.length === 0 ? undefined : check.ageMs, { heldMs: clock.now() - cond.since });
  }

  function recheckFeed(feed: string): void {
    for (const [key, cond] of [...conds]) {
      if (!cond.legs.some((l) => l.feed === feed)) continue;
      const check = checkLegs(store, cond.legs);
      if (check.reason === undefined) continue;
      counter.suppress(key, check.reasons);
      end(key, cond, check.reason);
    }
  }
  bus.on("feed.status", (s) => recheckFeed(s.feed));
  bus.on("frame.end", (f) => recheckFeed(f.feed));
  ctx.signal.addEventListener("abort", () => {
    for (const c of conds.values()) clock.clearTimeout(c.timer);
    conds.clear();
  }, { once: true });

  return {
    fire(key, legs, content) {
      const check = checkLegs(store, legs);
      if (check.reason !== undefined) {
        counter.suppress(key, check.reasons);
        return false;
      }
      counter.clear(key);
      return emit(key, content, legs.length === 0 ? undefined : check.ageMs);
    },
    condition(key, legs, active, content) {
      const cond = conds.get(key);
      if (!active) {
        counter.clear(key);
        if (cond !== undefined) end(key, cond, "condition_gone");
        return;
      }
      const check = checkLegs(store, legs);
      if (check.reason !== undefined) {
        counter.suppress(key, check.reasons);
        if (cond !== undefined) end(key, cond, check.reason);
        return;
      }
      counter.clear(key);
      if (cond !== undefined) {
        cond.content = content;
        return;
      }
      const fresh: Cond = { since: clock.now(), timer: undefined, alerted: false, legs, content };
      conds.set(key, fresh);
      if (minDurationMs <= 0) alertCond(key, fresh);
      else fresh.timer = clock.setTimeout(() => alertCond(key, fresh), minDurationMs);
    },
    active: () => [...conds].filter(([, c]) => c.alerted).map(([k]) => k),
    stats: () => ({ alerts, suppressed: counter.counts() }),
  };
}
