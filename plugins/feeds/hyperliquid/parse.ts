/**
 * Hyperliquid frame → domain events. PURE: no I/O, no clock. Units are converted here only: `k` coins
 * (1000× contracts) have prices ÷ scale and sizes × scale; sizes are already in coins otherwise.
 */
import type { TopOfBook } from "../../../core/book/book.ts";
import type { BookSnapshot, Funding, Level, PriceTick, Trade } from "../../../core/events.ts";
import type { HlCoin } from "./coins.ts";
import type { HlActiveAssetCtx, HlAllMids, HlLevel, HlWsBbo, HlWsBook, HlWsMsg, HlWsTrade } from "./messages.ts";
import { malformed, takerSide, type Malformed } from "../shared/frame.ts";

/** The text the server may send right after connecting (the SDKs skip it). */
export const HL_BANNER = "Websocket connection established.";
const HOUR_MS = 3_600_000;

/** Configured coins by venue name. */
export type HlLookup = (coin: string) => HlCoin | undefined;

export type HlEvent =
  | { readonly kind: "book"; readonly book: BookSnapshot }
  | { readonly kind: "top"; readonly top: TopOfBook }
  | { readonly kind: "trade"; readonly trade: Trade }
  | { readonly kind: "funding"; readonly funding: Funding }
  | { readonly kind: "mid"; readonly tick: PriceTick }
  | { readonly kind: "ack"; readonly method: string; readonly type: string; readonly coin: string | undefined }
  | { readonly kind: "error"; readonly text: string }
  | { readonly kind: "pong" }
  | { readonly kind: "ignored"; readonly what: string }
  | Malformed;

/**
 * Parses one text frame.
 *
 * @example
 * const events = parseHlFrame(text, "hyperliquid", Date.now(), (c) => coins.get(c));
 */
export function parseHlFrame(text: string, feed: string, tsRecv: number, lookup: HlLookup): HlEvent[] {
  if (text === HL_BANNER) return [{ kind: "ignored", what: "connect banner" }];
  let msg: HlWsMsg;
  try {
    msg = JSON.parse(text) as HlWsMsg;
  } catch {
    return [malformed("not json", text)];
  }
  if (typeof msg !== "object" || msg === null || typeof msg.channel !== "string") {
    return [malformed("no channel", text)];
  }
  const data = msg.data;
  switch (msg.channel) {
    case "l2Book":
      return parseBook(data as HlWsBook, feed, tsRecv, lookup);
    case "bbo":
      return parseBbo(data as HlWsBbo, feed, tsRecv, lookup);
    case "trades":
      return parseTrades(data as HlWsTrade[], feed, tsRecv, lookup);
    case "allMids":
      return parseMids(data as HlAllMids, feed, tsRecv, lookup);
    case "activeAssetCtx":
      return parseCtx(data as HlActiveAssetCtx, feed, tsRecv, lookup);
    case "subscriptionResponse": {
      const d = data as { method?: unknown; subscription?: { type?: unknown; coin?: unknown } } | undefined;
      if (typeof d?.method !== "string" || typeof d.subscription?.type !== "string") return [malformed("subscriptionResponse", text)];
      return [{ kind: "ack", method: d.method, type: d.subscription.type, coin: typeof d.subscription.coin === "string" ? d.subscription.coin : undefined }];
    }
    case "error":
      return [{ kind: "error", text: typeof data === "string" ? data : JSON.stringify(data) }];
    case "pong":
      return [{ kind: "pong" }];
    case "candle":
    case "activeSpotAssetCtx":
      return [{ kind: "ignored", what: `channel ${msg.channel}` }];
    default:
      return [malformed(`channel ${msg.channel}`, text)];
  }
}

function levels(raw: readonly HlLevel[], scale: number): Level[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: Level[] = new Array<Level>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!;
    if (typeof l?.px !== "string" || typeof l.sz !== "string") return undefined;
    out[i] = scale === 1 ? [+l.px, +l.sz] : [+l.px / scale, +l.sz * scale];
  }
  return out;
}

function parseBook(d: HlWsBook, feed: string, tsRecv: number, lookup: HlLookup): HlEvent[] {
  if (typeof d?.coin !== "string" || typeof d.time !== "number" || !Array.isArray(d.levels) || d.levels.length !== 2) {
    return [malformed("l2Book: missing coin/time/levels", JSON.stringify(d) ?? "")];
  }
  const coin = lookup(d.coin);
  if (coin === undefined) return [{ kind: "ignored", what: `l2Book for unsubscribed ${d.coin}` }];
  const bids = levels(d.levels[0], coin.scale);
  const asks = levels(d.levels[1], coin.scale);
  if (bids === undefined || asks === undefined) return [malformed("l2Book: bad level", JSON.stringify(d))];
  return [{ kind: "book", book: { feed, instrument: coin.instrument, key: coin.key, tsEvent: d.time, tsRecv, bids, asks, source: "ws" } }];
}

