/**
 * Predict.fun WebSocket and REST wire shapes (dev.predict.fun "WebSocket" and "Markets" pages). Venue
 * casing kept; only parse.ts and catalog.ts read these.
 */

/** Client → server: `subscribe` / `unsubscribe` with topics, or `heartbeat` echoing the server's timestamp. */
export interface PredictRequest {
  readonly method: "subscribe" | "unsubscribe" | "heartbeat";
  readonly requestId?: number;
  readonly params?: readonly string[];
  readonly data?: unknown;
}

/** Server → client answer to a request (`type: "R"`). */
export interface PredictResponse {
  readonly type: "R";
  readonly requestId: number;
  readonly success: boolean;
  readonly data?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Server → client push (`type: "M"`): a subscribed topic, or the `heartbeat` probe (data = timestamp ms). */
export interface PredictPush {
  readonly type: "M";
  readonly topic: string;
  readonly data: unknown;
}

/** `[price, shares]`, numbers, best first. */
export type PredictLevel = readonly [price: number, shares: number];

/**
 * A whole order book priced in the market's first outcome (YES), pushed on every change. Fields beyond
 * the documented example (`version`, `orderCount`, `lastOrderSettled`) come from the predict-fun-sdk crate.
 */
export interface PredictOrderbook {
  readonly marketId: number;
  readonly updateTimestampMs: number;
  readonly asks: readonly PredictLevel[];
  readonly bids: readonly PredictLevel[];
  readonly version?: number;
  readonly orderCount?: number;
}

/** `GET /v1/markets/{id}` → `{ success, data }`: the fields the feed reads (others ignored). */
export interface PredictMarketRest {
  readonly id: number;
  readonly title?: string;
  readonly question?: string;
  readonly status?: string;
  readonly decimalPrecision?: number;
  readonly feeRateBps?: number;
  readonly isNegRisk?: boolean;
  readonly outcomes?: readonly { readonly name?: string; readonly indexSet?: number }[];
  readonly endsAt?: string;
  readonly endDate?: string;
}
