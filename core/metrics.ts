/**
 * Prometheus text exposition (format 0.0.4) of the SURFACE.md metrics, prefix `edgewatch_`. Label
 * values come only from the config (feed, strategy, notifier and plugin ids), fixed reason and outcome
 * words, and at most `quoteAgeTopN` instruments, so cardinality stays bounded however many instruments
 * a feed carries.
 */
import type { Bus, Unsubscribe } from "./bus.ts";
import type { Clock } from "./clock.ts";
import type { Opportunity } from "./events.ts";
import type { HttpSources } from "./http/sources.ts";
import type { MarketStore } from "./market.ts";

/** Default bucket bounds of `edgewatch_frame_to_signal_seconds`, seconds. */
export const signalBuckets: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A cumulative histogram (Prometheus semantics), O(buckets) per observation, no allocation. */
export class Histogram {
  readonly bounds: readonly number[];
  readonly #counts: Float64Array;
  count = 0;
  sum = 0;

  constructor(bounds: readonly number[] = signalBuckets) {
    this.bounds = [...bounds].sort((a, b) => a - b);
    this.#counts = new Float64Array(this.bounds.length);
  }

  /** Records one value (seconds). */
  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    const x = Math.max(0, value);
    for (let i = 0; i < this.bounds.length; i++) if (x <= this.bounds[i]!) this.#counts[i]!++;
    this.count++;
    this.sum += x;
  }

  /** Cumulative count at or under bound `i`. */
  bucket(i: number): number {
    return this.#counts[i] ?? 0;
  }
}

/**
 * Observes frame-to-signal time: at each `opportunity.open` and `opportunity.update`, the time since the
 * newest book among its legs was received (so a debounced open includes its debounce).
 *
 * @example
 * const h = new Histogram();
 * const off = watchSignalLatency(bus, store, clock, h);
 */
export function watchSignalLatency(bus: Bus, store: MarketStore, clock: Clock, histogram: Histogram): Unsubscribe {
  const observe = (o: Opportunity): void => {
    let newest = Number.NaN;
    for (const leg of o.legs) {
      const book = store.book(leg.feed, leg.instrument);
      if (book !== undefined && !(book.tsRecv <= newest)) newest = book.tsRecv;
    }
    if (newest === newest) histogram.observe((clock.now() - newest) / 1000);
  };
  const offOpen = bus.on("opportunity.open", observe, "metrics");
  const offUpdate = bus.on("opportunity.update", observe, "metrics");
  const off = (() => {
    offOpen();
    offUpdate();
  }) as Unsubscribe;
  off[Symbol.dispose] = off;
  return off;
}

/** Options of `renderMetrics`. */
export interface MetricsOptions {
  /** How many of the oldest quotes get an `edgewatch_quote_age_seconds` series. Default 20. */
  readonly quoteAgeTopN?: number;
}

type Labels = Readonly<Record<string, string>>;

class Writer {
  readonly lines: string[] = [];

  family(name: string, type: "gauge" | "counter" | "histogram", help: string): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }

  sample(name: string, labels: Labels, value: number): void {
    const keys = Object.keys(labels);
    const text = keys.length === 0 ? "" : `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",")}}`;
    this.lines.push(`${name}${text} ${formatValue(value)}`);
  }
}

