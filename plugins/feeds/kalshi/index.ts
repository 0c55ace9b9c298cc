/**
 * Kalshi market data: `orderbook_delta` (snapshot + signed deltas with `seq`) and public `trade`, over an
 * API-key-signed socket. Each market becomes two books, `<ticker>:yes` and `<ticker>:no`, in dollars
 * (0–1) and contracts (1 contract pays $1, so a contract is a share).
 */
import { defineFeed } from "../../../core/plugin.ts";
import { kalshiConfigSchema } from "./config.ts";
import { startKalshiFeed } from "./connection.ts";

/**
 * The Kalshi feed plugin (`plugin = "kalshi"`).
 *
 * @example
 * [feeds.kalshi]
 * markets = ["FED-26DEC-T4.00"]
 * api_key_id = "${KALSHI_API_KEY_ID}"
 * private_key = "${KALSHI_PRIVATE_KEY}"
 */
export const kalshiFeed = defineFeed({
  name: "kalshi",
  description: "Kalshi: orderbook_delta books (YES and NO per market from bid-only books), trades; signed API key",
  config: kalshiConfigSchema,
  setup: startKalshiFeed,
});
