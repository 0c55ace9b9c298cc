/**
 * Binance USD-M futures wire shapes. Venue casing kept; only parse.ts and depth-sync.ts read these.
 */

/** Combined-stream wrapper: `{"stream":"btcusdt@depth@100ms","data":{…}}`. */
export interface BinanceCombined {
  readonly stream: string;
  readonly data: unknown;
}

/** `[price, quantity]`, both strings; quantity 0 removes the level. */
export type BinanceLevel = readonly [price: string, qty: string];

/** Diff depth event. `U` first and `u` last update id of the event, `pu` the previous event's `u`. */
export interface BinanceDepthUpdate {
  readonly e: "depthUpdate";
  readonly E: number;
  readonly T: number;
  readonly s: string;
  readonly U: number;
  readonly u: number;
  readonly pu: number;
  readonly b: readonly BinanceLevel[];
  readonly a: readonly BinanceLevel[];
}

export interface BinanceBookTicker {
  readonly e: "bookTicker";
  readonly u: number;
  readonly s: string;
  readonly b: string;
  readonly B: string;
  readonly a: string;
  readonly A: string;
  readonly T: number;
  readonly E: number;
}

/** `m` = the buyer is the maker, so the taker sold. */
export interface BinanceAggTrade {
  readonly e: "aggTrade";
  readonly E: number;
  readonly s: string;
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly T: number;
  readonly m: boolean;
}

/** `r` funding rate, `T` next funding time, `p` mark, `i` index. */
export interface BinanceMarkPrice {
  readonly e: "markPriceUpdate";
  readonly E: number;
  readonly s: string;
  readonly p: string;
  readonly i: string;
  readonly P?: string;
  readonly r: string;
  readonly T: number;
}

/** REST `GET /fapi/v1/depth`. */
export interface BinanceRestDepth {
  readonly lastUpdateId: number;
  readonly E?: number;
  readonly T?: number;
  readonly bids: readonly BinanceLevel[];
  readonly asks: readonly BinanceLevel[];
}

/** `{"method":"SUBSCRIBE","params":[…],"id":1}` and its answer `{"result":null,"id":1}`. */
export interface BinanceRequest {
  readonly method: "SUBSCRIBE" | "UNSUBSCRIBE" | "LIST_SUBSCRIPTIONS";
  readonly params?: readonly string[];
  readonly id: number;
}
export interface BinanceResponse {
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly msg: string };
  readonly id: number | null;
}
