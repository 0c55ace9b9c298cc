/**
 * The replay report: every opportunity and alert that would have fired, with per-strategy totals. Built
 * from bus events only, stamped with the virtual clock, so the same recording gives the same bytes.
 */
import type { Bus } from "../bus.ts";
import type { Alert, Opportunity, OpportunityClosed } from "../events.ts";
import type { PlayerStats } from "./player.ts";

/** One opportunity in the report. */
export interface ReportOpportunity {
  readonly id: string;
  readonly strategy: string;
  readonly kind: string;
  /** `"buy feed:instrument"` per leg. */
  readonly legs: readonly string[];
  readonly openedAt: string;
  readonly closedAt: string | null;
  /** null when still open at the end of the window. */
  readonly durationMs: number | null;
  readonly edgeBps: number;
  readonly peakEdgeBps: number;
  readonly sizeUsd: number;
  readonly profitUsd: number;
  readonly closeReason: string | null;
}

/** One alert in the report. */
export interface ReportAlert {
  readonly id: string;
  readonly ts: string;
  readonly source: string;
  readonly kind: string;
  readonly severity: string;
  readonly title: string;
  readonly feed: string | null;
  readonly instrument: string | null;
  readonly edgeBps: number | null;
  readonly sizeUsd: number | null;
  /** Notifiers the alert router delivered it to (after routes, dedupe, cooldown, mute). */
  readonly deliveredTo: readonly string[];
}

/** Per-strategy figures. */
export interface StrategyTotals {
  readonly opportunities: number;
  readonly alerts: number;
  readonly delivered: number;
  readonly maxEdgeBps: number;
  readonly medianDurationMs: number | null;
  readonly profitUsd: number;
}

/** The whole report (`--report out.json`). */
export interface ReplayReport {
  readonly recording: { readonly file: string; readonly rows: number; readonly feeds: readonly string[]; readonly first: string; readonly last: string };
  readonly window: { readonly from: string; readonly to: string };
  readonly opportunities: readonly ReportOpportunity[];
  readonly alerts: readonly ReportAlert[];
  readonly totals: Readonly<Record<string, StrategyTotals>>;
  readonly transport: PlayerStats;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const round = (x: number, digits = 4): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

interface OppState {
  first: Opportunity;
  last: Opportunity;
  closed: OpportunityClosed | undefined;
}

/** Collects what the strategies and the alert router did, from the bus. */
export class ReportCollector {
  readonly #from: number;
  readonly #to: number;
  readonly #opps = new Map<string, OppState>();
  readonly #order: OppState[] = [];
  readonly #alerts: Alert[] = [];
  readonly #delivered = new Map<string, Set<string>>();
  readonly #offs: (() => void)[];

  constructor(bus: Bus, window: { from: number; to: number }) {
    this.#from = window.from;
    this.#to = window.to;
    const inWindow = (t: number): boolean => t >= this.#from && t <= this.#to;
    this.#offs = [
      bus.on("opportunity.open", (o) => {
        if (!inWindow(o.openedAt)) return;
        const s: OppState = { first: o, last: o, closed: undefined };
        this.#opps.set(o.id, s);
        this.#order.push(s);
      }, "replay"),
      bus.on("opportunity.update", (o) => {
        const s = this.#opps.get(o.id);
        if (s !== undefined && s.closed === undefined) s.last = o;
      }, "replay"),
      bus.on("opportunity.close", (o) => {
        const s = this.#opps.get(o.id);
        if (s === undefined || s.closed !== undefined) return;
        if (o.closedAt > this.#to) return;
        s.last = o;
        s.closed = o;
        this.#opps.delete(o.id);
      }, "replay"),
      bus.on("alert", (a) => {
        if (inWindow(a.ts)) this.#alerts.push(a);
      }, "replay"),
      bus.on("alert.delivered", (d) => {
        let set = this.#delivered.get(d.alertId);
        if (set === undefined) this.#delivered.set(d.alertId, (set = new Set()));
        set.add(d.notifier);
      }, "replay"),
    ];
  }

  /** Alerts seen so far (progress lines). */
  get alerts(): number {
    return this.#alerts.length;
  }
  get opportunities(): number {
    return this.#order.length;
  }

