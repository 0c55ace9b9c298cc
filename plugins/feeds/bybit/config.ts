/**
 * `[feeds.<id>]` table of the Bybit v5 linear (USDT/USDC perpetuals) feed. Every endpoint is config;
 * the defaults are Bybit production.
 */
import * as v from "valibot";
import { checkWsConfig, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import { listedTwice, notionalFeeEntries } from "../shared/table.ts";

export const BYBIT_WS_URL = "wss://stream.bybit.com/v5/public/linear";

/** Topics per symbol: `orderbook` (depth below), `tickers` (top of book + funding), `publicTrade`. */
export const BYBIT_CHANNELS = ["orderbook", "tickers", "publicTrade"] as const;
export type BybitChannel = (typeof BYBIT_CHANNELS)[number];

/** Documented fee defaults (non-VIP derivatives: maker 0.02 %, taker 0.055 %). */
export const BYBIT_DEFAULT_TAKER_FEE_BPS = 5.5;
export const BYBIT_DEFAULT_MAKER_FEE_BPS = 2;

/** Level-1 books are re-pushed every 3 s while unchanged: silence beyond that means the data stopped. */
export const BYBIT_L1_REPUSH_MS = 3_000;

const bybitTable = v.strictObject({
  ...wsConfigEntries,
  instruments: v.pipe(
    v.array(v.pipe(v.string(), v.regex(/^[A-Z0-9]+$/, "a Bybit symbol is upper case, e.g. BTCUSDT"))),
    v.minLength(1),
    v.description("Linear symbols exactly as Bybit writes them: BTCUSDT, ETHUSDT, BTCPERP"),
  ),
  channels: v.optional(v.pipe(v.array(v.picklist(BYBIT_CHANNELS)), v.minLength(1), v.description('Topics per symbol (default ["orderbook"])')), ["orderbook"]),
  orderbook_depth: v.optional(
    v.pipe(v.picklist([1, 50, 200, 1000]), v.description("orderbook depth: 1 (10 ms), 50 (20 ms), 200 (100 ms) or 1000 (200 ms) levels (default 50)")),
    50,
  ),
  ping_interval_ms: msEntry(20_000, 'send {"op":"ping"} this often; Bybit recommends 20 s'),
  pong_timeout_ms: msEntry(10_000, "no pong within this long = dead socket"),
  resync_timeout_ms: msEntry(10_000, "a book still without its snapshot this long after (re)subscribing is resubscribed; 0 = off"),
  max_per_connection: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Topics per connection (default 100)")), 100),
  ...notionalFeeEntries(BYBIT_DEFAULT_TAKER_FEE_BPS, BYBIT_DEFAULT_MAKER_FEE_BPS),
});

export type BybitConfig = v.InferOutput<typeof bybitTable>;

/** The Bybit feed's strict config schema, cross-field checks included. */
export const bybitConfigSchema = v.pipe(
  bybitTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkBybitConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkBybitConfig(c: BybitConfig): string[] {
  const problems = checkWsConfig(c, BYBIT_WS_URL);
  problems.push(...listedTwice("instruments", c.instruments));
  if (c.pong_timeout_ms < 1) problems.push("pong_timeout_ms must be at least 1");
  if (c.ping_interval_ms < 1) problems.push("ping_interval_ms must be at least 1: Bybit closes a socket that stops pinging");
  return problems;
}
