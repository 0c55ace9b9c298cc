/**
 * Telegram messages in HTML parse mode, one formatter per alert kind, written for a phone screen: the
 * headline first, then edge / size / legs, data age, and a link to the market. Every piece of alert text is
 * escaped; every line closes the tags it opens, so a message can be split between any two lines.
 */
import { digestItems } from "../../../core/alerts/digest.ts";
import { type AlertFacts, alertFacts, digestLine } from "../../../core/alerts/facts.ts";
import type { Alert, Severity } from "../../../core/events.ts";

/** The service's limit on one message. */
export const maxMessageLength = 4096;

const icon: Record<Severity, string> = { info: "🔵", warning: "🟠", critical: "🔴" };

/** Escapes text for HTML parse mode (`<`, `>`, `&`, and `"` for attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : "&quot;"));
}

function link(url: string | undefined, label: string): string[] {
  if (url === undefined || !/^https?:\/\//i.test(url)) return [];
  return [`<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`];
}

/** The closing line: data age, alert time, and how late it is being sent if it is. */
function footer(f: AlertFacts, age?: "data" | "last data"): string {
  const parts: string[] = [];
  if (age !== undefined && f.age !== undefined) parts.push(age === "data" ? `data ${f.age} old` : `last data ${f.age} ago`);
  parts.push(f.time);
  if (f.late !== undefined) parts.push(`⏳ sent ${f.late} late`);
  return `<i>${escapeHtml(parts.join(" · "))}</i>`;
}

function textLines(text: string): string[] {
  return text === "" ? [] : text.split("\n").map(escapeHtml);
}

/** An opportunity: headline, edge · size · profit, one line per leg, data age and time, market link. */
export function formatOpportunity(alert: Alert, now?: number): string {
  const f = alertFacts(alert, now);
  const lines = [`${icon[alert.severity]} <b>${escapeHtml(f.what)}</b>`];
  const figures = [f.edge && `edge <b>${escapeHtml(f.edge)}</b>`, f.size && `size ${escapeHtml(f.size)}`, f.profit && `profit ${escapeHtml(f.profit)}`];
  if (figures.some(Boolean)) lines.push(figures.filter(Boolean).join(" · "));
  for (const leg of f.legs) lines.push(`• ${escapeHtml(leg)}`);
  if (f.legs.length === 0 && f.where !== undefined) lines.push(`📍 ${escapeHtml(f.where)}`);
  lines.push(...textLines(alert.text));
  lines.push(footer(f, "data"));
  lines.push(...link(f.link, "open market"));
  return lines.join("\n");
}

/** A health transition: what and where, the reason, time. */
export function formatHealth(alert: Alert, now?: number): string {
  const f = alertFacts(alert, now);
  const lines = [`${icon[alert.severity]} <b>${escapeHtml(f.what)}</b>`];
  if (f.where !== undefined) lines.push(`📍 ${escapeHtml(f.where)}`);
  lines.push(...textLines(alert.text));
  lines.push(footer(f, "last data"));
  lines.push(...link(f.link, "details"));
  return lines.join("\n");
}

/** Bot lifecycle and plain information: headline and text. */
export function formatLifecycle(alert: Alert, now?: number): string {
  const f = alertFacts(alert, now);
  return [`${alert.kind === "lifecycle" ? "⚙️" : icon[alert.severity]} <b>${escapeHtml(f.what)}</b>`, ...textLines(alert.text), footer(f), ...link(f.link, "details")].join("\n");
}

/** A digest: how many, the worst severity, then one line per alert (every alert is listed). */
export function formatDigest(alert: Alert, now?: number): string {
  const items = digestItems(alert);
  const oldest = items[0]?.ts;
  const late = now !== undefined && oldest !== undefined ? alertFacts({ ...alert, ts: oldest }, now).late : undefined;
  const lines = [`📦 <b>${escapeHtml(alert.title)}</b> (sent together: too many at once for the chat)${late === undefined ? "" : ` · ⏳ oldest ${escapeHtml(late)} late`}`];
  for (const a of items) {
    const url = a.url !== undefined && /^https?:\/\//i.test(a.url) ? ` <a href="${escapeHtml(a.url)}">↗</a>` : "";
    lines.push(`${icon[a.severity]} ${escapeHtml(digestLine(a))}${url}`);
  }
  return lines.join("\n");
}

/** The message for any alert kind; `now` (the send time) marks a late delivery. */
export function formatAlert(alert: Alert, now?: number): string {
  switch (alert.kind) {
    case "opportunity":
      return formatOpportunity(alert, now);
    case "health":
      return formatHealth(alert, now);
    case "lifecycle":
    case "info":
      return formatLifecycle(alert, now);
    case "digest":
      return formatDigest(alert, now);
  }
}

const tagRe = /<(\/?)([a-z-]+)[^<>]*>/y;
const entityRe = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/iy;

/**
 * Cuts one over-long line into pieces of at most `limit` characters, never inside a tag, an entity or a
 * surrogate pair; tags open at a cut are closed before it and reopened after it.
 */
function cutLine(line: string, limit: number): string[] {
  const out: string[] = [];
  const open: { name: string; tag: string }[] = [];
  const closers = (): string => open.map((t) => `</${t.name}>`).reverse().join("");
  const reopen = (): string => open.map((t) => t.tag).join("");
  let piece = "";
  let i = 0;
  while (i < line.length) {
    let token: string;
    let kind: "open" | "close" | "text" = "text";
    let name = "";
    tagRe.lastIndex = i;
    entityRe.lastIndex = i;
    const tag = line[i] === "<" ? tagRe.exec(line) : null;
    const entity = line[i] === "&" ? entityRe.exec(line) : null;
    if (tag !== null) {
      token = tag[0];
      kind = tag[1] === "/" ? "close" : "open";
      name = tag[2]!;
    } else if (entity !== null) {
      token = entity[0];
    } else {
      const code = line.charCodeAt(i);
      token = code >= 0xd800 && code <= 0xdbff && i + 1 < line.length ? line.slice(i, i + 2) : line[i]!;
    }
    // closing tags are already counted in `closers()`, so a cut never lands before one
    if (kind !== "close" && piece.length + token.length + closers().length > limit && piece.length > reopen().length) {
      out.push(piece + closers());
      piece = reopen();
    }
    piece += token;
    i += token.length;
    if (kind === "open") open.push({ name, tag: token });
    else if (kind === "close") open.pop();
  }
  if (piece !== "") out.push(piece);
  return out;
}

/**
 * Splits a message into parts of at most `limit` characters, on line boundaries; only a single line longer
 * than the limit is cut inside (see `cutLine`). Parts are never empty.
 */
export function splitMessage(html: string, limit = maxMessageLength): string[] {
  const parts: string[] = [];
  let current = "";
  for (const raw of html.split("\n")) {
    const pieces = raw.length > limit ? cutLine(raw, limit - 16) : [raw];
    for (const line of pieces) {
      const next = current === "" ? line : `${current}\n${line}`;
      if (next.length <= limit) {
        current = next;
        continue;
      }
      if (current.trim() !== "") parts.push(current);
      current = line;
    }
  }
  if (current.trim() !== "") parts.push(current);
  return parts;
}
