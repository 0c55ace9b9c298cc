/**
 * Opportunity lifecycle (SIGNALS.md), in core so every strategy behaves the same: an opportunity is
 * identified by strategy + legs; it opens when its edge has met the threshold continuously for
 * `minDurationMs` (on the injected clock), updates while it lasts (current and peak edge, size; an
 * `opportunity.update` only on a meaningful change), and closes when the edge is gone or a leg is
 * suppressed, with its duration and reason. An `alert` fires on open (and on close when asked).
 *
 * Gating is done here, not in strategies: before a signal opens, and while it stays open, every leg is
 * checked with `store.fresh`; the tracker also re-checks its open and pending opportunities on every
 * `feed.status` and `frame.end` of their feeds, so a leg going stale closes them even when the
 * strategy has nothing new to evaluate.
 */
import type { Alert, Opportunity, OpportunityClosed, OpportunityLeg, Severity } from "./events.ts";
import type { SuppressionReason } from "./market.ts";
import type { PluginContext } from "./plugin.ts";
import type { TimerHandle } from "./clock.ts";
import { checkLegs, createSuppressionCounter } from "./signals/gate.ts";
import { type Subject, opportunityId } from "./signals/subject.ts";
import { describeOpportunity } from "./signals/describe.ts";

export { type LegCheck, type LegRef, type SignalSuppressed, type SuppressionCounter, checkLegs, createSuppressionCounter } from "./signals/gate.ts";
export { onInstruments } from "./signals/subscribe.ts";
export { type Subject, opportunityId, subjectOf } from "./signals/subject.ts";
export { type LedgerStats, type OpportunityLedger, createOpportunityLedger } from "./signals/ledger.ts";

/** The figures of a signal that meets the threshold (a `SizedSignal` from core/signals fits). */
export interface SignalFigures {
  readonly edgeBps: number;
  readonly sizeUsd: number;
  readonly profitUsd: number;
  readonly legs: readonly OpportunityLeg[];
}

/** A solver's verdict: a signal, or why not (a `SolveResult` from core/signals fits). */
export type Outcome = { readonly ok: true; readonly signal: SignalFigures } | { readonly ok: false; readonly reason: string };

/** Display and extras for one evaluation. */
export interface Extras {
  readonly details?: Readonly<Record<string, unknown>>;
  readonly severity?: Severity;
  /** Alert title and text; default from the figures and legs. */
  readonly title?: string;
  readonly text?: string;
  readonly url?: string;
}

/** Tracker settings; the strategy's TOML knobs map onto them. */
export interface TrackerOptions {
  /** `min_duration_ms`: how long the edge must hold before opening. Default 0. */
  readonly minDurationMs?: number;
  /** `severity` of open alerts. Default `info`. */
  readonly severity?: Severity;
  /** `cooldown_ms`: no second open alert for the same opportunity within this time. Default 0. */
  readonly cooldownMs?: number;
  /** Also alert when an opportunity closes. Default false. */
  readonly alertOnClose?: boolean;
  /** Alert again while open when the edge beats the last alerted edge by this many bps. Default off. */
  readonly alertOnImproveBps?: number;
  /** Emit `opportunity.update` when the edge moved at least this much since the last one. Default 1 bps. */
  readonly updateEdgeBps?: number;
  /** …or the size moved at least this fraction. Default 0.1. */
  readonly updateSizeRatio?: number;
}

/** Counters of one tracker. */
export interface TrackerStats {
  readonly open: number;
  readonly pending: number;
  readonly opened: number;
  readonly closed: number;
  readonly alerts: number;
  readonly suppressed: Readonly<Partial<Record<SuppressionReason, number>>>;
}

