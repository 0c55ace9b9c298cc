/**
 * Pure parsing of Polymarket CLOB frames into domain events. No I/O, no clock: `tsRecv` and the feed id
 * come in, events come out. A frame is one JSON object or a JSON array of objects; every element is
 * parsed on its own, so one bad element costs that element only (it is reported as a problem shape).
 *
 * Units: prices and sizes are JSON strings on the wire (`".48"`, `"219.217767"`) → numbers; timestamps are
 * ms strings → numbers. `best_bid` `"0"` and `best_ask` `"1"` mean "that side is empty" → `null`.
 */
import type { BookDelta, BookSnapshot, Level, MarketNew, MarketResolved, TickSizeChange, Trade } from "../../../core/events.ts";
import type {
  PolyBestBidAskMsg,
  PolyBookMsg,
  PolyLastTradePriceMsg,
  PolyLegacyPriceChangeMsg,
  PolyLevel,
  PolyMarketResolvedMsg,
  PolyNewMarketMsg,
  PolyPriceChangeEntry,
  PolyPriceChangeMsg,
  PolyTickSizeChangeMsg,
  PolyUserOrderMsg,
  PolyUserTradeMsg,
} from "./messages.ts";
import { takerSide } from "../shared/frame.ts";

/** A whole book of one token; `wire` keeps the frame for hash verification (levels in wire order). */
export interface PolyBookEvent {
  readonly kind: "book";
  readonly market: string;
  readonly book: BookSnapshot;
  readonly wire: PolyBookMsg;
}

/**
 * Changed levels of one token from one frame (all its entries, in order). `bestBid`/`bestAsk` are the
 * venue's top after the last of them: a number, `null` for an empty side, `undefined` when not sent.
 */
export interface PolyChangeEvent {
  readonly kind: "change";
  readonly market: string;
  readonly delta: BookDelta;
  readonly bestBid: number | null | undefined;
  readonly bestAsk: number | null | undefined;
}

export interface PolyTickSizeEvent {
  readonly kind: "tick_size";
  readonly market: string;
  readonly change: TickSizeChange;
}

export interface PolyTradeEvent {
  readonly kind: "trade";
  readonly market: string;
  readonly trade: Trade;
  readonly feeRateBps: number | undefined;
}

/** `best_bid_ask`: the venue's top of book (a cross-check, not a book update). */
export interface PolyTopEvent {
  readonly kind: "top";
  readonly market: string;
  readonly instrument: string;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly tsEvent: number;
}

export interface PolyMarketNewEvent {
  readonly kind: "market_new";
  readonly market: MarketNew;
}

export interface PolyMarketResolvedEvent {
  readonly kind: "market_resolved";
  readonly resolved: MarketResolved;
}

/** User channel: an order or a trade of the account (kept in wire shape; it is the account's own data). */
export interface PolyUserEvent {
  readonly kind: "user_order" | "user_trade";
  readonly tsEvent: number;
  readonly tsRecv: number;
  readonly msg: PolyUserOrderMsg | PolyUserTradeMsg;
}

export type PolyEvent =
  | PolyBookEvent
  | PolyChangeEvent
  | PolyTickSizeEvent
  | PolyTradeEvent
  | PolyTopEvent
  | PolyMarketNewEvent
  | PolyMarketResolvedEvent
  | PolyUserEvent;

/** What a frame held: its events, and the shapes of elements that could not be read (counted, logged once). */
export interface PolyFrame {
  readonly events: PolyEvent[];
  readonly problems: string[];
}

class WireProblem extends Error {}

/** A wire number (string or number) → number; throws naming the field when it is not one. */
export function num(s: unknown, what: string): number {
  const n = typeof s === "string" && s !== "" ? Number(s) : typeof s === "number" ? s : Number.NaN;
  if (!Number.isFinite(n)) throw new WireProblem(`${what}: expected a number string, found ${JSON.stringify(s)?.slice(0, 30)}`);
  return n;
}

/** A wire size: a number ≥ 0 (0 removes a level); throws naming the field otherwise. */
export function sizeNum(s: unknown, what: string): number {
  const n = num(s, what);
  if (n < 0) throw new WireProblem(`${what}: expected a size ≥ 0, found ${n}`);
  return n;
}

/** A non-empty wire string; throws naming the field. */
export function str(s: unknown, what: string): string {
  if (typeof s !== "string" || s === "") throw new WireProblem(`${what}: expected a string`);
  return s;
}

/** Wire levels → domain levels (any order; the book sorts). */
export function parseLevels(levels: readonly PolyLevel[] | undefined, what: string): Level[] {
  if (!Array.isArray(levels)) throw new WireProblem(`${what}: expected an array of levels`);
  const out: Level[] = new Array<Level>(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    out[i] = [num(l.price, `${what}.price`), sizeNum(l.size, `${what}.size`)];
  }
  return out;
}

/** `best_bid` → number, `"0"` (no bid) → null. */
function bestBidOf(s: string | undefined): number | null | undefined {
  if (s === undefined) return undefined;
  const n = num(s, "best_bid");
  return n <= 0 ? null : n;
}

