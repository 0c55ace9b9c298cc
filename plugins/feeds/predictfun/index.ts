/**
 * Predict.fun market data: the `predictOrderbook/{marketId}` topic (a whole YES-priced book on every
 * change) written as two books per market, `<id>:yes` and `<id>:no`, in USD (0–1) and shares.
 */
import { defineFeed } from "../../../core/plugin.ts";
import { predictConfigSchema } from "./config.ts";
import { startPredictFeed } from "./connection.ts";

/**
 * The Predict.fun feed plugin (`plugin = "predictfun"`).
 *
 * @example
 * [feeds.predict]
 * plugin = "predictfun"
 * markets = ["5614"]
 * api_key = "${PREDICT_API_KEY}"
 */
export const predictfunFeed = defineFeed({
  name: "predictfun",
  description: "Predict.fun: order books per market (YES and NO), heartbeat echo, REST fallback; API key",
  config: predictConfigSchema,
  setup: startPredictFeed,
});
