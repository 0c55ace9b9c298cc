/**
 * Probable REST wire shapes (developer.probable.markets: Orderbook API and Markets API). Venue casing
 * kept; only parse.ts reads these.
 */

/** `{ price, size }` as decimal strings. */
export interface ProbableLevel {
  readonly price: string;
  readonly size: string;
}

/** `GET /public/api/v1/book?token_id=…`: one token's whole book. */
export interface ProbableBook {
  readonly market?: string;
  readonly asset_id: string;
  /** Unix seconds, as a string. */
  readonly timestamp?: string;
  readonly hash?: string;
  readonly bids: readonly ProbableLevel[];
  readonly asks: readonly ProbableLevel[];
  readonly min_order_size?: string;
  readonly tick_size?: string;
  readonly neg_risk?: boolean;
}

/** `GET /public/api/v1/markets/{id}` (market API host): the fields the feed reads. */
export interface ProbableMarket {
  readonly id: number | string;
  readonly condition_id?: string;
  readonly question?: string;
  readonly market_slug?: string;
  readonly outcomes?: readonly string[] | string;
  readonly clobTokenIds?: readonly string[] | string;
  readonly active?: boolean;
  readonly closed?: boolean;
  readonly endDate?: string;
  readonly end_date_iso?: string;
  readonly end_date?: string;
}