/** `best_ask` → number, `"1"` (no ask) → null. */
function bestAskOf(s: string | undefined): number | null | undefined {
  if (s === undefined) return undefined;
  const n = num(s, "best_ask");
  return n >= 1 ? null : n;
}

function parseBook(m: PolyBookMsg, feed: string, tsRecv: number): PolyBookEvent {
  const instrument = str(m.asset_id, "book.asset_id");
  const tick = m.tick_size === undefined || m.tick_size === "" ? undefined : num(m.tick_size, "book.tick_size");
  const book: BookSnapshot = {
    feed,
    instrument,
    key: instrument,
    tsEvent: num(m.timestamp, "book.timestamp"),
    tsRecv,
    bids: parseLevels(m.bids, "book.bids"),
    asks: parseLevels(m.asks, "book.asks"),
    source: "ws",
    ...(tick === undefined ? {} : { tickSize: tick }),
  };
  return { kind: "book", market: m.market, book, wire: m };
}

/** Current shape: group entries per token in arrival order; the last entry of a token carries its top. */
function parsePriceChanges(m: PolyPriceChangeMsg, feed: string, tsRecv: number, out: PolyEvent[]): void {
  const tsEvent = num(m.timestamp, "price_change.timestamp");
  const byAsset = new Map<string, { bids: Level[]; asks: Level[]; last: PolyPriceChangeEntry }>();
  for (const e of m.price_changes) {
    const asset = str(e.asset_id, "price_change.asset_id");
    let g = byAsset.get(asset);
    if (g === undefined) byAsset.set(asset, (g = { bids: [], asks: [], last: e }));
    const level: Level = [num(e.price, "price_change.price"), sizeNum(e.size, "price_change.size")];
    if (e.side === "BUY") g.bids.push(level);
    else if (e.side === "SELL") g.asks.push(level);
    else throw new WireProblem(`price_change.side: expected BUY or SELL, found ${String(e.side)}`);
    g.last = e;
  }
  for (const [instrument, g] of byAsset) {
    out.push({
      kind: "change",
      market: m.market,
      delta: { feed, instrument, key: instrument, tsEvent, tsRecv, bids: g.bids, asks: g.asks },
      bestBid: bestBidOf(g.last.best_bid),
      bestAsk: bestAskOf(g.last.best_ask),
    });
  }
}

function parseLegacyPriceChange(m: PolyLegacyPriceChangeMsg, feed: string, tsRecv: number): PolyChangeEvent {
  const instrument = str(m.asset_id, "price_change.asset_id");
  const bids: Level[] = [];
  const asks: Level[] = [];
  for (const c of m.changes) {
    const level: Level = [num(c.price, "changes.price"), sizeNum(c.size, "changes.size")];
    if (c.side === "BUY") bids.push(level);
    else if (c.side === "SELL") asks.push(level);
    else throw new WireProblem(`changes.side: expected BUY or SELL, found ${String(c.side)}`);
  }
  const delta: BookDelta = { feed, instrument, key: instrument, tsEvent: num(m.timestamp, "price_change.timestamp"), tsRecv, bids, asks };
  return { kind: "change", market: m.market, delta, bestBid: undefined, bestAsk: undefined };
}

function parseTickSize(m: PolyTickSizeChangeMsg, feed: string, tsRecv: number): PolyTickSizeEvent {
  const instrument = str(m.asset_id, "tick_size_change.asset_id");
  return {
    kind: "tick_size",
    market: m.market,
    change: {
      feed,
      instrument,
      key: instrument,
      tsEvent: num(m.timestamp, "tick_size_change.timestamp"),
      tsRecv,
      oldTickSize: num(m.old_tick_size, "old_tick_size"),
      newTickSize: num(m.new_tick_size, "new_tick_size"),
    },
  };
}

function parseTrade(m: PolyLastTradePriceMsg, feed: string, tsRecv: number): PolyTradeEvent {
  const instrument = str(m.asset_id, "last_trade_price.asset_id");
  const trade: Trade = {
    feed,
    instrument,
    key: instrument,
    tsEvent: num(m.timestamp, "last_trade_price.timestamp"),
    tsRecv,
    price: num(m.price, "last_trade_price.price"),
    size: num(m.size, "last_trade_price.size"),
    side: takerSide(m.side, "BUY", "SELL"),
    ...(m.transaction_hash === undefined ? {} : { tradeId: m.transaction_hash }),
  };
  const fee = m.fee_rate_bps === undefined || m.fee_rate_bps === "" ? undefined : num(m.fee_rate_bps, "fee_rate_bps");
  return { kind: "trade", market: m.market, trade, feeRateBps: fee };
}

function parseTop(m: PolyBestBidAskMsg): PolyTopEvent {
  return {
    kind: "top",
    market: m.market,
    instrument: str(m.asset_id, "best_bid_ask.asset_id"),
    bid: bestBidOf(m.best_bid) ?? null,
    ask: bestAskOf(m.best_ask) ?? null,
    tsEvent: num(m.timestamp, "best_bid_ask.timestamp"),
  };
}

