/**
 * Bybit v5 linear perpetuals public market data: `orderbook` (1/50/200/1000), `tickers` (funding and
 * top of book, snapshot + delta merge) and `publicTrade`.
 */
import { defineFeed } from "../../../core/plugin.ts";
import { bybitConfigSchema } from "./config.ts";
import { startBybitFeed } from "./connection.ts";

/**
 * The Bybit v5 linear feed plugin (`plugin = "bybit"`).
 *
 * @example
 * [feeds.bybit]
 * instruments = ["BTCUSDT", "ETHUSDT"]
 * channels = ["orderbook", "tickers", "publicTrade"]
 */
export const bybitFeed = defineFeed({
  name: "bybit",
  description: "Bybit v5 linear perps: orderbook snapshot/delta, tickers funding, publicTrade",
  config: bybitConfigSchema,
  setup: startBybitFeed,
});
