/**
 * Validation of route params and query strings (valibot). A bad value answers 400 `BAD_REQUEST` naming
 * the parameter, what was expected and what was found.
 */
import * as v from "valibot";
import { HttpError } from "./errors.ts";

const idPart = v.pipe(v.string(), v.minLength(1), v.maxLength(256), v.regex(/^[^\u0000-\u001f]+$/, "no control characters"));

/** An integer query parameter within [min, max], or `fallback` when absent. */
export function intQuery(query: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = query[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new HttpError(400, "BAD_REQUEST", `${name}: expected an integer from ${min} to ${max}, found "${raw.slice(0, 40)}"`);
  }
  return n;
}

/** A feed or instrument id from the path (the router has URL-decoded it once; it is not decoded again). */
export function idParam(value: string | undefined, name: string): string {
  const parsed = v.safeParse(idPart, value ?? "");
  if (!parsed.success) throw new HttpError(400, "BAD_REQUEST", `${name}: expected 1 to 256 printable characters`);
  return parsed.output;
}

const muteBody = v.strictObject({
  minutes: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(7 * 24 * 60))),
  until_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

/** `POST /api/control/mute` body: `{ "minutes": 30 }` or `{ "until_ms": <epoch ms> }`; empty = 60 minutes. */
export function muteUntil(body: unknown, now: number): number {
  const value = body === undefined || body === null || body === "" ? {} : body;
  const parsed = v.safeParse(muteBody, value);
  if (!parsed.success) {
    throw new HttpError(400, "BAD_REQUEST", 'body: expected {"minutes": <0..10080>} or {"until_ms": <epoch ms>}');
  }
  if (parsed.output.until_ms !== undefined) return parsed.output.until_ms;
  return now + (parsed.output.minutes ?? 60) * 60_000;
}
