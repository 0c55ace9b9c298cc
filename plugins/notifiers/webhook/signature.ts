/**
 * Webhook signatures: `X-Edgewatch-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
 * timestamp (epoch ms) in `X-Edgewatch-Timestamp`. Receivers verify with `verifySignature` (or the same
 * three lines in their language) and reject old timestamps to stop replays.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const signatureHeader = "x-edgewatch-signature";
export const timestampHeader = "x-edgewatch-timestamp";

/** `sha256=<hex>` for `body` sent at `timestampMs`. */
export function signPayload(secret: string, timestampMs: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampMs}.${body}`).digest("hex")}`;
}

/**
 * True when `signature` signs `body` at `timestampMs` and the timestamp is within `toleranceMs` of `now`.
 *
 * @example
 * verifySignature(secret, Number(req.headers.get("x-edgewatch-timestamp")), await req.text(), req.headers.get("x-edgewatch-signature") ?? "")
 */
export function verifySignature(secret: string, timestampMs: number, body: string, signature: string, toleranceMs = 300_000, now = Date.now()): boolean {
  if (!Number.isFinite(timestampMs) || Math.abs(now - timestampMs) > toleranceMs) return false;
  const expected = Buffer.from(signPayload(secret, timestampMs, body));
  const got = Buffer.from(signature);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