/** Escapes a label value: backslash, double quote and newline (exposition format). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));
}

/** Renders every metric as Prometheus text. */
export function renderMetrics(s: HttpSources, options: MetricsOptions = {}): string {
  const w = new Writer();
  const now = s.clock.now();
  const feeds = s.view.feeds();

  w.family("edgewatch_feed_up", "gauge", "1 while the feed is live or degraded (usable), else 0.");
  for (const f of feeds) w.sample("edgewatch_feed_up", { feed: f.id }, f.state === "live" || f.state === "degraded" ? 1 : 0);
  w.family("edgewatch_feed_messages_total", "counter", "Frames received from the venue, every connection of the feed.");
  for (const f of feeds) w.sample("edgewatch_feed_messages_total", { feed: f.id }, f.messages);
  w.family("edgewatch_feed_errors_total", "counter", "Feed errors by kind: feed = socket and malformed-frame errors the feed counted, listener = its bus listeners that threw.");
  const pluginErrors = s.pluginErrors();
  for (const f of feeds) {
    w.sample("edgewatch_feed_errors_total", { feed: f.id, kind: "feed" }, f.errors);
    w.sample("edgewatch_feed_errors_total", { feed: f.id, kind: "listener" }, pluginErrors.get(f.id) ?? 0);
  }
  w.family("edgewatch_feed_reconnects_total", "counter", "Successful re-opens of the feed's connections.");
  for (const f of feeds) w.sample("edgewatch_feed_reconnects_total", { feed: f.id }, f.reconnects);
  w.family("edgewatch_feed_resyncs_total", "counter", "Books sent to resync, by reason (gap, checksum, crossed, …).");
  for (const f of feeds) {
    const byReason = s.store.feedStats(f.id)?.resyncs ?? {};
    const reasons = Object.keys(byReason).sort();
    let counted = 0;
    for (const r of reasons) {
      counted += byReason[r]!;
      w.sample("edgewatch_feed_resyncs_total", { feed: f.id, reason: r }, byReason[r]!);
    }
    if (f.resyncs > counted) w.sample("edgewatch_feed_resyncs_total", { feed: f.id, reason: "connection" }, f.resyncs - counted);
  }
  w.family("edgewatch_feed_last_message_age_seconds", "gauge", "Seconds since any connection of the feed last received anything.");
  for (const f of feeds) if (f.lastMessageAgeMs !== null) w.sample("edgewatch_feed_last_message_age_seconds", { feed: f.id }, f.lastMessageAgeMs / 1000);

  const topN = Math.max(0, options.quoteAgeTopN ?? 20);
  w.family("edgewatch_quote_age_seconds", "gauge", `Age of the ${topN} oldest books (bounded cardinality), seconds since the book last changed.`);
  for (const b of oldestBooks(s, now, topN)) w.sample("edgewatch_quote_age_seconds", { feed: b.feed, instrument: b.instrument }, b.ageMs / 1000);

  const h = s.frameToSignal;
  w.family("edgewatch_frame_to_signal_seconds", "histogram", "From the receive of the newest frame a signal is built on to the signal (open or update).");
  h.bounds.forEach((bound, i) => w.sample("edgewatch_frame_to_signal_seconds_bucket", { le: formatValue(bound) }, h.bucket(i)));
  w.sample("edgewatch_frame_to_signal_seconds_bucket", { le: "+Inf" }, h.count);
  w.sample("edgewatch_frame_to_signal_seconds_sum", {}, h.sum);
  w.sample("edgewatch_frame_to_signal_seconds_count", {}, h.count);

  const ledger = s.ledger();
  w.family("edgewatch_opportunities_open", "gauge", "Open opportunities per strategy.");
  const strategies = new Set([...s.strategies(), ...Object.keys(ledger.open)]);
  for (const id of [...strategies].sort()) w.sample("edgewatch_opportunities_open", { strategy: id }, ledger.open[id] ?? 0);
  w.family("edgewatch_signals_suppressed_total", "counter", "Would-be signals held back, per strategy and reason (stale, resyncing, crossed, feed_down, late, …).");
  for (const r of [...ledger.suppressed].sort((a, b) => a.strategy.localeCompare(b.strategy) || a.reason.localeCompare(b.reason))) {
    w.sample("edgewatch_signals_suppressed_total", { strategy: r.strategy, reason: r.reason }, r.count);
  }

  const alerts = s.view.alertStats?.();
  w.family("edgewatch_alerts_total", "counter", "Alerts per notifier and outcome (delivered, failed, retried, suppressed, expired, ambiguous).");
  for (const [notifier, outcomes] of Object.entries(alerts?.totals ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [outcome, n] of Object.entries(outcomes)) w.sample("edgewatch_alerts_total", { notifier, outcome }, n);
  }
  w.family("edgewatch_alert_outbox_pending", "gauge", "Alerts waiting in the durable outbox.");
  w.sample("edgewatch_alert_outbox_pending", {}, alerts?.pending ?? 0);

  w.family("edgewatch_plugin_errors_total", "counter", "Listener, setup and stop errors per plugin instance.");
  for (const [plugin, n] of [...pluginErrors].sort(([a], [b]) => a.localeCompare(b))) w.sample("edgewatch_plugin_errors_total", { plugin }, n);

  w.family("edgewatch_health_status", "gauge", "Health check verdict per check and subject: 0 ok, 1 degraded, 2 down.");
  for (const e of s.healthEntries()) w.sample("edgewatch_health_status", { check: e.check, subject: e.subject }, e.status === "ok" ? 0 : e.status === "degraded" ? 1 : 2);
  return `${w.lines.join("\n")}\n`;
}

/** The `n` oldest synced books, oldest first (a bounded selection: no sort of every book). */
function oldestBooks(s: HttpSources, now: number, n: number): { feed: string; instrument: string; ageMs: number }[] {
  if (n === 0) return [];
  const top: { feed: string; instrument: string; ageMs: number }[] = [];
  for (const b of s.store.books()) {
    const ageMs = now - b.tsRecv;
    if (top.length === n && ageMs <= top[top.length - 1]!.ageMs) continue;
    let i = top.length;
    while (i > 0 && top[i - 1]!.ageMs < ageMs) i--;
    top.splice(i, 0, { feed: b.feed, instrument: b.instrument, ageMs });
    if (top.length > n) top.pop();
  }
  return top;
}
