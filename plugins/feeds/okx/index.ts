/**
 * OKX v5 public market data: tickers, bbo-tbt, books5, books / books-l2-tbt / books50-l2-tbt (seqId
 * sequencing, CRC32 checksum or the 2026 REST-snapshot sync), trades and funding-rate, with sizes in base
 * units (contracts × ctVal). See docs/venues/okx.md.
 */
import { defineFeed } from "../../../core/plugin.ts";
import { okxConfigSchema } from "./config.ts";
import { startOkxFeed } from "./connection.ts";

/**
 * The `okx` feed plugin.
 *
 * @example
 * [feeds.okx]
 * instruments = ["BTC-USDT-SWAP", "ETH-USDT-SWAP"]
 * channels = ["books", "trades", "funding-rate"]
 */
export const okxFeed = defineFeed({
  name: "okx",
  description: "OKX v5 public market data (books with seqId/checksum sync, bbo, tickers, trades, funding)",
  config: okxConfigSchema,
  setup: startOkxFeed,
});
