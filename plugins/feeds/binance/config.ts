/**
 * `[feeds.<id>]` table of the Binance USD-M futures feed. Every endpoint is config; the defaults are
 * Binance production.
 */
import * as v from "valibot";
import { checkWsConfig, httpUrlEntry, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import { listedTwice, notionalFeeEntries } from "../shared/table.ts";

/**
 * Combined-stream endpoints (`{"stream":…,"data":…}` wrapper; streams are added with SUBSCRIBE). USD-M
 * routes streams by path: `/public` carries `@depth` and `@bookTicker`, `/market` carries `@aggTrade` and
 * `@markPrice`; a stream on the wrong path is accepted and never delivered.
 */
export const BINANCE_WS_URL = "wss://fstream.binance.com/public/stream";
export const BINANCE_MARKET_WS_URL = "wss://fstream.binance.com/market/stream";
export const BINANCE_REST_URL = "https://fapi.binance.com";

/** Streams per symbol: `depth` (diff depth + REST snapshot sync), `bookTicker`, `aggTrade`, `markPrice` (funding). */
export const BINANCE_CHANNELS = ["depth", "bookTicker", "aggTrade", "markPrice"] as const;
export type BinanceChannel = (typeof BINANCE_CHANNELS)[number];
export const BINANCE_BOOK_CHANNELS: readonly BinanceChannel[] = ["depth", "bookTicker"];

/** Documented fee defaults (USD-M regular user: maker 0.02 %, taker 0.05 %). */
export const BINANCE_DEFAULT_TAKER_FEE_BPS = 5;
export const BINANCE_DEFAULT_MAKER_FEE_BPS = 2;

/** Binance closes every connection at 24 hours; the feed reconnects on its own a little earlier. */
export const BINANCE_MAX_CONNECTION_MS = 24 * 3_600_000;

const binanceTable = v.strictObject({
  ...wsConfigEntries,
  market_ws_url: v.optional(
    v.pipe(v.string(), v.regex(/^wss?:\/\//, "expected a ws:// or wss:// url"), v.description(`endpoint of the /market streams, aggTrade and markPrice (default ${BINANCE_MARKET_WS_URL})`)),
    BINANCE_MARKET_WS_URL,
  ),
  rest_url: httpUrlEntry(BINANCE_REST_URL, `REST base url (default ${BINANCE_REST_URL})`),
  instruments: v.pipe(
    v.array(v.pipe(v.string(), v.regex(/^[A-Z0-9_]+$/, "a Binance symbol is upper case, e.g. BTCUSDT"))),
    v.minLength(1),
    v.description("USD-M symbols exactly as Binance writes them: BTCUSDT, ETHUSDT"),
  ),
  channels: v.optional(
    v.pipe(v.array(v.picklist(BINANCE_CHANNELS)), v.minLength(1), v.description('Streams per symbol (default ["depth"]); at most one of depth, bookTicker')),
    ["depth"],
  ),
  depth_update_ms: v.optional(v.pipe(v.picklist([100, 250, 500]), v.description("diff depth update speed, ms: 100, 250 or 500 (default 100)")), 100),
  depth_snapshot_limit: v.optional(
    v.pipe(v.picklist([5, 10, 20, 50, 100, 500, 1000]), v.description("levels of the REST depth snapshot /fapi/v1/depth (default 1000)")),
    1000,
  ),
  mark_price_every_ms: v.optional(v.pipe(v.picklist([1000, 3000]), v.description("markPrice stream speed, ms: 1000 or 3000 (default 1000)")), 1000),
  max_per_connection: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200), v.description("Streams per connection (Binance allows 200; default 200)")), 200),
  max_messages_per_s: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10), v.description("Client messages per second per connection (Binance allows 10; default 5)")), 5),
  reconnect_before_ms: msEntry(BINANCE_MAX_CONNECTION_MS - 10 * 60_000, "reconnect a connection this long after it opened, before Binance's 24 h disconnect"),
  ping_interval_ms: msEntry(20_000, "WebSocket protocol ping interval (pongs keep the watchdog fed on quiet symbols)"),
  rest_timeout_ms: msEntry(10_000, "REST request timeout"),
  rest_retry_ms: msEntry(1_000, "wait before retrying a REST depth snapshot"),
  ...notionalFeeEntries(BINANCE_DEFAULT_TAKER_FEE_BPS, BINANCE_DEFAULT_MAKER_FEE_BPS),
});

export type BinanceConfig = v.InferOutput<typeof binanceTable>;

/** The Binance feed's strict config schema, cross-field checks included. */
export const binanceConfigSchema = v.pipe(
  binanceTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkBinanceConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkBinanceConfig(c: BinanceConfig): string[] {
  const problems = checkWsConfig(c, BINANCE_WS_URL);
  const books = c.channels.filter((ch) => BINANCE_BOOK_CHANNELS.includes(ch));
  if (books.length > 1) problems.push(`channels has ${books.join(", ")}: choose one, they would overwrite each other's book`);
  problems.push(...listedTwice("instruments", c.instruments));
  if (c.reconnect_before_ms >= BINANCE_MAX_CONNECTION_MS) problems.push(`reconnect_before_ms (${c.reconnect_before_ms}) must be below 86400000: Binance disconnects at 24 hours`);
  if (c.reconnect_before_ms > 0 && c.reconnect_before_ms < 60_000) problems.push("reconnect_before_ms below one minute would reconnect all the time");
  return problems;
}