function parseBbo(d: HlWsBbo, feed: string, tsRecv: number, lookup: HlLookup): HlEvent[] {
  if (typeof d?.coin !== "string" || typeof d.time !== "number" || !Array.isArray(d.bbo) || d.bbo.length !== 2) {
    return [malformed("bbo: missing coin/time/bbo", JSON.stringify(d) ?? "")];
  }
  const coin = lookup(d.coin);
  if (coin === undefined) return [{ kind: "ignored", what: `bbo for unsubscribed ${d.coin}` }];
  const [b, a] = d.bbo;
  const s = coin.scale;
  return [
    {
      kind: "top",
      top: {
        feed,
        instrument: coin.instrument,
        key: coin.key,
        tsEvent: d.time,
        tsRecv,
        bid: b === null ? null : +b.px / s,
        ask: a === null ? null : +a.px / s,
        bidSize: b === null ? 0 : +b.sz * s,
        askSize: a === null ? 0 : +a.sz * s,
      },
    },
  ];
}

function parseTrades(data: HlWsTrade[], feed: string, tsRecv: number, lookup: HlLookup): HlEvent[] {
  if (!Array.isArray(data)) return [malformed("trades: data not an array", JSON.stringify(data) ?? "")];
  const out: HlEvent[] = [];
  for (const t of data) {
    const coin = typeof t?.coin === "string" ? lookup(t.coin) : undefined;
    if (coin === undefined) {
      out.push({ kind: "ignored", what: `trades for unsubscribed ${String(t?.coin)}` });
      continue;
    }
    if (typeof t.px !== "string" || typeof t.sz !== "string" || typeof t.time !== "number") {
      out.push(malformed("trades: missing px/sz/time", JSON.stringify(t)));
      continue;
    }
    out.push({
      kind: "trade",
      trade: {
        feed,
        instrument: coin.instrument,
        key: coin.key,
        tsEvent: t.time,
        tsRecv,
        price: +t.px / coin.scale,
        size: +t.sz * coin.scale,
        side: takerSide(t.side, "B", "A"),
        tradeId: String(t.tid),
      },
    });
  }
  return out;
}

function parseMids(d: HlAllMids, feed: string, tsRecv: number, lookup: HlLookup): HlEvent[] {
  if (typeof d?.mids !== "object" || d.mids === null) return [malformed("allMids: no mids", JSON.stringify(d) ?? "")];
  const out: HlEvent[] = [];
  for (const name in d.mids) {
    const coin = lookup(name);
    if (coin === undefined) continue; // allMids carries every coin; only configured ones are of interest
    const px = Number(d.mids[name]);
    if (!Number.isFinite(px)) continue;
    out.push({ kind: "mid", tick: { feed, instrument: coin.instrument, key: coin.key, tsEvent: tsRecv, tsRecv, price: px / coin.scale, source: "allMids" } });
  }
  return out;
}

function parseCtx(d: HlActiveAssetCtx, feed: string, tsRecv: number, lookup: HlLookup): HlEvent[] {
  if (typeof d?.coin !== "string" || typeof d.ctx !== "object" || d.ctx === null) {
    return [malformed("activeAssetCtx: missing coin/ctx", JSON.stringify(d) ?? "")];
  }
  const coin = lookup(d.coin);
  if (coin === undefined) return [{ kind: "ignored", what: `activeAssetCtx for unsubscribed ${d.coin}` }];
  const rate = Number(d.ctx.funding);
  if (typeof d.ctx.funding !== "string" || !Number.isFinite(rate)) {
    return [malformed("activeAssetCtx: bad funding", JSON.stringify(d))];
  }
  const mark = Number(d.ctx.markPx);
  const oracle = Number(d.ctx.oraclePx);
  return [
    {
      kind: "funding",
      funding: {
        feed,
        instrument: coin.instrument,
        key: coin.key,
        // the context carries no time: it is as of receipt; funding settles every hour on the hour
        tsEvent: tsRecv,
        tsRecv,
        rate,
        nextFundingTime: (Math.floor(tsRecv / HOUR_MS) + 1) * HOUR_MS,
        intervalMs: HOUR_MS,
        markPrice: Number.isFinite(mark) ? mark / coin.scale : undefined,
        indexPrice: Number.isFinite(oracle) ? oracle / coin.scale : undefined,
      },
    },
  ];
}
