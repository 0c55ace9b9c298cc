/**
 * Hyperliquid WebSocket and `/info` wire types, as the venue sends them (hyperliquid.md). Prices and sizes
 * are strings; `time`, `n`, `tid` are numbers. Only parse.ts reads these.
 */

/** Market-data subscription types this feed speaks. */
export type HlSubscriptionType = "l2Book" | "bbo" | "trades" | "allMids" | "activeAssetCtx";

/** A subscription as sent in `{"method":"subscribe","subscription":…}`. */
export interface HlSubscription {
  readonly type: HlSubscriptionType;
  readonly coin?: string;
  readonly dex?: string;
  readonly nSigFigs?: number | null;
  readonly mantissa?: number | null;
  readonly fast?: boolean;
}

export interface HlLevel {
  readonly px: string;
  readonly sz: string;
  readonly n: number;
}

/** `l2Book`: the whole top of the book each push (20 levels, 5 with `fast`). */
export interface HlWsBook {
  readonly coin: string;
  readonly levels: readonly [readonly HlLevel[], readonly HlLevel[]];
  readonly time: number;
}

export interface HlWsBbo {
  readonly coin: string;
  readonly time: number;
  readonly bbo: readonly [HlLevel | null, HlLevel | null];
}

export interface HlWsTrade {
  readonly coin: string;
  /** `B` = buyer was the taker, `A` = seller was the taker. */
  readonly side: "A" | "B";
  readonly px: string;
  readonly sz: string;
  readonly hash: string;
  readonly time: number;
  readonly tid: number;
  readonly users?: readonly [string, string];
}

export interface HlAllMids {
  readonly dex?: string;
  readonly mids: Readonly<Record<string, string>>;
}

export interface HlPerpAssetCtx {
  /** Hourly funding rate. */
  readonly funding: string;
  readonly openInterest: string;
  readonly prevDayPx: string;
  readonly dayNtlVlm: string;
  readonly premium: string | null;
  readonly oraclePx: string;
  readonly markPx: string;
  readonly midPx: string | null;
  readonly impactPxs: readonly string[] | null;
}

export interface HlActiveAssetCtx {
  readonly coin: string;
  readonly ctx: HlPerpAssetCtx;
}

/** Every frame is `{channel, data}`; `pong` has no data. */
export interface HlWsMsg {
  readonly channel: string;
  readonly data?: unknown;
}

/** One asset of `POST /info {"type":"meta"}` (`universe`). */
export interface HlMetaAsset {
  readonly name: string;
  readonly szDecimals: number;
  readonly maxLeverage?: number;
  readonly isDelisted?: boolean | null;
}

export interface HlMeta {
  readonly universe: readonly HlMetaAsset[];
  /** Builder dexes: spot token index of the collateral (0 = USDC). */
  readonly collateralToken?: number;
}

/** `POST /info {"type":"perpDexs"}`: index 0 is the first (native) dex, `null`. */
export type HlPerpDexs = readonly ({ readonly name: string; readonly fullName?: string } | null)[];
