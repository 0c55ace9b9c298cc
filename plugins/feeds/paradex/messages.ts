/**
 * Paradex wire shapes (JSON-RPC 2.0 text frames; market data as SBE binary, decoded by ./sbe). Venue
 * casing kept; only parse.ts reads these.
 */

/** `{"jsonrpc":"2.0","method":"subscribe","params":{"channel":…},"id":1}` (and `unsubscribe`, `auth`). */
export interface ParadexRequest {
  readonly jsonrpc: "2.0";
  readonly method: "subscribe" | "unsubscribe" | "auth";
  readonly params: { readonly channel: string } | { readonly bearer: string };
  readonly id: number;
}

/** A JSON-RPC answer: `result` on success, `error` otherwise. */
export interface ParadexResponse {
  readonly jsonrpc: "2.0";
  readonly id: number | null;
  readonly result?: { readonly channel?: string; readonly node_id?: string };
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
  readonly usIn?: number;
  readonly usDiff?: number;
}

/** A push: `{"jsonrpc":"2.0","method":"subscription","params":{"channel":…,"data":{…}}}` (JSON channels). */
export interface ParadexPush {
  readonly jsonrpc: "2.0";
  readonly method: "subscription";
  readonly params: { readonly channel: string; readonly data: unknown };
}

export interface ParadexJsonLevel {
  readonly side: "BUY" | "SELL";
  readonly price: string;
  readonly size: string;
}

/** JSON `order_book` data: `update_type` "s" replaces the book from `inserts`, "d" applies all three lists. */
export interface ParadexJsonBook {
  readonly seq_no: number;
  readonly market: string;
  readonly last_updated_at: number;
  readonly update_type: "s" | "d";
  readonly inserts: readonly ParadexJsonLevel[];
  readonly updates: readonly ParadexJsonLevel[];
  readonly deletes: readonly ParadexJsonLevel[];
}

/** JSON `bbo` data (REST /v1/bbo schema, mirrored by the WS channel). */
export interface ParadexJsonBbo {
  readonly market: string;
  readonly seq_no?: number;
  readonly bid: string | null;
  readonly bid_size: string | null;
  readonly ask: string | null;
  readonly ask_size: string | null;
  readonly last_updated_at: number;
}

/** JSON `trades` data; `side` is the taker's. */
export interface ParadexJsonTrade {
  readonly id: string;
  readonly market: string;
  readonly side: "BUY" | "SELL";
  readonly size: string;
  readonly price: string;
  readonly created_at: number;
  readonly trade_type?: string;
}

/** JSON `funding_data` data (FundingDataResult field names, per the SBE schema's parity notes). */
export interface ParadexJsonFunding {
  readonly market: string;
  readonly funding_rate: string;
  readonly funding_index?: string;
  readonly funding_premium?: string;
  readonly funding_rate_8h?: string;
  readonly funding_period_hours?: number;
  readonly created_at: number;
}