  /** Stops listening. */
  detach(): void {
    for (const off of this.#offs) off();
  }

  /** The report as of now. */
  build(recording: ReplayReport["recording"], transport: PlayerStats): ReplayReport {
    const opportunities: ReportOpportunity[] = this.#order.map((s) => {
      const c = s.closed;
      return {
        id: s.first.id,
        strategy: s.first.strategy,
        kind: s.first.kind,
        legs: s.first.legs.map((l) => `${l.side} ${l.feed}:${l.instrument}`),
        openedAt: iso(s.first.openedAt),
        closedAt: c === undefined ? null : iso(c.closedAt),
        durationMs: c === undefined ? null : c.durationMs,
        edgeBps: round(s.first.edgeBps),
        peakEdgeBps: round(Math.max(s.last.peakEdgeBps, s.first.peakEdgeBps)),
        sizeUsd: round(s.first.sizeUsd, 2),
        profitUsd: round(s.first.profitUsd),
        closeReason: c === undefined ? null : c.reason,
      };
    });
    const alerts: ReportAlert[] = this.#alerts.map((a) => ({
      id: a.id,
      ts: iso(a.ts),
      source: a.source,
      kind: a.kind,
      severity: a.severity,
      title: a.title,
      feed: a.feed ?? null,
      instrument: a.instrument ?? null,
      edgeBps: a.opportunity === undefined ? null : round(a.opportunity.edgeBps),
      sizeUsd: a.opportunity === undefined ? null : round(a.opportunity.sizeUsd, 2),
      deliveredTo: [...(this.#delivered.get(a.id) ?? [])].sort(),
    }));
    return {
      recording,
      window: { from: iso(this.#from), to: iso(this.#to) },
      opportunities,
      alerts,
      totals: totalsOf(opportunities, alerts),
      transport,
    };
  }
}

function totalsOf(opps: readonly ReportOpportunity[], alerts: readonly ReportAlert[]): Record<string, StrategyTotals> {
  const names = [...new Set([...opps.map((o) => o.strategy), ...alerts.map((a) => a.source)])].sort();
  const out: Record<string, StrategyTotals> = {};
  for (const name of names) {
    const mine = opps.filter((o) => o.strategy === name);
    const durations = mine.flatMap((o) => (o.durationMs === null ? [] : [o.durationMs])).sort((a, b) => a - b);
    const theirs = alerts.filter((a) => a.source === name);
    out[name] = {
      opportunities: mine.length,
      alerts: theirs.length,
      delivered: theirs.filter((a) => a.deliveredTo.length > 0).length,
      maxEdgeBps: round(Math.max(0, ...mine.map((o) => o.peakEdgeBps))),
      medianDurationMs: durations.length === 0 ? null : durations[Math.floor((durations.length - 1) / 2)]!,
      profitUsd: round(mine.reduce((s, o) => s + o.profitUsd, 0), 2),
    };
  }
  return out;
}

/** The JSON text written by `--report` (stable key order, trailing newline). */
export function reportJson(report: ReplayReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

/** A plain-text summary: per-strategy table, then the first opportunities. */
export function formatReport(report: ReplayReport, maxRows = 20): string {
  const lines: string[] = [];
  lines.push(`replay of ${report.recording.file}: ${report.recording.rows} rows, ${report.window.from} → ${report.window.to}`);
  const t = report.transport;
  lines.push(`transport: ${t.delivered} delivered, ${t.undelivered} undelivered, ${t.sockets} sockets, REST ${t.restAnswered} answered / ${t.restMissing} missing`);
  const header = ["strategy", "opportunities", "alerts", "delivered", "max edge bps", "median duration ms", "profit usd"];
  const rows = Object.entries(report.totals).map(([name, s]) => [
    name,
    String(s.opportunities),
    String(s.alerts),
    String(s.delivered),
    s.maxEdgeBps.toFixed(2),
    s.medianDurationMs === null ? "-" : String(s.medianDurationMs),
    s.profitUsd.toFixed(2),
  ]);
  lines.push("", ...table(header, rows.length > 0 ? rows : [["(none)", "0", "0", "0", "-", "-", "-"]]));
  if (report.opportunities.length > 0) {
    lines.push("", "opportunities:");
    const shown = report.opportunities.slice(0, maxRows).map((o) => [
      o.openedAt.slice(11, 23),
      o.strategy,
      o.legs.join(" / "),
      o.edgeBps.toFixed(2),
      o.sizeUsd.toFixed(0),
      o.durationMs === null ? "open" : `${o.durationMs} ms`,
    ]);
    lines.push(...table(["time", "strategy", "legs", "edge bps", "size usd", "duration"], shown));
    if (report.opportunities.length > maxRows) lines.push(`… and ${report.opportunities.length - maxRows} more (--report out.json has them all)`);
  }
  return lines.join("\n");
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...rows.map(fmt)];
}
