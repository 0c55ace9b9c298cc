/**
 * Binance USD-M futures public market data: diff `depth` kept in sync with the REST snapshot,
 * `bookTicker`, `aggTrade` and `markPrice` (funding) over combined streams.
 */
import { defineFeed } from "../../../core/plugin.ts";
import { binanceConfigSchema } from "./config.ts";
import { startBinanceFeed } from "./connection.ts";

/**
 * The Binance USD-M feed plugin (`plugin = "binance"`).
 *
 * @example
 * [feeds.binance]
 * instruments = ["BTCUSDT", "ETHUSDT"]
 * channels = ["depth", "aggTrade", "markPrice"]
 */
export const binanceFeed = defineFeed({
  name: "binance",
  description: "Binance USD-M futures: diff depth with REST snapshot sync, bookTicker, aggTrade, markPrice funding",
  config: binanceConfigSchema,
  setup: startBinanceFeed,
});