/** `new_market` → `market.new`; `meta` in Gamma casing (what strategies read), numbers as numbers. */
export function parseNewMarket(m: PolyNewMarketMsg, feed: string, tsRecv: number): MarketNew {
  const condition = str(m.market, "new_market.market");
  const tokens = m.assets_ids ?? m.clob_token_ids ?? [];
  const fs = m.fee_schedule;
  const meta: Record<string, unknown> = {
    id: m.id,
    conditionId: condition,
    question: m.question,
    slug: m.slug,
    outcomes: m.outcomes,
    clobTokenIds: tokens,
    active: m.active,
    tags: m.tags,
    groupItemTitle: m.group_item_title,
    eventId: m.event_message?.id,
    eventSlug: m.event_message?.slug,
    orderPriceMinTickSize: m.order_price_min_tick_size === undefined ? undefined : num(m.order_price_min_tick_size, "order_price_min_tick_size"),
    takerBaseFee: m.taker_base_fee === undefined ? undefined : num(m.taker_base_fee, "taker_base_fee"),
    feesEnabled: m.fees_enabled,
    feeSchedule:
      fs === undefined
        ? undefined
        : { exponent: num(fs.exponent, "fee_schedule.exponent"), rate: num(fs.rate, "fee_schedule.rate"), takerOnly: fs.taker_only, rebateRate: num(fs.rebate_rate, "fee_schedule.rebate_rate") },
    source: "ws",
  };
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return {
    feed,
    instrument: condition,
    key: condition,
    tsEvent: num(m.timestamp, "new_market.timestamp"),
    tsRecv,
    question: m.question ?? "",
    ...(m.slug === undefined ? {} : { slug: m.slug }),
    outcomes: m.outcomes ?? [],
    instruments: tokens,
    meta,
  };
}

function parseResolved(m: PolyMarketResolvedMsg, feed: string, tsRecv: number): MarketResolved {
  const condition = str(m.market, "market_resolved.market");
  return {
    feed,
    instrument: condition,
    key: condition,
    tsEvent: num(m.timestamp, "market_resolved.timestamp"),
    tsRecv,
    ...(m.winning_outcome === undefined ? {} : { winningOutcome: m.winning_outcome }),
    ...(m.winning_asset_id === undefined ? {} : { winningInstrument: m.winning_asset_id }),
  };
}

function parseElement(el: unknown, feed: string, tsRecv: number, out: PolyEvent[]): void {
  if (typeof el !== "object" || el === null || Array.isArray(el)) throw new WireProblem("json: expected an object");
  const m = el as { event_type?: unknown };
  switch (m.event_type) {
    case "book":
      out.push(parseBook(el as PolyBookMsg, feed, tsRecv));
      return;
    case "price_change":
      if (Array.isArray((el as PolyPriceChangeMsg).price_changes)) parsePriceChanges(el as PolyPriceChangeMsg, feed, tsRecv, out);
      else if (Array.isArray((el as PolyLegacyPriceChangeMsg).changes)) out.push(parseLegacyPriceChange(el as PolyLegacyPriceChangeMsg, feed, tsRecv));
      else throw new WireProblem("price_change: neither price_changes[] nor changes[]");
      return;
    case "tick_size_change":
      out.push(parseTickSize(el as PolyTickSizeChangeMsg, feed, tsRecv));
      return;
    case "last_trade_price":
      out.push(parseTrade(el as PolyLastTradePriceMsg, feed, tsRecv));
      return;
    case "best_bid_ask":
      out.push(parseTop(el as PolyBestBidAskMsg));
      return;
    case "new_market":
      out.push({ kind: "market_new", market: parseNewMarket(el as PolyNewMarketMsg, feed, tsRecv) });
      return;
    case "market_resolved":
      out.push({ kind: "market_resolved", resolved: parseResolved(el as PolyMarketResolvedMsg, feed, tsRecv) });
      return;
    case "order":
    case "trade": {
      const msg = el as PolyUserOrderMsg | PolyUserTradeMsg;
      out.push({ kind: m.event_type === "order" ? "user_order" : "user_trade", tsEvent: num(msg.timestamp, `${m.event_type}.timestamp`) * 1000, tsRecv, msg });
      return;
    }
    default:
      throw new WireProblem(`event:${String(m.event_type)}`);
  }
}

/**
 * Parses one CLOB WebSocket frame (market or user channel).
 *
 * @example
 * const { events, problems } = parseClobFrame('{"event_type":"book",…}', Date.now(), "polymarket");
 */
export function parseClobFrame(text: string, tsRecv: number, feed: string): PolyFrame {
  const events: PolyEvent[] = [];
  const problems: string[] = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { events, problems: ["json"] };
  }
  const elements = Array.isArray(value) ? value : [value];
  for (const el of elements) {
    try {
      parseElement(el, feed, tsRecv, events);
    } catch (error) {
      problems.push(error instanceof WireProblem ? error.message : `${String((el as { event_type?: unknown })?.event_type)}: ${String(error)}`);
    }
  }
  return { events, problems };
}
