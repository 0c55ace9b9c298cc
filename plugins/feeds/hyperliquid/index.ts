/**
 * Hyperliquid market data: l2Book (whole snapshots), bbo, trades, allMids and activeAssetCtx (funding),
 * coins checked against `/info` before subscribing; `k` coins scaled to base units. See
 * docs/venues/hyperliquid.md.
 */
import { defineFeed } from "../../../core/plugin.ts";
import { hlConfigSchema } from "./config.ts";
import { startHlFeed } from "./connection.ts";

/**
 * The `hyperliquid` feed plugin.
 *
 * @example
 * [feeds.hyperliquid]
 * instruments = ["BTC", "ETH", "kPEPE", "xyz:SP500"]
 * channels = ["l2Book", "trades", "activeAssetCtx"]
 */
export const hyperliquidFeed = defineFeed({
  name: "hyperliquid",
  description: "Hyperliquid market data (l2Book snapshots, bbo, trades, allMids, funding), coins checked against /info",
  config: hlConfigSchema,
  setup: startHlFeed,
});
