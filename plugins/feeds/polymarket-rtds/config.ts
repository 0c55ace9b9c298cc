/**
 * `[feeds.<id>]` table of the Polymarket RTDS feed (reference prices, platform trades, comments).
 */
import * as v from "valibot";
import { checkWsConfig, msEntry, wsConfigEntries } from "../../../core/ws/config.ts";
import type { SubscriptionSpec } from "./subscriptions.ts";

export const RTDS_WS_URL = "wss://ws-live-data.polymarket.com";

/** Topics the docs list today, plus `activity` (still served; used by many clients in 2026). */
export const RTDS_TOPICS = ["crypto_prices", "crypto_prices_chainlink", "equity_prices", "crypto_prices_twap_thirty", "crypto_prices_twap_sixty", "activity", "comments"] as const;

const subscriptionTable = v.strictObject({
  topic: v.pipe(v.picklist(RTDS_TOPICS), v.description("RTDS topic")),
  type: v.optional(v.pipe(v.string(), v.description('Message type ("update", "trades", "orders_matched", "comment_created", "*"); default "*"')), "*"),
  symbols: v.optional(v.pipe(v.array(v.string()), v.description("Price topics: symbols to keep (btcusdt, btc/usd, AAPL); empty = all")), []),
  event_slug: v.optional(v.pipe(v.string(), v.description("activity: only this event's trades"))),
  market_slug: v.optional(v.pipe(v.string(), v.description("activity: only this market's trades"))),
  parent_entity_id: v.optional(v.pipe(v.number(), v.integer(), v.description("comments: the event or series id"))),
  parent_entity_type: v.optional(v.pipe(v.picklist(["Event", "Series"]), v.description('comments: "Event" or "Series"'))),
  filters: v.optional(v.pipe(v.string(), v.description("A raw filter string sent as is (overrides the fields above)"))),
  gamma_auth_address: v.optional(v.pipe(v.string(), v.description("Wallet address for gamma_auth (user-specific comment data)"))),
});

const rtdsTable = v.strictObject({
  ...wsConfigEntries,
  ping_interval_ms: msEntry(5_000, 'send a text "PING" this often (documented 5 s)'),
  pong_timeout_ms: msEntry(15_000, 'no "PONG" within this long = dead socket'),
  stall_after_ms: msEntry(60_000, "a price subscription silent this long while pongs still arrive = a silent stall: reconnect; 0 = off"),
  subscriptions: v.pipe(v.array(subscriptionTable), v.minLength(1), v.description("What to subscribe ([[feeds.<id>.subscriptions]])")),
});

export type RtdsConfig = v.InferOutput<typeof rtdsTable>;

/** Strict schema with cross-field checks. */
export const rtdsConfigSchema = v.pipe(
  rtdsTable,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) for (const message of checkRtdsConfig(dataset.value)) addIssue({ message });
  }),
);

/** Cross-field checks, one sentence per problem. */
export function checkRtdsConfig(c: RtdsConfig): string[] {
  const problems = checkWsConfig(c, RTDS_WS_URL);
  if (c.ping_interval_ms < 1) problems.push("ping_interval_ms must be at least 1: RTDS drops sockets that do not PING");
  for (const [i, s] of c.subscriptions.entries()) {
    if (s.event_slug !== undefined && s.market_slug !== undefined) problems.push(`subscriptions[${i}]: set event_slug or market_slug, not both`);
    if ((s.event_slug !== undefined || s.market_slug !== undefined) && s.topic !== "activity") problems.push(`subscriptions[${i}]: event_slug/market_slug apply to the activity topic only`);
  }
  return problems;
}

/** Config entries in code form. */
export function subscriptionSpecs(c: RtdsConfig): SubscriptionSpec[] {
  return c.subscriptions.map((s) => ({
    topic: s.topic,
    type: s.type,
    symbols: s.symbols.map((x) => x.toLowerCase()),
    ...(s.event_slug === undefined ? {} : { eventSlug: s.event_slug }),
    ...(s.market_slug === undefined ? {} : { marketSlug: s.market_slug }),
    ...(s.parent_entity_id === undefined ? {} : { parentEntityId: s.parent_entity_id }),
    ...(s.parent_entity_type === undefined ? {} : { parentEntityType: s.parent_entity_type }),
    ...(s.filters === undefined ? {} : { filters: s.filters }),
    ...(s.gamma_auth_address === undefined ? {} : { gammaAuthAddress: s.gamma_auth_address }),
  }));
}
