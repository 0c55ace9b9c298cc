/**
 * Frame-reading helpers several feeds share: a socket frame as text, the `malformed` descriptor, reading
 * a text frame as a JSON object, and mapping a venue's taker-side literals. PURE: no I/O, no clock; safe
 * to import from any feed's parse.ts.
 */
import type { Trade } from "../../../core/events.ts";

const utf8 = new TextDecoder();

/**
 * A socket frame as text: a text frame as is, a binary one decoded as UTF-8 (invalid bytes become U+FFFD).
 *
 * @example
 * parseVenueFrame(frameText(data), ctx.id, tsRecv, lookup);
 */
export function frameText(data: string | Uint8Array): string {
  return typeof data === "string" ? data : utf8.decode(data);
}

/** How much of a refused frame a `malformed` descriptor keeps, unless a feed says otherwise. */
export const MALFORMED_DETAIL_CHARS = 120;

/** A frame (or part of one) the parser refused: the shape name (counted, logged once) and a cut of it. */
export interface Malformed {
  readonly kind: "malformed";
  readonly shape: string;
  readonly detail: string;
}

/**
 * The `malformed` descriptor for `shape`, keeping the first `maxChars` characters of `text`.
 *
 * @example
 * malformed("no topic", text); // { kind: "malformed", shape: "no topic", detail: text.slice(0, 120) }
 */
export function malformed(shape: string, text: string, maxChars: number = MALFORMED_DETAIL_CHARS): Malformed {
  return { kind: "malformed", shape, detail: text.slice(0, maxChars) };
}

/** A text frame read as a JSON object, or why it is not one. */
export type JsonObjectRead = { readonly object: Record<string, unknown> } | { readonly malformed: Malformed };

/**
 * Reads `text` as a JSON object: `not json` when it does not parse, `not an object` when it parses to
 * null, a scalar or an array (the descriptor keeps the first `maxChars` characters of `text`).
 *
 * @example
 * const read = readJsonObject(text);
 * if ("malformed" in read) return [read.malformed];
 * const m = read.object;
 */
export function readJsonObject(text: string, maxChars: number = MALFORMED_DETAIL_CHARS): JsonObjectRead {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { malformed: malformed("not json", text, maxChars) };
  }
  if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return { malformed: malformed("not an object", text, maxChars) };
  return { object: msg as Record<string, unknown> };
}

/**
 * The taker side from a venue's literal: `buy` / `sell` when `raw` is exactly that venue's literal,
 * `unknown` otherwise.
 *
 * @example
 * takerSide("BUY", "BUY", "SELL"); // "buy"
 * takerSide("Bid", "BUY", "SELL"); // "unknown"
 */
export function takerSide(raw: unknown, buy: string, sell: string): Trade["side"] {
  if (raw === buy) return "buy";
  if (raw === sell) return "sell";
  return "unknown";
}
