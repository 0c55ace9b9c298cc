/**
 * HTTP errors: every failure answers JSON `{ "error": { "code", "message" } }` with a stable code. An
 * unexpected error answers 500 `INTERNAL` with a fixed sentence; its text goes to the log (redacted),
 * never to the client: no stack trace, no secret, no file path.
 */
import { EdgewatchError } from "../errors.ts";

/** An error the API means to answer with: its status, code and a message safe to show. */
export class HttpError extends EdgewatchError {
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(status: number, code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message);
    this.status = status;
    this.details = details;
  }
}

/** A JSON response with no-store caching (every answer is live state). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** The JSON error body of the API. */
export function errorResponse(status: number, code: string, message: string, details?: Readonly<Record<string, unknown>>, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message, ...(details ?? {}) } }, status, headers);
}

/** The answer to an unexpected error: a fixed sentence, nothing from the error itself. */
export function internalError(): Response {
  return errorResponse(500, "INTERNAL", "internal error; the bot's log has the details");
}
