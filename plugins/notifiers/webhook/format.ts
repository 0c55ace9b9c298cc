/**
 * The JSON body of a webhook delivery, one shape per alert kind under a stable envelope, so a receiver
 * can switch on `kind`. A digest carries every alert it stands for in `items`.
 */
import { digestItems } from "../../../core/alerts/digest.ts";
import { alertFacts } from "../../../core/alerts/facts.ts";
import type { Alert } from "../../../core/events.ts";

/** The envelope (version 1). */
export interface WebhookBody {
  readonly version: 1;
  readonly id: string;
  readonly kind: Alert["kind"];
  readonly severity: Alert["severity"];
  readonly title: string;
  readonly text: string;
  readonly ts: string;
  /** The display facts (what, where, edge, size, age, link), as the chat notifiers show them. */
  readonly summary: ReturnType<typeof alertFacts>;
  /** The alert itself (opportunity alerts include the opportunity with its legs). */
  readonly alert?: Alert;
  /** Digest only: the alerts it stands for. */
  readonly items?: readonly Alert[];
}

/** The body for an opportunity, health, lifecycle or info alert. */
export function formatAlertBody(alert: Alert, now?: number): WebhookBody {
  return { version: 1, id: alert.id, kind: alert.kind, severity: alert.severity, title: alert.title, text: alert.text, ts: new Date(alert.ts).toISOString(), summary: alertFacts(alert, now), alert };
}

/** The body for a digest: the envelope and every item, without repeating them inside `alert`. */
export function formatDigestBody(alert: Alert, now?: number): WebhookBody {
  return { version: 1, id: alert.id, kind: "digest", severity: alert.severity, title: alert.title, text: alert.text, ts: new Date(alert.ts).toISOString(), summary: alertFacts(alert, now), items: digestItems(alert) };
}

/** The body of any alert kind; `now` (the send time) marks a late delivery in `summary.late`. */
export function formatBody(alert: Alert, now?: number): WebhookBody {
  return alert.kind === "digest" ? formatDigestBody(alert, now) : formatAlertBody(alert, now);
}
