/**
 * Paradex public market data: `order_book` (snapshot or sequenced deltas), `bbo`, `trades`,
 * `funding_data` and `markets_summary` over JSON-RPC 2.0, SBE-encoded per the published schema.
 */
import { defineFeed } from "../../../core/plugin.ts";
import { paradexConfigSchema } from "./config.ts";
import { startParadexFeed } from "./connection.ts";

/**
 * The Paradex feed plugin (`plugin = "paradex"`).
 *
 * @example
 * [feeds.paradex]
 * instruments = ["BTC-USD-PERP", "ETH-USD-PERP"]
 * channels = ["order_book", "trades", "funding_data"]
 */
export const paradexFeed = defineFeed({
  name: "paradex",
  description: "Paradex perps: order_book/bbo/trades/funding over JSON-RPC, SBE binary frames",
  config: paradexConfigSchema,
  setup: startParadexFeed,
});