/** The lifecycle of one strategy's opportunities. */
export interface OpportunityTracker {
  /**
   * Feeds one evaluation of a subject (call it on `frame.end` for every subject whose books changed).
   * A failed outcome whose reason is a suppression (`incomplete_event`, `fee_unknown`,
   * `below_min_order`, …) is counted; `no_edge`, `no_depth`, `below_min_size` close as `edge_gone`;
   * any other reason (`resolved`) closes with that reason.
   */
  evaluate(subject: Subject, outcome: Outcome, extras?: Extras): void;
  /** Holds a subject back for a strategy-level reason (counted; closes it if open). */
  suppress(subject: Subject, reason: SuppressionReason): void;
  /** This strategy's open opportunities, most profitable first (SIGNALS.md ranks by `profitUsd`). */
  open(): Opportunity[];
  stats(): TrackerStats;
  /** Closes everything (the strategy stops); called by itself when `ctx.signal` aborts. */
  closeAll(reason: string): void;
}

const suppressionReasons: ReadonlySet<string> = new Set<SuppressionReason>([
  "stale",
  "resyncing",
  "crossed",
  "feed_down",
  "late",
  "no_book",
  "incomplete_event",
  "fee_unknown",
  "below_min_order",
]);

/** Solver verdicts that mean "no edge now"; any other non-suppression reason (`resolved`) is kept as is. */
const edgeGoneReasons: ReadonlySet<string> = new Set(["no_edge", "no_depth", "below_min_size"]);

interface Track {
  readonly id: string;
  readonly subject: Subject;
  pendingSince: number | undefined;
  timer: TimerHandle | undefined;
  last: SignalFigures | undefined;
  extras: Extras | undefined;
  open: Opportunity | undefined;
  emitted: Opportunity | undefined;
  lastAlertAt: number | undefined;
  /** Edge of the last open or improved alert of the current opening. */
  alertedEdgeBps: number | undefined;
}

/**
 * The opportunity lifecycle for one strategy instance: debounce, updates, closes, alerts, gating.
 *
 * @example
 * const opps = createOpportunityTracker(ctx, { minDurationMs: ctx.config.min_duration_ms });
 * ctx.bus.on("frame.end", () => {
 *   const legs = [{ book: yes, side: "buy", fee }, { book: no, side: "buy", fee }] as const;
 *   opps.evaluate(subjectOf("buy_all", legs), solveBuyAll(legs, limits));
 * });
 */
