/**
 * Probable market data by REST polling: each market's two outcome-token books (`GET /public/api/v1/book`)
 * every `poll_interval_ms`, in USD (0–1) and shares, marked as polled in its feed status.
 */
import { defineFeed } from "../../../core/plugin.ts";
import { probableConfigSchema } from "./config.ts";
import { startProbableFeed } from "./connection.ts";

/**
 * The Probable feed plugin (`plugin = "probable"`).
 *
 * @example
 * [feeds.probable]
 * markets = ["456"]
 * poll_interval_ms = 2000
 */
export const probableFeed = defineFeed({
  name: "probable",
  description: "Probable: outcome-token order books polled over REST (paced, staleness by poll cadence)",
  config: probableConfigSchema,
  setup: startProbableFeed,
});
