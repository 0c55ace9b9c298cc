/**
 * `[feeds.<id>]` table of the Kalshi feed. Every endpoint is config; the defaults are Kalshi production.
 * The socket itself needs an API key (docs: the connection is authenticated), read from the environment.
 */
import * as v from "valibot";
import { checkWsConfig, httpUrlEntry, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import { listedTwice } from "../shared/table.ts";

export const KALSHI_WS_URL = "wss://external-api-ws.kalshi.com/trade-api/ws/v2";
export const KALSHI_REST_URL = "https://external-api.kalshi.com/trade-api/v2";

/**
 * Kalshi's general taker fee: `ceil(0.07 × contracts × P × (1 − P))` dollars per order. Signals use the
 * curve without the rounding up to the cent (SIGNALS.md: no rounding in signal math).
 */
export const KALSHI_DEFAULT_TAKER_FEE_RATE = 0.07;

const kalshiTable = v.strictObject({
  ...wsConfigEntries,
  rest_url: httpUrlEntry(KALSHI_REST_URL, `REST base for market metadata (default ${KALSHI_REST_URL})`),
  markets: v.pipe(
    v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]+$/, "a Kalshi market ticker, e.g. FED-23DEC-T3.00"))),
    v.minLength(1),
    v.description("market tickers; each becomes two books, <ticker>:yes and <ticker>:no"),
  ),
  channels: v.optional(
    v.pipe(v.array(v.picklist(["orderbook_delta", "ticker", "trade"])), v.minLength(1), v.description('channels per market (default ["orderbook_delta", "trade"]); ticker alone gives top-of-book quotes instead of books')),
    ["orderbook_delta", "trade"],
  ),
  api_key_id: v.pipe(v.string(), v.minLength(1), v.description('API key id, from the environment: "${KALSHI_API_KEY_ID}"')),
  private_key: v.pipe(v.string(), v.minLength(1), v.description('RSA private key (PEM; "\\n" escapes accepted) of the API key, from the environment: "${KALSHI_PRIVATE_KEY}"')),
  taker_fee_rate: v.optional(
    v.pipe(v.number(), v.minValue(0), v.description(`taker fee curve rate: fee = contracts × rate × P × (1 − P) (default ${KALSHI_DEFAULT_TAKER_FEE_RATE}, Kalshi's general schedule)`)),
    KALSHI_DEFAULT_TAKER_FEE_RATE,
  ),
  fetch_metadata: v.optional(v.pipe(v.boolean(), v.description("read each market's title and close time over REST for market.new (default true)")), true),
  ping_interval_ms: msEntry(15_000, "protocol ping this often (Kalshi also pings every 10 s)"),
  max_per_connection: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("markets per connection (default 100)")), 100),
});

export type KalshiConfig = v.InferOutput<typeof kalshiTable>;

/** The Kalshi feed's strict config schema, cross-field checks included. */
export const kalshiConfigSchema = v.pipe(
  kalshiTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkKalshiConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkKalshiConfig(c: KalshiConfig): string[] {
  const problems = checkWsConfig(c, KALSHI_WS_URL);
  if (!c.private_key.includes("PRIVATE KEY")) problems.push('private_key must be the PEM text of the API key ("-----BEGIN … PRIVATE KEY-----"), from the environment');
  if (!c.channels.includes("orderbook_delta") && !c.channels.includes("ticker")) problems.push('channels must include "orderbook_delta" (books) or "ticker" (top of book only)');
  problems.push(...listedTwice("markets", c.markets));
  return problems;
}
