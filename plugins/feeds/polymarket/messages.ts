/**
 * Raw Polymarket wire types (CLOB market and user channels, CLOB REST, Gamma REST), in the venue's own
 * casing. Only parse.ts, hash.ts and the REST/Gamma clients read these; everything downstream sees domain
 * events. Every price, size and timestamp of the CLOB is a JSON string (`"0.5"`, `".48"`, `"1757908892351"`).
 */

/** One `{price, size}` level as the CLOB sends it (strings). */
export interface PolyLevel {
  readonly price: string;
  readonly size: string;
}

/** `book`: a full aggregated book of one token. Wire order: bids ascending, asks descending (best last). */
export interface PolyBookMsg {
  readonly event_type: "book";
  readonly asset_id: string;
  readonly market: string;
  readonly bids: readonly PolyLevel[];
  readonly asks: readonly PolyLevel[];
  readonly timestamp: string;
  readonly hash: string;
  /** Present in live frames, absent from the docs schema. */
  readonly tick_size?: string;
  readonly last_trade_price?: string;
}

/** One entry of a current-format `price_change` (since 2025-09-15): absolute size at a level. */
export interface PolyPriceChangeEntry {
  readonly asset_id: string;
  readonly price: string;
  /** New aggregate size at the level; "0" removes it. May be missing (treated as malformed). */
  readonly size?: string;
  readonly side: "BUY" | "SELL";
  /** Hash of the order that caused the change (not a book hash). */
  readonly hash?: string;
  /** Top of book after the change; "0" = no bid. */
  readonly best_bid?: string;
  /** Top of book after the change; "1" = no ask. */
  readonly best_ask?: string;
}

/** `price_change`, current shape: entries of both tokens of one market, no top-level asset id. */
export interface PolyPriceChangeMsg {
  readonly event_type: "price_change";
  readonly market: string;
  readonly price_changes: readonly PolyPriceChangeEntry[];
  readonly timestamp: string;
}

/** `price_change`, legacy shape (before 2025-09-15): one asset, `changes[]`, top-level book hash. */
export interface PolyLegacyPriceChangeMsg {
  readonly event_type: "price_change";
  readonly asset_id: string;
  readonly market: string;
  readonly changes: readonly { readonly price: string; readonly side: "BUY" | "SELL"; readonly size: string }[];
  readonly timestamp: string;
  readonly hash?: string;
}

export interface PolyTickSizeChangeMsg {
  readonly event_type: "tick_size_change";
  readonly asset_id: string;
  readonly market: string;
  readonly old_tick_size: string;
  readonly new_tick_size: string;
  readonly timestamp: string;
}

/** A trade print; `side` is the taker's. */
export interface PolyLastTradePriceMsg {
  readonly event_type: "last_trade_price";
  readonly asset_id: string;
  readonly market: string;
  readonly price: string;
  readonly size: string;
  readonly side: "BUY" | "SELL";
  readonly fee_rate_bps?: string;
  readonly timestamp: string;
  readonly transaction_hash?: string;
}

/** Top of book (needs `custom_feature_enabled`). */
export interface PolyBestBidAskMsg {
  readonly event_type: "best_bid_ask";
  readonly asset_id: string;
  readonly market: string;
  readonly best_bid: string;
  readonly best_ask: string;
  readonly spread?: string;
  readonly timestamp: string;
}

export interface PolyEventMessage {
  readonly id: string;
  readonly ticker?: string;
  readonly slug?: string;
  readonly title?: string;
  readonly description?: string;
}

/** `new_market` (custom feature). Fee schedule numbers are strings on the socket. */
export interface PolyNewMarketMsg {
  readonly event_type: "new_market";
  readonly id: string;
  readonly question: string;
  readonly market: string;
  readonly slug?: string;
  readonly description?: string;
  readonly assets_ids: readonly string[];
  readonly outcomes: readonly string[];
  readonly event_message?: PolyEventMessage;
  readonly timestamp: string;
  readonly tags?: readonly string[];
  readonly condition_id?: string;
  readonly active?: boolean;
  readonly clob_token_ids?: readonly string[];
  readonly order_price_min_tick_size?: string;
  readonly group_item_title?: string;
  readonly taker_base_fee?: string;
  readonly fees_enabled?: boolean;
  readonly fee_schedule?: { readonly exponent: string; readonly rate: string; readonly taker_only: boolean; readonly rebate_rate: string };
}

/** `market_resolved` (custom feature). */
export interface PolyMarketResolvedMsg {
  readonly event_type: "market_resolved";
  readonly id: string;
  readonly market: string;
  readonly question?: string;
  readonly slug?: string;
  readonly assets_ids: readonly string[];
  readonly outcomes?: readonly string[];
  readonly winning_asset_id?: string;
  readonly winning_outcome?: string;
  readonly timestamp: string;
}

