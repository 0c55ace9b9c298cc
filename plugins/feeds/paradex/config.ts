/**
 * `[feeds.<id>]` table of the Paradex feed. Every endpoint is config; the defaults are Paradex mainnet.
 */
import * as v from "valibot";
import { checkWsConfig, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import { listedTwice, notionalFeeEntries } from "../shared/table.ts";

/** Paradex mainnet WebSocket (docs.paradex.trade). */
export const PARADEX_WS_URL = "wss://ws.api.prod.paradex.trade/v1";

/** Public market-data channels the feed can subscribe per market. */
export const PARADEX_CHANNELS = ["order_book", "bbo", "trades", "funding_data", "markets_summary"] as const;
export type ParadexChannel = (typeof PARADEX_CHANNELS)[number];
/** Channels that set the instrument's book: at most one per feed. */
export const PARADEX_BOOK_CHANNELS: readonly ParadexChannel[] = ["order_book", "bbo"];

/**
 * Documented fee defaults, bps of notional. Paradex charges retail (UI) orders nothing and API takers a
 * small fee; set your own tier here, the strategies net every signal of these.
 */
export const PARADEX_DEFAULT_TAKER_FEE_BPS = 2;
export const PARADEX_DEFAULT_MAKER_FEE_BPS = 0;

const paradexTable = v.strictObject({
  ...wsConfigEntries,
  instruments: v.pipe(
    v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9]+-[A-Z0-9]+-[A-Z0-9-]+$/, "a Paradex market is BASE-QUOTE-KIND, e.g. BTC-USD-PERP"))),
    v.minLength(1),
    v.description("Paradex markets exactly as Paradex writes them: BTC-USD-PERP, kBONK-USD-PERP"),
  ),
  channels: v.optional(
    v.pipe(v.array(v.picklist(PARADEX_CHANNELS)), v.minLength(1), v.description('Channels per market (default ["order_book"]); at most one of order_book, bbo')),
    ["order_book"],
  ),
  book_feed: v.optional(
    v.pipe(
      v.picklist(["snapshot", "deltas"]),
      v.description(
        'order_book feed type: "snapshot" = a full top-15 book every refresh (self-healing); "deltas" = one snapshot, then changes whose seq must rise by exactly 1 (a gap resubscribes) (default snapshot)',
      ),
    ),
    "snapshot",
  ),
  refresh_rate_ms: v.optional(v.pipe(v.picklist([50, 100]), v.description("order_book refresh rate, ms: 50 or 100 (default 50)")), 50),
  price_tick: v.optional(v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, "a decimal price tick such as 0.01"), v.description("order_book price grouping, e.g. \"0.01\" (default: none)"))),
  sbe: v.optional(v.pipe(v.boolean(), v.description("Ask for SBE binary frames (required by Paradex for public channels since 2026-09-21; default true)")), true),
  sbe_schema_version: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2), v.description("SBE schema version to negotiate (default 1; Paradex serves up to 1:1)")), 1),
  jwt: v.optional(v.pipe(v.string(), v.minLength(1), v.description('Bearer JWT for channels that need auth; from the environment ("${PARADEX_JWT}"), never written in the file'))),
  ping_interval_ms: msEntry(15_000, "WebSocket protocol ping interval"),
  resync_timeout_ms: msEntry(10_000, "a book still without its snapshot this long after (re)subscribing is resubscribed; 0 = off"),
  max_per_connection: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Channels per connection (default 50)")), 50),
  ...notionalFeeEntries(PARADEX_DEFAULT_TAKER_FEE_BPS, PARADEX_DEFAULT_MAKER_FEE_BPS),
});

export type ParadexConfig = v.InferOutput<typeof paradexTable>;

/** The Paradex feed's strict config schema, cross-field checks included. */
export const paradexConfigSchema = v.pipe(
  paradexTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkParadexConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkParadexConfig(c: ParadexConfig): string[] {
  const problems = checkWsConfig(c, PARADEX_WS_URL);
  const books = c.channels.filter((ch) => PARADEX_BOOK_CHANNELS.includes(ch));
  if (books.length > 1) problems.push(`channels has ${books.join(", ")}: choose one, they would overwrite each other's book`);
  problems.push(...listedTwice("instruments", c.instruments));
  problems.push(...listedTwice("channels", c.channels));
  return problems;
}
