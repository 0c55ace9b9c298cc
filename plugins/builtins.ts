/**
 * The built-in plugins: what `plugin = "<name>"` resolves to, `bun run bot plugins` lists, and the JSON
 * Schema covers. A new built-in is added here and nowhere in core/.
 */
import { createRegistry } from "../core/registry.ts";
import { binaryArb } from "../strategies/binary-arb/index.ts";
import { crossPlatform } from "../strategies/cross-platform/index.ts";
import { example } from "../strategies/example/index.ts";
import { marketWatch } from "../strategies/market-watch/index.ts";
import { priceAlert } from "../strategies/price-alert/index.ts";
import { tradeFlow } from "../strategies/trade-flow/index.ts";
import { perpSpread } from "../strategies/perp-spread/index.ts";
import { spreadAlert } from "../strategies/spread-alert/index.ts";
import { binanceFeed } from "./feeds/binance/index.ts";
import { bybitFeed } from "./feeds/bybit/index.ts";
import { demoFeed } from "./feeds/demo/index.ts";
import { hyperliquidFeed } from "./feeds/hyperliquid/index.ts";
import { kalshiFeed } from "./feeds/kalshi/index.ts";
import { okxFeed } from "./feeds/okx/index.ts";
import { paradexFeed } from "./feeds/paradex/index.ts";
import { polymarketRtdsFeed } from "./feeds/polymarket-rtds/index.ts";
import { polymarketFeed } from "./feeds/polymarket/index.ts";
import { predictfunFeed } from "./feeds/predictfun/index.ts";
import { probableFeed } from "./feeds/probable/index.ts";
import { consoleNotifier } from "./notifiers/console/index.ts";
import { discordNotifier } from "./notifiers/discord/index.ts";
import { telegramNotifier } from "./notifiers/telegram/index.ts";
import { webhookNotifier } from "./notifiers/webhook/index.ts";
import { recorderSink } from "./sinks/recorder/index.ts";
import { redisSink } from "./sinks/redis/index.ts";
import { redisFeed } from "./feeds/redis/index.ts";
import { clockSkewCheck } from "./health/clock-skew/index.ts";
import { feedConnectedCheck } from "./health/feed-connected/index.ts";
import { heartbeatCheck } from "./health/heartbeat/index.ts";
import { latencyCheck } from "./health/latency/index.ts";
import { notifierDeliveryCheck } from "./health/notifier-delivery/index.ts";
import { quoteAgeCheck } from "./health/quote-age/index.ts";
import { updateRateCheck } from "./health/update-rate/index.ts";

export const builtinRegistry = createRegistry([
  // feeds
  demoFeed,
  okxFeed,
  hyperliquidFeed,
  paradexFeed,
  binanceFeed,
  bybitFeed,
  polymarketFeed,
  polymarketRtdsFeed,
  kalshiFeed,
  predictfunFeed,
  probableFeed,
  redisFeed,
  // strategies
  binaryArb,
  perpSpread,
  crossPlatform,
  priceAlert,
  spreadAlert,
  tradeFlow,
  marketWatch,
  example,
  // notifiers
  consoleNotifier,
  telegramNotifier,
  discordNotifier,
  webhookNotifier,
  // sinks
  recorderSink,
  redisSink,
  // health checks
  feedConnectedCheck,
  heartbeatCheck,
  updateRateCheck,
  quoteAgeCheck,
  latencyCheck,
  notifierDeliveryCheck,
  clockSkewCheck,
]);