/** User channel: one of the account's orders changed. */
export interface PolyUserOrderMsg {
  readonly event_type: "order";
  readonly id: string;
  readonly asset_id: string;
  readonly market: string;
  readonly outcome?: string;
  readonly price: string;
  readonly side: "BUY" | "SELL";
  readonly original_size: string;
  readonly size_matched: string;
  readonly timestamp: string;
  /** PLACEMENT | UPDATE | CANCELLATION */
  readonly type: string;
}

/** User channel: a trade of the account (MATCHED → MINED → CONFIRMED, or RETRYING / FAILED). */
export interface PolyUserTradeMsg {
  readonly event_type: "trade";
  readonly id: string;
  readonly asset_id: string;
  readonly market: string;
  readonly outcome?: string;
  readonly price: string;
  readonly size: string;
  readonly side: "BUY" | "SELL";
  readonly status: string;
  readonly timestamp: string;
  readonly match_time?: string;
  readonly taker_order_id?: string;
}

export type PolyMarketChannelMsg =
  | PolyBookMsg
  | PolyPriceChangeMsg
  | PolyLegacyPriceChangeMsg
  | PolyTickSizeChangeMsg
  | PolyLastTradePriceMsg
  | PolyBestBidAskMsg
  | PolyNewMarketMsg
  | PolyMarketResolvedMsg;

/** CLOB REST `GET /book` / one element of `POST /books` (`OrderBookSummary`). */
export interface PolyRestBook {
  readonly market: string;
  readonly asset_id: string;
  readonly timestamp: string;
  readonly hash: string;
  readonly bids: readonly PolyLevel[];
  readonly asks: readonly PolyLevel[];
  readonly min_order_size: string;
  readonly tick_size: string;
  readonly neg_risk: boolean;
  readonly last_trade_price: string;
}

/** Gamma `feeSchedule`. */
export interface GammaFeeSchedule {
  readonly exponent: number;
  readonly rate: number;
  readonly takerOnly?: boolean;
  readonly rebateRate?: number;
}

/** A Gamma tag (events carry objects). */
export interface GammaTag {
  readonly id: string;
  readonly label?: string;
  readonly slug?: string;
}

/** The fields of a Gamma market edgewatch reads (the venue sends many more). */
export interface GammaMarket {
  readonly id: string;
  readonly question?: string;
  readonly conditionId?: string;
  readonly slug?: string;
  readonly endDate?: string;
  /** String with a JSON array: `"[\"Yes\", \"No\"]"`. */
  readonly outcomes?: string;
  readonly outcomePrices?: string;
  readonly clobTokenIds?: string;
  readonly liquidity?: string;
  readonly liquidityNum?: number;
  readonly volume24hr?: number;
  readonly active?: boolean;
  readonly closed?: boolean;
  readonly archived?: boolean;
  readonly acceptingOrders?: boolean;
  readonly enableOrderBook?: boolean;
  readonly negRisk?: boolean;
  readonly negRiskMarketID?: string;
  readonly negRiskOther?: boolean;
  readonly orderPriceMinTickSize?: number;
  readonly orderMinSize?: number;
  readonly bestBid?: number;
  readonly bestAsk?: number;
  readonly lastTradePrice?: number;
  readonly feesEnabled?: boolean;
  readonly feeType?: string | null;
  readonly feeSchedule?: GammaFeeSchedule | null;
  readonly makerBaseFee?: number;
  readonly takerBaseFee?: number;
  readonly groupItemTitle?: string;
  readonly events?: readonly GammaEvent[];
  readonly tags?: readonly GammaTag[];
}

/** The fields of a Gamma event edgewatch reads. */
export interface GammaEvent {
  readonly id: string;
  readonly slug?: string;
  readonly title?: string;
  readonly endDate?: string;
  readonly active?: boolean;
  readonly closed?: boolean;
  readonly negRisk?: boolean;
  readonly enableNegRisk?: boolean;
  readonly negRiskAugmented?: boolean;
  readonly negRiskMarketID?: string;
  readonly liquidity?: number;
  readonly volume24hr?: number;
  readonly tags?: readonly GammaTag[];
  readonly markets?: readonly GammaMarket[];
}

/** `GET /events/keyset` page. `next_cursor` is omitted on the last page. */
export interface GammaEventsPage {
  readonly events: readonly GammaEvent[];
  readonly next_cursor?: string;
}

/** `GET /markets/keyset` page. */
export interface GammaMarketsPage {
  readonly markets: readonly GammaMarket[];
  readonly next_cursor?: string;
}
