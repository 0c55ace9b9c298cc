/**
 * Kalshi WebSocket v2 wire shapes (docs.kalshi.com websockets/*; fixed-point `_dollars` / `_fp` strings).
 * Venue casing kept; only parse.ts reads these.
 */

/** `{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"…"}}` and friends. */
export interface KalshiCommand {
  readonly id: number;
  readonly cmd: "subscribe" | "unsubscribe" | "list_subscriptions" | "update_subscription";
  readonly params?: {
    readonly channels?: readonly string[];
    readonly market_ticker?: string;
    readonly market_tickers?: readonly string[];
    readonly sids?: readonly number[];
    readonly sid?: number;
    readonly action?: string;
  };
}

/** `[price_dollars, contract_count_fp]`, both strings; sorted ascending, best bid last. */
export type KalshiLevel = readonly [price: string, count: string];

/** A whole bid-only book: YES bids and NO bids (a side's key is omitted when it is empty). */
export interface KalshiSnapshotMsg {
  readonly type: "orderbook_snapshot";
  readonly sid: number;
  readonly seq: number;
  readonly msg: {
    readonly market_ticker: string;
    readonly market_id?: string;
    readonly yes_dollars_fp?: readonly KalshiLevel[];
    readonly no_dollars_fp?: readonly KalshiLevel[];
  };
}

/** A signed change (`delta_fp`) of the bid count at `price_dollars` on `side`. */
export interface KalshiDeltaMsg {
  readonly type: "orderbook_delta";
  readonly sid: number;
  readonly seq: number;
  readonly msg: {
    readonly market_ticker: string;
    readonly market_id?: string;
    readonly price_dollars: string;
    readonly delta_fp: string;
    readonly side: "yes" | "no";
    readonly ts?: string;
    readonly ts_ms?: number;
    readonly client_order_id?: string;
    readonly subaccount?: number;
  };
}

export interface KalshiTradeMsg {
  readonly type: "trade";
  readonly sid: number;
  readonly seq?: number;
  readonly msg: {
    readonly trade_id: string;
    readonly market_ticker: string;
    readonly yes_price_dollars: string;
    readonly no_price_dollars: string;
    readonly count_fp: string;
    readonly taker_side: "yes" | "no";
    readonly ts: number;
    readonly ts_ms?: number;
  };
}

/** Top of book and activity of a market (prices in dollars, sizes in contracts, fixed-point strings). */
export interface KalshiTickerMsg {
  readonly type: "ticker";
  readonly sid: number;
  readonly msg: {
    readonly market_ticker: string;
    readonly yes_bid_dollars?: string;
    readonly yes_ask_dollars?: string;
    readonly yes_bid_size_fp?: string;
    readonly yes_ask_size_fp?: string;
    readonly price_dollars?: string;
    readonly ts?: number;
    readonly ts_ms?: number;
  };
}

/** Answers to commands. */
export interface KalshiResponseMsg {
  readonly id?: number;
  readonly sid?: number;
  readonly seq?: number;
  readonly type: "subscribed" | "unsubscribed" | "ok" | "error";
  readonly msg?: { readonly channel?: string; readonly sid?: number; readonly code?: number; readonly msg?: string } | readonly unknown[];
}

/** `GET /trade-api/v2/markets/{ticker}` → `{ "market": … }` (only the fields the catalog reads). */
export interface KalshiMarketRest {
  readonly ticker: string;
  readonly event_ticker?: string;
  readonly title?: string;
  readonly subtitle?: string;
  readonly yes_sub_title?: string;
  readonly no_sub_title?: string;
  readonly close_time?: string;
  readonly expiration_time?: string;
  readonly status?: string;
  readonly rules_primary?: string;
}
