/**
 * OKX v5 public WebSocket and REST wire types, exactly as the venue sends them (okx.md). Prices, sizes and
 * times are strings; `seqId`, `prevSeqId` and `checksum` are integers. Only parse.ts reads these.
 */

/** The public channels this feed speaks. */
export type OkxChannel = "tickers" | "bbo-tbt" | "books5" | "books" | "books-l2-tbt" | "books50-l2-tbt" | "trades" | "funding-rate";

/** `arg` of a subscription, an ack and every push. */
export interface OkxArg {
  readonly channel: string;
  readonly instId?: string;
}

/** One book level: `[price, size, "0" (deprecated), numOrders]`, size in contracts for derivatives. */
export type OkxLevel = readonly [px: string, sz: string, liq: string, orders: string];

/** `books`, `books-l2-tbt`, `books50-l2-tbt` push (`action` snapshot/update), `books5` and `bbo-tbt` (no action). */
export interface OkxBooksMsg {
  readonly arg: OkxArg;
  readonly action?: "snapshot" | "update";
  readonly data: readonly OkxBookData[];
}

export interface OkxBookData {
  readonly asks: readonly OkxLevel[];
  readonly bids: readonly OkxLevel[];
  readonly ts: string;
  /** CRC32 of the top 25 levels (signed); 0 after the 2026 deprecation; absent on books5/bbo-tbt. */
  readonly checksum?: number;
  /** -1 on a snapshot; absent in pre-2023 frames. */
  readonly prevSeqId?: number;
  readonly seqId?: number;
  /** books5 only. */
  readonly instId?: string;
}

export interface OkxTickerData {
  readonly instType: string;
  readonly instId: string;
  readonly last: string;
  readonly lastSz: string;
  readonly askPx: string;
  readonly askSz: string;
  readonly bidPx: string;
  readonly bidSz: string;
  readonly ts: string;
}

export interface OkxTradeData {
  readonly instId: string;
  readonly tradeId: string;
  readonly px: string;
  readonly sz: string;
  /** Taker side. */
  readonly side: "buy" | "sell";
  readonly ts: string;
  readonly count?: string;
  readonly source?: string;
  readonly seqId?: number;
}

export interface OkxFundingData {
  readonly instId: string;
  readonly fundingRate: string;
  readonly nextFundingRate?: string;
  /** Settlement time of `fundingRate`. */
  readonly fundingTime: string;
  /** Settlement time of the period after. */
  readonly nextFundingTime?: string;
  readonly ts?: string;
}

/** A data push of any channel. */
export interface OkxPushMsg<D> {
  readonly arg: OkxArg;
  readonly action?: string;
  readonly data: readonly D[];
}

/** `subscribe` / `unsubscribe` acks, `error` and `notice` events. */
export interface OkxEventMsg {
  readonly event: "subscribe" | "unsubscribe" | "error" | "notice" | "login" | "channel-conn-count" | "channel-conn-count-error";
  readonly id?: string;
  readonly arg?: OkxArg;
  readonly code?: string;
  readonly msg?: string;
  readonly connId?: string;
}

/** `GET /api/v5/market/books` (2026: carries `seqId`, and `prevSeqId` in some versions). */
export interface OkxRestBooks {
  readonly code: string;
  readonly msg: string;
  readonly data: readonly (OkxBookData & { readonly seqId?: number })[];
}

/** One row of `GET /api/v5/public/instruments`. */
export interface OkxInstrumentRow {
  readonly instId: string;
  readonly instType: string;
  /** Contract value, in `ctValCcy` (derivatives); "" for spot. */
  readonly ctVal: string;
  readonly ctValCcy: string;
  /** `linear` | `inverse` | "" */
  readonly ctType: string;
  readonly tickSz: string;
  readonly lotSz: string;
  readonly state: string;
  readonly settleCcy?: string;
  readonly baseCcy?: string;
  readonly quoteCcy?: string;
}

export interface OkxRestInstruments {
  readonly code: string;
  readonly msg: string;
  readonly data: readonly OkxInstrumentRow[];
}
