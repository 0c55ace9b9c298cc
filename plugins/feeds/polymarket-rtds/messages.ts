/**
 * Raw RTDS wire types (wss://ws-live-data.polymarket.com), venue casing. Envelope `{topic, type,
 * timestamp (ms), payload, connection_id?}`; a frame may hold one envelope or an array of them.
 */

/** The envelope of every data frame. */
export interface RtdsEnvelope<P = unknown> {
  readonly topic: string;
  readonly type: string;
  readonly timestamp: number;
  readonly payload: P;
  readonly connection_id?: string;
}

/** `crypto_prices`, `crypto_prices_chainlink`, `equity_prices`, TWAP topics: one value. */
export interface RtdsPriceUpdate {
  readonly symbol: string;
  readonly timestamp: number;
  readonly value: number;
  readonly full_accuracy_value?: string;
  readonly received_at?: number;
  /** Equities: the market is closed and the last value is carried forward. */
  readonly is_carried_forward?: boolean;
  readonly window_s?: number;
}

/** Backfill sent on subscribe (`type: "subscribe"`): recent points, oldest first. */
export interface RtdsPriceSnapshot {
  readonly symbol: string;
  readonly data: readonly { readonly timestamp: number; readonly value: number }[];
}

/** `activity` `trades` / `orders_matched`: a platform trade. `timestamp` in SECONDS; numbers as numbers. */
export interface RtdsActivityTrade {
  readonly asset: string;
  readonly conditionId?: string;
  readonly eventSlug?: string;
  readonly slug?: string;
  readonly outcome?: string;
  readonly outcomeIndex?: number;
  readonly price: number;
  readonly size: number;
  readonly side: "BUY" | "SELL";
  readonly timestamp: number;
  readonly transactionHash?: string;
}

/** `comments` `comment_created` / `comment_removed` / reactions. */
export interface RtdsComment {
  readonly id: string;
  readonly body?: string;
  readonly createdAt?: string;
  readonly parentCommentID?: string;
  readonly parentEntityID?: number;
  readonly parentEntityType?: string;
  readonly userAddress?: string;
  readonly reactionCount?: number;
}

/** One subscription of a subscribe/unsubscribe request. `filters` is a string (often serialized JSON). */
export interface RtdsSubscription {
  readonly topic: string;
  readonly type: string;
  readonly filters?: string;
  readonly gamma_auth?: { readonly address: string };
}

/** `{"action":"subscribe"|"unsubscribe","subscriptions":[…]}` */
export interface RtdsRequest {
  readonly action: "subscribe" | "unsubscribe";
  readonly subscriptions: readonly RtdsSubscription[];
}
