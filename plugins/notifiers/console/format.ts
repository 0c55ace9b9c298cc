import type { Alert } from "../../../core/events.ts";

const severityMark: Record<Alert["severity"], string> = { info: "ℹ", warning: "⚠", critical: "‼" };

function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/** One readable block per alert: what, where, edge, size, data age. */
export function formatAlertPretty(alert: Alert): string {
  const head = `${severityMark[alert.severity]} [${alert.severity}] ${alert.title}`;
  const lines = [head];
  if (alert.text !== "") lines.push(...alert.text.split("\n").map((l) => `   ${l}`));
  const opp = alert.opportunity;
  if (opp !== undefined && alert.text === "") {
    lines.push(`   edge ${fmt(opp.edgeBps)} bps · size $${fmt(opp.sizeUsd)} · profit $${fmt(opp.profitUsd)}`);
    for (const leg of opp.legs) {
      lines.push(`   ${leg.side} ${fmt(leg.size, 4)} ${leg.instrument} on ${leg.feed} @ ${fmt(leg.vwap, 6)} (worst ${fmt(leg.worstPrice, 6)})`);
    }
  }
  if (alert.dataAgeMs !== undefined) lines.push(`   data age ${Math.round(alert.dataAgeMs)} ms`);
  if (alert.url !== undefined) lines.push(`   ${alert.url}`);
  return lines.join("\n");
}

/** One JSON object per line. */
export function formatAlertJson(alert: Alert): string {
  return JSON.stringify({ type: "alert", ...alert });
}
