/** Answers to chat commands, in HTML parse mode, short enough for a phone. */
import { formatAge, formatBps, formatTime, formatUsd } from "../../../core/alerts/facts.ts";
import type { FeedState, Opportunity } from "../../../core/events.ts";
import type { FeedRow, RuntimeView } from "../../../core/plugin.ts";
import { escapeHtml } from "./format.ts";

const stateIcon: Record<FeedState, string> = {
  live: "🟢",
  degraded: "🟡",
  connecting: "⚪",
  reconnecting: "🟠",
  stale: "🟠",
  stopped: "⚫",
  faulted: "🔴",
};

/** `/status`: feeds up, open opportunities, mute state, last alert. */
export function formatStatus(view: RuntimeView, botName: string, now: number): string {
  const feeds = view.feeds();
  const live = feeds.filter((f) => f.state === "live").length;
  const opps = view.opportunities();
  const muted = view.mutedUntil();
  const last = view.recentAlerts(1)[0];
  const lines = [
    `<b>${escapeHtml(botName)}</b> status`,
    `feeds: <b>${live}</b>/${feeds.length} live${feeds.length > live ? ` (${feeds.filter((f) => f.state !== "live").map((f) => escapeHtml(f.id)).join(", ")} not)` : ""}`,
    `open opportunities: <b>${opps.length}</b>`,
    muted > now ? `alerts: 🔕 muted until ${formatTime(muted)}` : "alerts: 🔔 on",
  ];
  if (last !== undefined) lines.push(`last alert: ${escapeHtml(last.alert.title)} (${formatAge(Math.max(0, now - last.alert.ts))} ago)`);
  return lines.join("\n");
}

/** `/feeds`: one line per feed with its state, last message age and counters. */
export function formatFeeds(feeds: readonly FeedRow[]): string {
  if (feeds.length === 0) return "No feeds configured.";
  return [
    "<b>Feeds</b>",
    ...feeds.map((f) => {
      const age = f.lastMessageAgeMs === null ? "no data yet" : `last msg ${formatAge(f.lastMessageAgeMs)} ago`;
      const why = f.reasons.length > 0 && f.state !== "live" ? `\n   ${escapeHtml(f.reasons.join("; "))}` : "";
      return `${stateIcon[f.state]} <b>${escapeHtml(f.id)}</b> ${f.state} · ${age} · ${f.messages} msgs · ${f.reconnects} reconnects${why}`;
    }),
  ].join("\n");
}

/** `/opps`: the ten best open opportunities by edge. */
export function formatOpps(opps: readonly Opportunity[], now: number): string {
  if (opps.length === 0) return "No open opportunities.";
  const best = [...opps].sort((a, b) => b.edgeBps - a.edgeBps).slice(0, 10);
  const lines = [`<b>Open opportunities</b> (${opps.length}${opps.length > best.length ? `, best ${best.length}` : ""})`];
  for (const o of best) {
    const legs = o.legs.map((l) => `${l.side} ${l.instrument}@${l.feed}`).join(" / ");
    lines.push(`• <b>${escapeHtml(formatBps(o.edgeBps))}</b> ${escapeHtml(o.strategy)} · ${escapeHtml(formatUsd(o.sizeUsd))} · ${escapeHtml(legs)} · open ${formatAge(Math.max(0, now - o.openedAt))}`);
  }
  return lines.join("\n");
}

/** `/help`: the commands. */
export function formatHelp(): string {
  return [
    "<b>Commands</b>",
    "/status – feeds, open opportunities, mute state",
    "/feeds – each feed's state and data age",
    "/opps – best open opportunities",
    "/mute [30m|2h|1d] – silence alerts (default 1 h)",
    "/unmute – resume alerts",
    "/help – this list",
  ].join("\n");
}
