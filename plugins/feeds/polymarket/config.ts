/**
 * `[feeds.<id>]` table of the Polymarket CLOB feed. Every endpoint is config (tests point them at the
 * fakes); the defaults are Polymarket production.
 */
import * as v from "valibot";
import { checkWsConfig, httpUrlEntry, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import type { DiscoveryFilters } from "./discovery.ts";

export const POLY_WS_URL = "wss://ws-subscriptions-clob.polymarket.com/ws/market";
export const POLY_USER_WS_URL = "wss://ws-subscriptions-clob.polymarket.com/ws/user";
export const POLY_REST_URL = "https://clob.polymarket.com";
export const POLY_GAMMA_URL = "https://gamma-api.polymarket.com";

function count(defaultN: number, what: string, min = 1) {
  return v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.description(`${what} (default ${defaultN})`)), defaultN);
}
const httpUrl = (what: string, d: string) => httpUrlEntry(d, `${what} (default ${d})`);
const price = (what: string, d: number) => v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description(`${what} (0–1, default ${d})`)), d);

const discoveryTable = v.strictObject({
  min_liquidity_usd: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Market liquidity at least this, USD (default 10000)")), 10_000),
  max_days_to_resolution: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Markets ending within this many days (default 7)")), 7),
  min_price: price("YES price at least this", 0.01),
  max_price: price("YES price at most this", 0.99),
  min_volume_24h_usd: v.optional(v.pipe(v.number(), v.minValue(0), v.description("24 h volume at least this, USD (default 0)")), 0),
  tags: v.optional(v.pipe(v.array(v.string()), v.description("The event must carry one of these tags (slug, label or id); empty = any")), []),
  exclude_tags: v.optional(v.pipe(v.array(v.string()), v.description("Events with any of these tags are left out")), []),
  accepting_orders: v.optional(v.pipe(v.boolean(), v.description("Only markets accepting orders (default true)")), true),
  max_markets: count(0, "Most markets selected, whole negRisk events only; 0 = no limit", 0),
  page_size: count(500, "Events per Gamma keyset page (max 500)"),
  requests_per_10s: count(200, "Gamma requests per 10 s (documented /events limit 500)"),
  progress_every_pages: count(5, "Log progress every this many pages"),
});

const userTable = v.strictObject({
  ws_url: v.optional(v.pipe(v.string(), v.regex(/^wss?:\/\//, "expected a ws:// or wss:// url"), v.description(`User channel endpoint (default ${POLY_USER_WS_URL})`)), POLY_USER_WS_URL),
  api_key: v.pipe(v.string(), v.minLength(1), v.description('CLOB API key, from the environment: "${POLY_API_KEY}"')),
  secret: v.pipe(v.string(), v.minLength(1), v.description('CLOB API secret: "${POLY_API_SECRET}"')),
  passphrase: v.pipe(v.string(), v.minLength(1), v.description('CLOB API passphrase: "${POLY_API_PASSPHRASE}"')),
  markets: v.optional(v.pipe(v.array(v.string()), v.description("Condition ids to follow; empty = every market the feed subscribes")), []),
});

const polymarketTable = v.strictObject({
  ...wsConfigEntries,
  rest_url: httpUrl("CLOB REST base url", POLY_REST_URL),
  gamma_url: httpUrl("Gamma REST base url", POLY_GAMMA_URL),
  assets: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.description("Token ids to subscribe (static list)")), []),
  markets: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.description("Condition ids to subscribe, both tokens (static list)")), []),
  max_assets_per_connection: count(200, "Tokens per connection"),
  connect_stagger_ms: msEntry(300, "least time between opening two connections (bursts get HTTP 429)"),
  ping_interval_ms: msEntry(10_000, 'send a text "PING" this often; the venue drops sockets silent for ~10 s'),
  pong_timeout_ms: msEntry(10_000, 'no "PONG" within this long = dead socket, reconnect'),
  custom_features: v.optional(v.pipe(v.boolean(), v.description("Ask for best_bid_ask, new_market, market_resolved (default true)")), true),
  verify_hash: v.optional(v.pipe(v.boolean(), v.description("Verify book hashes where metadata allows (default true)")), true),
  check_top: v.optional(v.pipe(v.boolean(), v.description("Cross-check price_change best_bid/best_ask against the book (default true)")), true),
  snapshot_timeout_ms: msEntry(5_000, "no WS book this long after subscribing: fetch it over REST"),
  rest_poll_ms: msEntry(5_000, "while a connection is down, poll its books over REST this often; 0 = off"),
  rest_batch_size: count(50, "Tokens per POST /books request"),
  rest_book_per_10s: count(1_200, "GET /book requests per 10 s (documented 1500)"),
  rest_books_per_10s: count(400, "POST /books requests per 10 s (documented 500)"),
  rest_timeout_ms: msEntry(10_000, "REST request timeout"),
  rest_retry_ms: msEntry(1_000, "wait before retrying a REST request after 429/5xx"),
  discovery: v.optional(discoveryTable),
  user: v.optional(userTable),
});

export type PolymarketConfig = v.InferOutput<typeof polymarketTable>;
export type PolymarketDiscoveryConfig = v.InferOutput<typeof discoveryTable>;

/** The feed's strict config schema, cross-field checks included. */
export const polymarketConfigSchema = v.pipe(
  polymarketTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkPolymarketConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks: one plain sentence per problem. */
export function checkPolymarketConfig(c: PolymarketConfig): string[] {
  const problems = checkWsConfig(c, POLY_WS_URL);
  if (c.discovery === undefined && c.assets.length === 0 && c.markets.length === 0) {
    problems.push("nothing to subscribe: add a [discovery] table, or list assets (token ids) or markets (condition ids)");
  }
  const d = c.discovery;
  if (d !== undefined && d.min_price > d.max_price) problems.push(`discovery.min_price (${d.min_price}) is above discovery.max_price (${d.max_price})`);
  if (d !== undefined && d.page_size > 500) problems.push(`discovery.page_size (${d.page_size}) is above the Gamma keyset maximum of 500`);
  if (c.pong_timeout_ms < 1) problems.push("pong_timeout_ms must be at least 1");
  if (c.ping_interval_ms < 1) problems.push("ping_interval_ms must be at least 1: the venue closes sockets that do not PING");
  if (c.rest_batch_size > 500) problems.push(`rest_batch_size (${c.rest_batch_size}) is too large for one POST /books request; keep it at or below 500`);
  return problems;
}

/** The discovery table in code units. */
export function discoveryFilters(d: PolymarketDiscoveryConfig): DiscoveryFilters {
  return {
    minLiquidityUsd: d.min_liquidity_usd,
    maxDaysToResolution: d.max_days_to_resolution,
    minPrice: d.min_price,
    maxPrice: d.max_price,
    minVolume24hUsd: d.min_volume_24h_usd,
    tags: d.tags,
    excludeTags: d.exclude_tags,
    acceptingOrders: d.accepting_orders,
    maxMarkets: d.max_markets,
  };
}
