/**
 * `[feeds.<id>]` table of the Probable feed. Probable documents its order books over REST; its WebSocket
 * is documented only through its SDK (no wire format), so the feed polls, at a configurable interval
 * and request rate (docs/protocols/probable.md).
 */
import * as v from "valibot";
import { httpUrlEntry, msEntry } from "../../../core/ws/config.ts";
import { listedTwice } from "../shared/table.ts";

export const PROBABLE_REST_URL = "https://api.probable.markets";
export const PROBABLE_MARKET_API_URL = "https://market-api.probable.markets";

/**
 * Taker fee in basis points, applied as `shares × bps/10⁴ × min(p, 1 − p)` (the CTF exchange formula its
 * orders' `feeRateBps` feeds). Docs: an order's feeRateBps "must be 175-1000"; the rate charged per market
 * is not published, so the default is that floor. Raise it when a market charges more.
 */
export const PROBABLE_DEFAULT_TAKER_FEE_BPS = 175;

const probableTable = v.strictObject({
  rest_url: httpUrlEntry(PROBABLE_REST_URL, `order book API (default ${PROBABLE_REST_URL})`),
  market_api_url: httpUrlEntry(PROBABLE_MARKET_API_URL, `market API (default ${PROBABLE_MARKET_API_URL})`),
  markets: v.pipe(v.array(v.pipe(v.string(), v.regex(/^\d+$/, 'a Probable market id is a number, e.g. "456"'))), v.minLength(1), v.description("market ids; each market's two outcome tokens are polled")),
  poll_interval_ms: msEntry(2_000, "one round of book requests this often", 100),
  max_requests_per_s: v.optional(v.pipe(v.number(), v.minValue(0.1), v.description("request pacing; Probable publishes no limit (default 10)")), 10),
  request_timeout_ms: msEntry(5_000, "one book request gives up after this long", 100),
  stale_after_polls: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("a book not refreshed for this many intervals is stale (default 3)")), 3),
  taker_fee_bps: v.optional(v.pipe(v.number(), v.minValue(0), v.description(`taker fee: shares × bps/10⁴ × min(p, 1 − p) (default ${PROBABLE_DEFAULT_TAKER_FEE_BPS}, the documented floor)`)), PROBABLE_DEFAULT_TAKER_FEE_BPS),
});

export type ProbableConfig = v.InferOutput<typeof probableTable>;

/** The Probable feed's strict config schema, cross-field checks included. */
export const probableConfigSchema = v.pipe(
  probableTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkProbableConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkProbableConfig(c: ProbableConfig): string[] {
  const problems: string[] = [];
  problems.push(...listedTwice("markets", c.markets));
  const roundMs = (2 * c.markets.length * 1000) / c.max_requests_per_s;
  if (roundMs > c.poll_interval_ms * c.stale_after_polls) {
    problems.push(`${c.markets.length} markets need ${Math.ceil(roundMs)} ms per round at max_requests_per_s ${c.max_requests_per_s}, longer than stale_after_polls × poll_interval_ms: every book would go stale`);
  }
  return problems;
}
