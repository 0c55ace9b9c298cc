/**
 * The facts every notifier shows, computed once: what, where, edge, size, age of data, link. Each
 * notifier's format.ts only decides the markup, so the message reads the same on every service.
 */
import type { Alert, Opportunity } from "../events.ts";

/** Display strings of one alert; absent fields do not apply. */
export interface AlertFacts {
  readonly what: string;
  readonly where?: string;
  /** One line per opportunity leg: `buy 0.15 BTC-PERP on venue_a @ 64210.5`. */
  readonly legs: readonly string[];
  readonly edge?: string;
  readonly size?: string;
  readonly profit?: string;
  readonly age?: string;
  readonly link?: string;
  /** Alert time as `HH:MM:SS UTC`. */
  readonly time: string;
  /** How long after it was raised the alert is being sent, when that is over 30 s (a notifier was down). */
  readonly late?: string;
}

/** Delivery later than this after the alert was raised is shown as late. */
export const lateAfterMs = 30_000;

/** `1234.5` → `$1,234.50`; large amounts without cents. */
export function formatUsd(x: number): string {
  const abs = Math.abs(x);
  const digits = abs >= 10_000 ? 0 : 2;
  const s = abs.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${x < 0 ? "-" : ""}$${s}`;
}

/** Basis points with one decimal: `12.3 bps`. */
export function formatBps(x: number): string {
  return `${x.toFixed(1)} bps`;
}

/** A data age: `350 ms`, `4.2 s`, `3 min`. */
export function formatAge(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A price with up to 8 significant digits, no exponent. */
export function formatPrice(x: number): string {
  return Number(x.toPrecision(8)).toString();
}

/** `HH:MM:SS UTC` of epoch ms. */
export function formatTime(t: number): string {
  return `${new Date(t).toISOString().slice(11, 19)} UTC`;
}

function legLine(o: Opportunity, i: number): string {
  const l = o.legs[i]!;
  return `${l.side} ${formatPrice(l.size)} ${l.instrument} on ${l.feed} @ ${formatPrice(l.vwap)}`;
}

/** Computes the facts of `alert`; with `now` (the send time), a late delivery is marked. */
export function alertFacts(alert: Alert, now?: number): AlertFacts {
  const o = alert.opportunity;
  const where =
    o !== undefined
      ? [...new Set(o.legs.map((l) => l.feed))].join(" / ")
      : [alert.feed, alert.instrument].filter((x) => x !== undefined).join(" · ") || undefined;
  return {
    what: alert.title,
    ...(where === undefined ? {} : { where }),
    legs: o === undefined ? [] : o.legs.map((_, i) => legLine(o, i)),
    ...(o === undefined ? {} : { edge: formatBps(o.edgeBps), size: formatUsd(o.sizeUsd), profit: formatUsd(o.profitUsd) }),
    ...(alert.dataAgeMs === undefined ? {} : { age: formatAge(alert.dataAgeMs) }),
    ...(alert.url === undefined ? {} : { link: alert.url }),
    time: formatTime(alert.ts),
    ...(now !== undefined && now - alert.ts > lateAfterMs ? { late: formatAge(now - alert.ts) } : {}),
  };
}

/** One short line for a digest: `[critical] title · 12.3 bps · BTC-USDT-SWAP`. */
export function digestLine(alert: Alert): string {
  const parts = [alert.title];
  if (alert.opportunity !== undefined) parts.push(formatBps(alert.opportunity.edgeBps));
  else if (alert.instrument !== undefined) parts.push(alert.instrument);
  const head = alert.severity === "info" ? "" : `[${alert.severity}] `;
  return head + parts.join(" · ");
}
