/**
 * `[feeds.<id>]` table of the Hyperliquid feed. Every endpoint is config; the defaults are mainnet.
 */
import * as v from "valibot";
import { checkWsConfig, httpUrlEntry, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import { listedTwice, notionalFeeEntries } from "../shared/table.ts";

export const HL_WS_URL = "wss://api.hyperliquid.xyz/ws";
export const HL_INFO_URL = "https://api.hyperliquid.xyz/info";

/** Book/quote channels: at most one feeds an instrument's book. */
export const HL_BOOK_CHANNELS = ["l2Book", "bbo"] as const;
export const HL_CHANNELS = [...HL_BOOK_CHANNELS, "trades", "allMids", "activeAssetCtx"] as const;
export type HlChannel = (typeof HL_CHANNELS)[number];

/** Documented fee defaults (base tier perps: maker 0.015 %, taker 0.045 %). */
export const HL_DEFAULT_TAKER_FEE_BPS = 4.5;
export const HL_DEFAULT_MAKER_FEE_BPS = 1.5;

const hlTable = v.strictObject({
  ...wsConfigEntries,
  info_url: httpUrlEntry(HL_INFO_URL, `POST /info endpoint (default ${HL_INFO_URL})`),
  instruments: v.pipe(
    v.array(v.pipe(v.string(), v.minLength(1))),
    v.minLength(1),
    v.description("Coins exactly as Hyperliquid names them (case-sensitive): BTC, ETH, kPEPE, xyz:SP500"),
  ),
  channels: v.optional(
    v.pipe(v.array(v.picklist(HL_CHANNELS)), v.minLength(1), v.description('Channels per coin (default ["l2Book"]); at most one of l2Book, bbo')),
    ["l2Book"],
  ),
  n_sig_figs: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(5), v.description("l2Book price aggregation, 2–5 significant figures (default full precision)")))),
  mantissa: v.optional(v.nullable(v.pipe(v.picklist([1, 2, 5]), v.description("l2Book mantissa, only with n_sig_figs = 5")))),
  fast: v.optional(v.pipe(v.boolean(), v.description("l2Book fast mode: 5 levels about every 0.5 s instead of 20 levels about every 5 s (default false)")), false),
  book_cadence_ms: msEntry(30_000, "an l2Book subscription silent this long is stale and resubscribed; 0 = off"),
  ping_interval_ms: msEntry(30_000, '{"method":"ping"} after this much silence; the venue closes after 60 s'),
  pong_timeout_ms: msEntry(10_000, "no pong within this long = dead socket"),
  max_per_connection: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Subscriptions per connection (default 100; the venue allows 1000 per IP)")), 100),
  rest_timeout_ms: msEntry(10_000, "/info request timeout"),
  rest_retry_ms: msEntry(1_000, "first wait before retrying /info"),
  ...notionalFeeEntries(HL_DEFAULT_TAKER_FEE_BPS, HL_DEFAULT_MAKER_FEE_BPS),
});

export type HlConfig = v.InferOutput<typeof hlTable>;

/** Cross-field checks: one plain sentence per problem. */
export function checkHlConfig(c: HlConfig): string[] {
  const problems = checkWsConfig(c, HL_WS_URL);
  const books = c.channels.filter((ch) => (HL_BOOK_CHANNELS as readonly string[]).includes(ch));
  if (books.length > 1) problems.push(`channels has ${books.join(", ")}: choose one of l2Book and bbo, they would overwrite each other's book`);
  if (c.mantissa !== undefined && c.mantissa !== null && c.n_sig_figs !== 5) problems.push("mantissa is only allowed with n_sig_figs = 5");
  problems.push(...listedTwice("instruments", c.instruments));
  if (c.ping_interval_ms < 1 || c.ping_interval_ms >= 60_000) problems.push(`ping_interval_ms (${c.ping_interval_ms}) must be between 1 and 59999: the venue closes a socket silent for 60 s`);
  return problems;
}

/** The Hyperliquid feed's strict config schema, cross-field checks included. */
export const hlConfigSchema = v.pipe(
  hlTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkHlConfig(dataset.value)) addIssue({ message });
  }),
);
