/**
 * The public API of edgewatch, imported by user plugins as `edgewatch`.
 *
 * @example
 * import { defineStrategy, v } from "edgewatch";
 */
export * as v from "valibot";
export { Bus, scopeBus, type Listener, type ScopedBus, type Unsubscribe } from "./bus.ts";
export { ManualClock, systemClock, type Clock, type TimerHandle } from "./clock.ts";
export { ConfigError, EdgewatchError, FeedError, NotifierError, PluginError, describeError, type ConfigProblem } from "./errors.ts";
export type * from "./events.ts";
export { createLogger, silentLogger, type Logger, type LogLevel } from "./log.ts";
export type { BookSide, BookState, BookView, Freshness, MarketStore, SuppressionReason } from "./market.ts";
export {
  defineFeed,
  defineHealthCheck,
  defineNotifier,
  defineSink,
  defineStrategy,
  isPlugin,
  type AnyPlugin,
  type FeedHandle,
  type FeedStats,
  type HealthSettings,
  type NotifierHandle,
  type PluginContext,
  type PluginHandle,
  type PluginKind,
  type RuntimeView,
} from "./plugin.ts";
export type { HealthCheckHandle, HealthCheckPlugin, HealthContext, HealthEntry, HealthResult } from "./health/types.ts";
export { Fill, walkBook, type SizeUnit, type TakerSide } from "./book/walk.ts";
export type { ApplyResult, ChecksumHook, ResyncReason, TopOfBook } from "./book/book.ts";
export type { FeedWriter, WriterOptions } from "./book/writer.ts";
export {
  QuoteRates,
  formatInstrumentKey,
  parseInstrumentKey,
  quoteCurrency,
  quoteRatesSchema,
  sameMarketExceptQuote,
  type InstrumentKey,
  type InstrumentKind,
  type ParsedKey,
  type QuoteRatesConfig,
} from "./instruments.ts";
export type { BestBidAsk, FeedQuoteStats } from "./quotes.ts";
export type { BookRow, FeedMarketStats, MarketStoreService, QuoteRow } from "./store-types.ts";
// Strategy API (signals, opportunities, gated alerts): see docs/writing-a-strategy.md.
export * from "./signals/index.ts";
export * from "./opportunities.ts";
export * from "./ws/index.ts";
