/**
 * Bybit v5 public WebSocket wire shapes. Venue casing kept; only parse.ts and tickers.ts read these.
 */

/** `{"op":"subscribe","args":["orderbook.50.BTCUSDT"],"req_id":"…"}`; also `unsubscribe`, `ping`. */
export interface BybitRequest {
  readonly op: "subscribe" | "unsubscribe" | "ping";
  readonly args?: readonly string[];
  readonly req_id?: string;
}

/** An answer to a request; a pong is `ret_msg: "pong"` (linear: `op: "ping"`; spot: `op: "pong"`). */
export interface BybitOpResponse {
  readonly success?: boolean;
  readonly ret_msg?: string;
  readonly conn_id?: string;
  readonly req_id?: string;
  readonly op: string;
}

/** `[price, size]` strings; size "0" in a delta removes the level. */
export type BybitLevel = readonly [price: string, size: string];

export interface BybitOrderbookMsg {
  readonly topic: string;
  readonly type: "snapshot" | "delta";
  readonly ts: number;
  readonly data: { readonly s: string; readonly b: readonly BybitLevel[]; readonly a: readonly BybitLevel[]; readonly u: number; readonly seq?: number };
  readonly cts?: number;
}

/** Linear ticker fields (all strings); a delta carries only the changed ones. */
export interface BybitTickerData {
  readonly symbol: string;
  readonly lastPrice?: string;
  readonly markPrice?: string;
  readonly indexPrice?: string;
  readonly fundingRate?: string;
  readonly nextFundingTime?: string;
  readonly fundingIntervalHour?: string;
  readonly bid1Price?: string;
  readonly bid1Size?: string;
  readonly ask1Price?: string;
  readonly ask1Size?: string;
  readonly [field: string]: string | undefined;
}

export interface BybitTickerMsg {
  readonly topic: string;
  readonly type: "snapshot" | "delta";
  readonly ts: number;
  readonly cs?: number;
  readonly data: BybitTickerData;
}

/** `S` = taker side (`Buy`/`Sell`), `T` trade time, `i` trade id. */
export interface BybitTradeData {
  readonly T: number;
  readonly s: string;
  readonly S: "Buy" | "Sell";
  readonly v: string;
  readonly p: string;
  readonly i: string;
  readonly BT?: boolean;
}

export interface BybitTradeMsg {
  readonly topic: string;
  readonly type: "snapshot";
  readonly ts: number;
  readonly data: readonly BybitTradeData[];
}
