/**
 * Subscription frames of the CLOB market and user channels. The first frame on a socket is the initial
 * subscription (`type: "market"`, with `initial_dump` so the venue sends a `book` per token); later changes
 * on a live socket use `operation: "subscribe" | "unsubscribe"` (no reconnect).
 */

/** Options every market subscription carries. */
export interface MarketSubscribeOptions {
  /** Enables `best_bid_ask`, `new_market`, `market_resolved`. */
  readonly customFeatures: boolean;
}

/** The first subscription of a socket (docs: overview "subscribe market"). */
export function encodeInitialMarketSubscribe(ids: readonly string[], o: MarketSubscribeOptions): string {
  return JSON.stringify({ assets_ids: ids, type: "market", initial_dump: true, custom_feature_enabled: o.customFeatures });
}

/** Adds tokens on a live socket (docs: overview "dynamic subscribe"). */
export function encodeMarketSubscribe(ids: readonly string[], o: MarketSubscribeOptions): string {
  return JSON.stringify({ assets_ids: ids, operation: "subscribe", custom_feature_enabled: o.customFeatures });
}

/** Removes tokens on a live socket (docs: overview "dynamic unsubscribe"). */
export function encodeMarketUnsubscribe(ids: readonly string[]): string {
  return JSON.stringify({ assets_ids: ids, operation: "unsubscribe" });
}

/** API credentials of the user channel (from env secrets; never logged). */
export interface UserAuth {
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase: string;
}

/** The user channel subscription: condition ids (`markets`), with the account's credentials. */
export function encodeUserSubscribe(markets: readonly string[], auth: UserAuth): string {
  return JSON.stringify({ auth: { apiKey: auth.apiKey, secret: auth.secret, passphrase: auth.passphrase }, markets, type: "user" });
}

/** Adds condition ids to a live user-channel socket (docs: overview "dynamic subscribe", user form). */
export function encodeUserMarketsSubscribe(markets: readonly string[]): string {
  return JSON.stringify({ markets, operation: "subscribe" });
}

/** The venue's text heartbeat: send `PING` every 10 s, it answers a bare `PONG` (not JSON). */
export const PING = "PING";
export const PONG = "PONG";
