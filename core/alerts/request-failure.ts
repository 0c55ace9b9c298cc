/**
 * What a failed HTTP request to a notification service means for delivery: a request that never left
 * (connection refused, no such host, TLS refused) certainly did not arrive; a timeout or a connection lost
 * after it was sent may have arrived — an *ambiguous* outcome, which the router resends at most once.
 */

/** Error codes of a request that failed before anything was sent. */
const notSentCodes = new Set([
  "ECONNREFUSED",
  "ConnectionRefused",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "FailedToOpenSocket",
  "UnableToConnect",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** A failed request, described without its URL (which may hold a token). */
export interface RequestFailure {
  /** "timed out after 300 ms", "network error (ECONNRESET)". */
  readonly what: string;
  /** True when the request may have reached the service. */
  readonly ambiguous: boolean;
}

/**
 * Classifies an error thrown by `fetch`: `timedOut` when our own timeout aborted it. Anything not known to
 * have failed before sending counts as ambiguous (a duplicate is better than a lost alert, once).
 *
 * @example
 * const f = requestFailure(error, timeout.aborted); // { what: "timed out after 10000 ms", ambiguous: true }
 */
export function requestFailure(error: unknown, timedOut: boolean, timeoutMs: number): RequestFailure {
  if (timedOut) return { what: `timed out after ${timeoutMs} ms`, ambiguous: true };
  const code = error !== null && typeof error === "object" && "code" in error && typeof error.code === "string" ? error.code : undefined;
  const label = code ?? (error instanceof Error ? error.name : "unknown");
  return { what: `network error (${label})`, ambiguous: code === undefined || !notSentCodes.has(code) };
}
