/**
 * `[feeds.<id>]` table of the OKX feed. Every endpoint is config; the defaults are OKX production.
 */
import * as v from "valibot";
import { checkWsConfig, httpUrlEntry, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import { listedTwice, notionalFeeEntries } from "../shared/table.ts";

/** OKX production endpoints. */
export const OKX_WS_URL = "wss://ws.okx.com:8443/ws/v5/public";
export const OKX_REST_URL = "https://www.okx.com";

/** Book and quote channels: at most one per feed feeds an instrument's book. */
export const OKX_BOOK_CHANNELS = ["books", "books-l2-tbt", "books50-l2-tbt", "books5", "bbo-tbt", "tickers"] as const;
export const OKX_CHANNELS = [...OKX_BOOK_CHANNELS, "trades", "funding-rate"] as const;

/** Documented fee defaults (OKX regular tier, USDT-margined perps: maker 0.02 %, taker 0.05 %). */
export const OKX_DEFAULT_TAKER_FEE_BPS = 5;
export const OKX_DEFAULT_MAKER_FEE_BPS = 2;

const okxTable = v.strictObject({
  ...wsConfigEntries,
  rest_url: httpUrlEntry(OKX_REST_URL, `REST base url (default ${OKX_REST_URL})`),
  instruments: v.pipe(
    v.array(v.pipe(v.string(), v.minLength(1))),
    v.minLength(1),
    v.description("OKX instrument ids exactly as OKX writes them: BTC-USDT-SWAP, BTC-USD-SWAP, ETH-USDT"),
  ),
  channels: v.optional(
    v.pipe(v.array(v.picklist(OKX_CHANNELS)), v.minLength(1), v.description('Channels per instrument (default ["books"]); at most one book/quote channel')),
    ["books"],
  ),
  book_snapshot: v.optional(
    v.pipe(
      v.picklist(["auto", "rest"]),
      v.description('Where incremental books start from: "auto" = the WS snapshot when sent, else REST; "rest" = always GET /api/v5/market/books (default auto)'),
    ),
    "auto",
  ),
  verify_checksum: v.optional(v.pipe(v.boolean(), v.description("Verify non-zero book checksums (default true; 0 is never verified)")), true),
  book_cadence_ms: msEntry(90_000, "an incremental book with no push for this long is stale and rebuilt (OKX sends a keep-alive after ~60 s without change); 0 = off"),
  ping_interval_ms: msEntry(20_000, 'send a text "ping" after this much silence; OKX closes after 30 s'),
  pong_timeout_ms: msEntry(10_000, 'no "pong" within this long = dead socket'),
  max_per_connection: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Instruments per connection (default 10; OKX advises < 30 channels per connection)")), 10),
  rest_timeout_ms: msEntry(10_000, "REST request timeout"),
  rest_retry_ms: msEntry(1_000, "wait before retrying a REST snapshot or instrument request"),
  instruments_ttl_ms: msEntry(3_600_000, "how long fetched contract values (ctVal) are reused"),
  api_key: v.optional(v.pipe(v.string(), v.minLength(1), v.description('API key for the login books-l2-tbt / books50-l2-tbt need (use "${OKX_API_KEY}")'))),
  secret_key: v.optional(v.pipe(v.string(), v.minLength(1), v.description('API secret for the login (use "${OKX_SECRET_KEY}")'))),
  passphrase: v.optional(v.pipe(v.string(), v.minLength(1), v.description('API passphrase for the login (use "${OKX_PASSPHRASE}")'))),
  ...notionalFeeEntries(OKX_DEFAULT_TAKER_FEE_BPS, OKX_DEFAULT_MAKER_FEE_BPS),
});

export type OkxConfig = v.InferOutput<typeof okxTable>;

/** The OKX feed's strict config schema, cross-field checks included. */
export const okxConfigSchema = v.pipe(
  okxTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkOkxConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkOkxConfig(c: OkxConfig): string[] {
  const problems = checkWsConfig(c, OKX_WS_URL);
  const books = c.channels.filter((ch) => (OKX_BOOK_CHANNELS as readonly string[]).includes(ch));
  if (books.length > 1) problems.push(`channels has ${books.join(", ")}: choose one book/quote channel, they would overwrite each other's book`);
  if (c.channels.includes("books-l2-tbt") && c.channels.includes("books50-l2-tbt")) {
    problems.push("OKX refuses books-l2-tbt together with books50-l2-tbt for one instrument");
  }
  problems.push(...listedTwice("instruments", c.instruments));
  const creds = [c.api_key, c.secret_key, c.passphrase].filter((x) => x !== undefined).length;
  if (creds !== 0 && creds !== 3) problems.push("set api_key, secret_key and passphrase together (or none of them)");
  const vip = c.channels.filter((ch) => ch === "books-l2-tbt" || ch === "books50-l2-tbt");
  if (vip.length > 0 && creds !== 3) problems.push(`${vip.join(", ")} needs a login: set api_key, secret_key and passphrase (OKX VIP5+ / VIP6+ accounts)`);
  if (c.pong_timeout_ms < 1) problems.push("pong_timeout_ms must be at least 1");
  if (c.ping_interval_ms >= 30_000) problems.push(`ping_interval_ms (${c.ping_interval_ms}) must be below 30000: OKX closes a socket silent for 30 s`);
  return problems;
}