export function createOpportunityTracker(ctx: PluginContext<unknown>, options: TrackerOptions = {}): OpportunityTracker {
  const { bus, clock, store } = ctx;
  const minDurationMs = options.minDurationMs ?? 0;
  const updateEdgeBps = options.updateEdgeBps ?? 1;
  const updateSizeRatio = options.updateSizeRatio ?? 0.1;
  const tracks = new Map<string, Track>();
  const counter = createSuppressionCounter(ctx);
  let opened = 0;
  let closed = 0;
  let alerts = 0;

  /** Strategies that reuse one subject object per pair skip rebuilding its id on every frame. */
  const ids = new WeakMap<Subject, string>();

  function idOf(subject: Subject): string {
    let id = ids.get(subject);
    if (id === undefined) {
      id = opportunityId(ctx.id, subject);
      ids.set(subject, id);
    }
    return id;
  }

  function trackOf(subject: Subject): Track {
    const id = idOf(subject);
    let t = tracks.get(id);
    if (t === undefined) {
      t = { id, subject, pendingSince: undefined, timer: undefined, last: undefined, extras: undefined, open: undefined, emitted: undefined, lastAlertAt: undefined, alertedEdgeBps: undefined };
      tracks.set(id, t);
    }
    return t;
  }

  /** A closed track is kept only while its alert cooldown still has to be enforced. */
  function keepForCooldown(t: Track): boolean {
    return t.lastAlertAt !== undefined && clock.now() - t.lastAlertAt < (options.cooldownMs ?? 0);
  }

  function forget(t: Track): void {
    clock.clearTimeout(t.timer);
    t.timer = undefined;
    t.pendingSince = undefined;
    if (t.open === undefined && !keepForCooldown(t)) tracks.delete(t.id);
  }

  function close(t: Track, reason: string): void {
    const o = t.open;
    forget(t);
    if (o === undefined) return;
    t.open = undefined;
    t.emitted = undefined;
    t.alertedEdgeBps = undefined;
    const now = clock.now();
    const c: OpportunityClosed = { ...o, updatedAt: now, closedAt: now, durationMs: now - o.openedAt, reason };
    closed++;
    bus.emit("opportunity.close", c);
    if (options.alertOnClose === true) {
      alerts++;
      const d = describeOpportunity(c);
      bus.emit("alert", {
        id: `${t.id}:close:${now}`,
        key: `opportunity:${t.id}:close`,
        source: ctx.id,
        kind: "opportunity",
        severity: "info",
        title: `closed: ${d.title}`,
        text: `${d.text}\nclosed after ${c.durationMs} ms (${reason})`,
        ts: now,
        opportunity: c,
      });
    }
    if (!keepForCooldown(t)) tracks.delete(t.id);
  }

  function suppressTrack(t: Track, reasons: readonly SuppressionReason[]): void {
    const reason = counter.suppress(t.id, reasons) ?? "stale";
    close(t, reason);
  }

  function build(t: Track, f: SignalFigures, now: number, prev: Opportunity | undefined): Opportunity {
    const x = t.extras;
    return {
      id: t.id,
      strategy: ctx.id,
      kind: t.subject.kind,
      legs: f.legs,
      edgeBps: f.edgeBps,
      sizeUsd: f.sizeUsd,
      profitUsd: f.profitUsd,
      peakEdgeBps: prev === undefined ? f.edgeBps : Math.max(prev.peakEdgeBps, f.edgeBps),
      openedAt: prev?.openedAt ?? now,
      updatedAt: now,
      severity: x?.severity ?? options.severity ?? "info",
      ...(x?.details === undefined ? {} : { details: x.details }),
    };
  }

  function openNow(t: Track, ageMs: number): void {
    const f = t.last!;
    const now = clock.now();
    clock.clearTimeout(t.timer);
    t.timer = undefined;
    t.pendingSince = undefined;
    const o = build(t, f, now, undefined);
    t.open = o;
    t.emitted = o;
    opened++;
    bus.emit("opportunity.open", o);
    const cooldown = options.cooldownMs ?? 0;
    if (t.lastAlertAt !== undefined && now - t.lastAlertAt < cooldown) return;
    // Remembered only when a cooldown needs it, so closed tracks are otherwise forgotten at once.
    t.lastAlertAt = cooldown > 0 ? now : undefined;
    t.alertedEdgeBps = o.edgeBps;
    alerts++;
    const d = describeOpportunity(o);
    const legs = o.legs;
    const alert: Alert = {
      id: `${t.id}:open:${now}`,
      key: `opportunity:${t.id}`,
      source: ctx.id,
      kind: "opportunity",
      severity: o.severity,
      title: t.extras?.title ?? d.title,
      text: t.extras?.text ?? d.text,
      ts: now,
      ...(legs.every((l) => l.feed === legs[0]?.feed) && legs[0] !== undefined ? { feed: legs[0].feed } : {}),
      ...(legs.length === 1 ? { instrument: legs[0]!.instrument } : {}),
      dataAgeMs: ageMs,
      ...(t.extras?.url === undefined ? {} : { url: t.extras.url }),
      opportunity: o,
    };
    bus.emit("alert", alert);
  }

  function update(t: Track, f: SignalFigures): void {
    const now = clock.now();
    const o = build(t, f, now, t.open);
    t.open = o;
    const e = t.emitted!;
    const moved =
      Math.abs(o.edgeBps - e.edgeBps) >= updateEdgeBps ||
      Math.abs(o.sizeUsd - e.sizeUsd) >= updateSizeRatio * Math.max(Math.abs(e.sizeUsd), 1e-12);
    if (!moved) return;
    t.emitted = o;
    bus.emit("opportunity.update", o);
    const improve = options.alertOnImproveBps;
    if (improve !== undefined && t.alertedEdgeBps !== undefined && o.edgeBps - t.alertedEdgeBps >= improve) {
      t.alertedEdgeBps = o.edgeBps;
      alerts++;
      const d = describeOpportunity(o);
      bus.emit("alert", {
        id: `${t.id}:improved:${now}`,
        key: `opportunity:${t.id}:improved`,
        source: ctx.id,
        kind: "opportunity",
        severity: o.severity,
        title: `improved: ${t.extras?.title ?? d.title}`,
        text: t.extras?.text ?? d.text,
        ts: now,
        dataAgeMs: checkLegs(store, t.subject.legs).ageMs,
        opportunity: o,
      });
    }
  }

  /** Re-checks a pending or open track's legs; true when they may still be used. */
  function recheck(t: Track): boolean {
    const c = checkLegs(store, t.subject.legs);
    if (c.reason === undefined) return true;
    suppressTrack(t, c.reasons);
    return false;
  }

  function onTimer(t: Track): void {
    t.timer = undefined;
    if (t.pendingSince === undefined || t.last === undefined) return;
    const c = checkLegs(store, t.subject.legs);
    if (c.reason !== undefined) {
      suppressTrack(t, c.reasons);
      return;
    }
    openNow(t, c.ageMs);
  }

  function evaluate(subject: Subject, outcome: Outcome, extras?: Extras): void {
    if (!outcome.ok && !suppressionReasons.has(outcome.reason)) {
      // No edge (the common case on every frame): nothing to create, close what was open.
      const id = idOf(subject);
      counter.clear(id);
      const open = tracks.get(id);
      if (open !== undefined) close(open, outcome.reason === "no_book" ? "no_book" : edgeGoneReasons.has(outcome.reason) ? "edge_gone" : outcome.reason);
      return;
    }
    const t = trackOf(subject);
    if (!outcome.ok) {
      // A missing book cannot tell whether an edge exists: close what was open, count nothing.
      if (outcome.reason === "no_book") {
        counter.clear(t.id);
        close(t, "no_book");
        return;
      }
      if (suppressionReasons.has(outcome.reason)) {
        suppressTrack(t, [outcome.reason as SuppressionReason]);
        return;
      }
      counter.clear(t.id);
      close(t, edgeGoneReasons.has(outcome.reason) ? "edge_gone" : outcome.reason);
      return;
    }
    const c = checkLegs(store, subject.legs);
    if (c.reason !== undefined) {
      suppressTrack(t, c.reasons);
      return;
    }
    counter.clear(t.id);
    t.last = outcome.signal;
    t.extras = extras;
    if (t.open !== undefined) {
      update(t, outcome.signal);
      return;
    }
    const now = clock.now();
    if (t.pendingSince === undefined) {
      t.pendingSince = now;
      if (minDurationMs > 0) {
        t.timer = clock.setTimeout(() => onTimer(t), minDurationMs);
        return;
      }
    }
    if (now - t.pendingSince >= minDurationMs) openNow(t, c.ageMs);
  }

  function onFeedEvent(feed: string): void {
    // runs on every frame: iterate in place (deleting the current entry is safe in a Map iteration)
    for (const t of tracks.values()) {
      if (t.open === undefined && t.pendingSince === undefined) {
        if (!keepForCooldown(t)) tracks.delete(t.id); // its cooldown is over: nothing left to remember
        continue;
      }
      if (t.subject.legs.some((l) => l.feed === feed)) recheck(t);
    }
  }

  bus.on("feed.status", (s) => onFeedEvent(s.feed));
  bus.on("frame.end", (f) => onFeedEvent(f.feed));

  const tracker: OpportunityTracker = {
    evaluate,
    suppress(subject, reason) {
      suppressTrack(trackOf(subject), [reason]);
    },
    open: () => [...tracks.values()].flatMap((t) => (t.open === undefined ? [] : [t.open])).sort((a, b) => b.profitUsd - a.profitUsd),
    stats() {
      let open = 0;
      let pending = 0;
      for (const t of tracks.values()) {
        if (t.open !== undefined) open++;
        else if (t.pendingSince !== undefined) pending++;
      }
      return { open, pending, opened, closed, alerts, suppressed: counter.counts() };
    },
    closeAll(reason) {
      for (const t of [...tracks.values()]) close(t, reason);
    },
  };
  ctx.signal.addEventListener("abort", () => tracker.closeAll("stopped"), { once: true });
  return tracker;
}
