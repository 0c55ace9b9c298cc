/**
 * Discord messages: one embed per alert with the severity colour, figures as fields and a timestamp, one
 * formatter per alert kind. Long text is never cut off: it continues in further embeds and, past 10 embeds
 * or 6000 characters, in further messages. Only a title or field value over its own limit is shortened
 * (the full title then opens the description).
 */
import { digestItems } from "../../../core/alerts/digest.ts";
import { alertFacts, digestLine } from "../../../core/alerts/facts.ts";
import type { Alert, Severity } from "../../../core/events.ts";
import { type DiscordEmbed, type DiscordField, type DiscordPayload, discordLimits as L, embedChars } from "./limits.ts";

const colour: Record<Severity, number> = { info: 0x3498db, warning: 0xf39c12, critical: 0xe74c3c };
const icon: Record<Severity, string> = { info: "🔵", warning: "🟠", critical: "🔴" };

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--; // never leave half a surrogate pair
  return `${s.slice(0, cut)}…`;
}

/** Splits text into chunks of at most `max`, on line boundaries where possible. */
export function chunkText(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const line of text.split("\n")) {
    let rest = line;
    while (rest.length > max) {
      if (cur !== "") {
        out.push(cur);
        cur = "";
      }
      let cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    const next = cur === "" ? rest : `${cur}\n${rest}`;
    if (next.length <= max) cur = next;
    else {
      out.push(cur);
      cur = rest;
    }
  }
  if (cur !== "") out.push(cur);
  return out;
}

/**
 * Escapes Discord markdown in alert text (market names and venue text may hold `*`, `_`, `|`…), so it shows
 * as written. Mentions need no escaping: `allowed_mentions` is empty unless configured.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|[\]])/g, "\\$1").replace(/^([#>-])/gm, "\\$1");
}

function field(name: string, value: string, inline = true): DiscordField {
  return { name: clip(name, L.fieldName), value: clip(value === "" ? "—" : escapeMarkdown(value), L.fieldValue), inline };
}

function headEmbed(alert: Alert, fields: DiscordField[], body: string, now?: number): DiscordEmbed[] {
  const f = alertFacts(alert, now);
  const what = escapeMarkdown(f.what);
  const longTitle = what.length > L.title;
  const description = [longTitle ? what : "", body].filter((s) => s !== "").join("\n");
  const head: DiscordEmbed = {
    title: clip(what, L.title),
    color: colour[alert.severity],
    timestamp: new Date(alert.ts).toISOString(),
    footer: { text: clip(`${alert.source} · ${alert.kind}${f.age === undefined ? "" : ` · data ${f.age} old`}${f.late === undefined ? "" : ` · ⏳ sent ${f.late} late`}`, L.footer) },
    fields: fields.slice(0, L.fields),
  };
  if (f.link !== undefined && /^https?:\/\//i.test(f.link)) head.url = f.link;
  // the first embed keeps room for its title, fields and footer inside the 6000 total
  const firstMax = Math.max(100, Math.min(L.description, L.total - embedChars(head) - 50));
  const chunks = description === "" ? [] : [...chunkText(description, firstMax).slice(0, 1)];
  const rest = description.slice(chunks[0]?.length ?? 0).replace(/^\n/, "");
  if (chunks[0] !== undefined) head.description = chunks[0];
  const more = rest === "" ? [] : chunkText(rest, L.description).map((d) => ({ description: d, color: colour[alert.severity] }));
  return [head, ...more];
}

/** An opportunity: edge, size, profit, legs, where, then the text. */
export function opportunityEmbeds(alert: Alert, now?: number): DiscordEmbed[] {
  const f = alertFacts(alert);
  const fields: DiscordField[] = [];
  if (f.edge !== undefined) fields.push(field("Edge", f.edge), field("Size", f.size ?? ""), field("Profit", f.profit ?? ""));
  if (f.legs.length > 0) fields.push(field("Legs", f.legs.join("\n"), false));
  else if (f.where !== undefined) fields.push(field("Where", f.where));
  if (f.age !== undefined) fields.push(field("Data age", f.age));
  return headEmbed(alert, fields, escapeMarkdown(alert.text), now);
}

/** A health transition: where, then the reason. */
export function healthEmbeds(alert: Alert, now?: number): DiscordEmbed[] {
  const f = alertFacts(alert);
  return headEmbed(alert, f.where === undefined ? [] : [field("Where", f.where)], escapeMarkdown(alert.text), now);
}

/** Lifecycle and plain information: title and text. */
export function lifecycleEmbeds(alert: Alert, now?: number): DiscordEmbed[] {
  return headEmbed(alert, [], escapeMarkdown(alert.text), now);
}

/** A digest: one line per alert (all of them), continued over embeds as needed. */
export function digestEmbeds(alert: Alert, now?: number): DiscordEmbed[] {
  const lines = digestItems(alert).map((a) => `${icon[a.severity]} ${escapeMarkdown(digestLine(a))}${a.url !== undefined && /^https?:\/\//i.test(a.url) ? ` (${a.url})` : ""}`);
  const oldest = digestItems(alert)[0]?.ts ?? alert.ts;
  return headEmbed({ ...alert, title: `📦 ${alert.title}`, ts: oldest }, [], lines.join("\n"), now);
}

/** The embeds of any alert kind. */
export function alertEmbeds(alert: Alert, now?: number): DiscordEmbed[] {
  switch (alert.kind) {
    case "opportunity":
      return opportunityEmbeds(alert, now);
    case "health":
      return healthEmbeds(alert, now);
    case "lifecycle":
    case "info":
      return lifecycleEmbeds(alert, now);
    case "digest":
      return digestEmbeds(alert, now);
  }
}

/**
 * The messages for one alert: a short `content` headline (what a phone notification shows) on the first,
 * embeds packed ≤ 10 and ≤ 6000 characters per message, mentions off unless configured.
 */
export function formatPayloads(alert: Alert, opts: { username?: string; mentions?: readonly string[]; now?: number } = {}): DiscordPayload[] {
  const base = {
    allowed_mentions: { parse: [...(opts.mentions ?? [])] },
    ...(opts.username === undefined ? {} : { username: opts.username }),
  };
  const payloads: DiscordPayload[] = [];
  let embeds: DiscordEmbed[] = [];
  let chars = 0;
  for (const e of alertEmbeds(alert, opts.now)) {
    const n = embedChars(e);
    if (embeds.length > 0 && (embeds.length >= L.embeds || chars + n > L.total)) {
      payloads.push({ ...base, embeds });
      embeds = [];
      chars = 0;
    }
    embeds.push(e);
    chars += n;
  }
  if (embeds.length > 0) payloads.push({ ...base, embeds });
  payloads[0]!.content = clip(`${icon[alert.severity]} ${alert.kind === "digest" ? "📦 " : ""}${escapeMarkdown(alert.title)}`, L.content);
  return payloads;
}
