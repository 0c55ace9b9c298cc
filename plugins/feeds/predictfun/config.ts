/**
 * `[feeds.<id>]` table of the Predict.fun feed. Every endpoint is config; the defaults are production.
 */
import * as v from "valibot";
import { checkWsConfig, httpUrlEntry, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import { listedTwice } from "../shared/table.ts";

export const PREDICT_WS_URL = "wss://ws.predict.fun/ws";
export const PREDICT_REST_URL = "https://api.predict.fun";

/**
 * Documented taker fee: `0.005 × min(price, 1 − price) × shares` for a buy (docs.predict.fun "Predict
 * Fees and Limits"; makers pay none). A market's own `feeRateBps` (REST), when present, replaces it.
 */
export const PREDICT_DEFAULT_TAKER_FEE_RATE = 0.005;

const predictTable = v.strictObject({
  ...wsConfigEntries,
  rest_url: httpUrlEntry(PREDICT_REST_URL, `REST base (default ${PREDICT_REST_URL}); paths /v1/markets/{id}[/orderbook]`),
  api_key: v.optional(v.pipe(v.string(), v.minLength(1), v.description('API key, from the environment: "${PREDICT_API_KEY}" (sent as x-api-key on the socket and REST)'))),
  markets: v.pipe(
    v.array(v.pipe(v.string(), v.regex(/^\d+$/, "a Predict.fun market id is a number, e.g. \"5614\""))),
    v.minLength(1),
    v.description("market ids; each becomes two books, <id>:yes and <id>:no"),
  ),
  taker_fee_rate: v.optional(
    v.pipe(v.number(), v.minValue(0), v.description(`taker fee: shares × rate × min(p, 1 − p) (default ${PREDICT_DEFAULT_TAKER_FEE_RATE}); a market's feeRateBps replaces it`)),
    PREDICT_DEFAULT_TAKER_FEE_RATE,
  ),
  decimal_precision: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10), v.description("price decimals used for NO prices until the market's own decimalPrecision is known (default 6)")), 6),
  snapshot_timeout_ms: msEntry(5_000, "no book this long after subscribing: fetch it from GET /v1/markets/{id}/orderbook"),
  fetch_metadata: v.optional(v.pipe(v.boolean(), v.description("read each market's title, precision and fee over REST for market.new (default true)")), true),
  max_per_connection: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("markets per connection (default 100)")), 100),
});

export type PredictConfig = v.InferOutput<typeof predictTable>;

/** The Predict.fun feed's strict config schema, cross-field checks included. */
export const predictConfigSchema = v.pipe(
  predictTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkPredictConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkPredictConfig(c: PredictConfig): string[] {
  const problems = checkWsConfig(c, PREDICT_WS_URL);
  problems.push(...listedTwice("markets", c.markets));
  if (c.stale_after_ms !== 0 && c.stale_after_ms < 15_000) problems.push("stale_after_ms below 15000 would reconnect between two of the venue's 15-second heartbeats");
  return problems;
}
