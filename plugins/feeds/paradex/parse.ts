/**
 * Paradex frame → domain events. PURE: no I/O, no clock. SBE binary frames are decoded with the schema
 * codec; JSON-RPC text frames carry acks, errors and (where still served) JSON market data. Prices and
 * sizes become numbers and µs timestamps ms here only. Unknown shapes come back as `malformed`.
 */
import type { TopOfBook } from "../../../core/book/book.ts";
import type { BookDelta, BookSnapshot, Funding, Level, Trade } from "../../../core/events.ts";
import type { ParadexJsonBbo, ParadexJsonBook, ParadexJsonFunding, ParadexJsonLevel, ParadexJsonTrade, ParadexResponse } from "./messages.ts";
import { SbeDecodeError, type SbeCodec, type SbeDecoded, type SbeValue } from "./sbe/codec.ts";
import { malformed, readJsonObject, takerSide, type Malformed } from "../shared/frame.ts";

/** The instrument a market belongs to: the id as configured and its cross-venue key. */
export interface ParadexMarket {
  readonly instrument: string;
  readonly key: string;
}
export type ParadexLookup = (market: string) => ParadexMarket | undefined;

export type ParadexEvent =
  | { readonly kind: "snapshot"; readonly book: BookSnapshot }
  | { readonly kind: "delta"; readonly book: BookDelta }
  | { readonly kind: "top"; readonly top: TopOfBook }
  | { readonly kind: "trade"; readonly trade: Trade }
  | { readonly kind: "funding"; readonly funding: Funding }
  /** A JSON-RPC success: a subscribe/unsubscribe ack (`channel`) or the auth answer. */
  | { readonly kind: "ack"; readonly id: number | null; readonly channel: string | undefined }
  | { readonly kind: "error"; readonly id: number | null; readonly code: number; readonly message: string }
  /** SBE HeartbeatEvent: proof of life, nothing to apply. */
  | { readonly kind: "heartbeat" }
  | { readonly kind: "ignored"; readonly what: string }
  | Malformed;

/**
 * The cross-venue key of a Paradex market. Paradex perps are USDC-settled: `BTC-USD-PERP` → `BTC-USDC-PERP`.
 * Anything else (options, unknown shapes) keeps its own id.
 */
export function paradexKey(market: string): string {
  const parts = market.split("-");
  if (parts.length === 3 && parts[1] === "USD" && parts[2] === "PERP") return `${parts[0]}-USDC-PERP`;
  return market;
}

const US_PER_MS = 1000;

/**
 * Parses one frame (binary = SBE, text = JSON-RPC).
 *
 * @example
 * const events = parseParadexFrame(frame, "paradex", Date.now(), lookup, paradexCodec());
 */
export function parseParadexFrame(data: string | Uint8Array, feed: string, tsRecv: number, lookup: ParadexLookup, codec: SbeCodec): ParadexEvent[] {
  if (typeof data !== "string") return parseSbe(data, feed, tsRecv, lookup, codec);
  return parseJson(data, feed, tsRecv, lookup);
}

function parseSbe(bytes: Uint8Array, feed: string, tsRecv: number, lookup: ParadexLookup, codec: SbeCodec): ParadexEvent[] {
  let m: SbeDecoded;
  try {
    m = codec.decode(bytes);
  } catch (error) {
    if (error instanceof SbeDecodeError) {
      // Unknown templates are a newer schema's messages: skipped, counted once per id (schema notes).
      return [{ kind: "malformed", shape: `sbe ${error.reason}${error.reason === "templateId" ? ` ${codec.templateId(bytes)}` : ""}`, detail: error.message }];
    }
    throw error;
  }
  if (m.name === "HeartbeatEvent") return [{ kind: "heartbeat" }];
  const market = m.data.market;
  if (market === undefined) return [{ kind: "ignored", what: `sbe ${m.name}` }];
  const inst = lookup(market);
  if (inst === undefined) return [{ kind: "ignored", what: `sbe ${m.name} for unsubscribed ${market}` }];
  const f = m.fields;
  const ref = { feed, instrument: inst.instrument, key: inst.key, tsRecv };
  switch (m.name) {
    case "BboEvent":
      return [{ kind: "top", top: { ...ref, tsEvent: ms(f.ts), bid: num(f.bidPrice), ask: num(f.askPrice), bidSize: num(f.bidSize) ?? 0, askSize: num(f.askSize) ?? 0 } }];
    case "BookEvent": {
      const bids = sbeLevels(m.groups.bids);
      const asks = sbeLevels(m.groups.asks);
      if (bids === undefined || asks === undefined) return [{ kind: "malformed", shape: "sbe BookEvent level without price/size", detail: market }];
      const seq = num(f.seq) ?? undefined;
      const tsEvent = ms(f.ts);
      switch (f.pkgType) {
        case "SNAPSHOT":
          return [{ kind: "snapshot", book: { ...ref, tsEvent, bids, asks, seq, source: "ws" } }];
        case "DELTA":
          return [{ kind: "delta", book: { ...ref, tsEvent, bids, asks, seq } }];
        default:
          return [{ kind: "malformed", shape: `sbe BookEvent pkgType ${String(f.pkgType)}`, detail: market }];
      }
    }
    case "TradeEvent": {
      const price = num(f.price);
      const size = num(f.size);
      if (price === null || size === null) return [{ kind: "malformed", shape: "sbe TradeEvent null price/size", detail: market }];
      return [{ kind: "trade", trade: { ...ref, tsEvent: ms(f.createdAt), price, size, side: takerSide(f.side, "BUY", "SELL"), tradeId: String(f.tradeId) } }];
    }
    case "FundingDataEvent": {
      const rate = num(f.fundingRate);
      if (rate === null) return [{ kind: "malformed", shape: "sbe FundingDataEvent null rate", detail: market }];
      const hours = num(f.fundingPeriodHours);
      return [{ kind: "funding", funding: { ...ref, tsEvent: ms(f.createdAt), rate, intervalMs: hours !== null && hours > 0 ? hours * 3_600_000 : undefined } }];
    }
    case "MarketSummaryEvent": {
      // Prefer the 12-dp rate (1:1) and fall back to the 8-dp one (schema notes).
      const rate = num(f.fundingRatePrecise) ?? num(f.fundingRate);
      if (rate === null) return [{ kind: "ignored", what: "sbe MarketSummaryEvent without a funding rate" }];
      return [{ kind: "funding", funding: { ...ref, tsEvent: ms(f.ts), rate, markPrice: num(f.markPrice) ?? undefined, indexPrice: num(f.indexPrice) ?? undefined } }];
    }
    default:
      return [{ kind: "ignored", what: `sbe ${m.name}` }];
  }
}

function num(v: SbeValue | undefined): number | null {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null;
}

function ms(us: SbeValue | undefined): number {
  return Math.floor((num(us) ?? 0) / US_PER_MS);
}

/** Group entries as levels, or undefined when one has no price or size (a frame to refuse, not a book). */
function sbeLevels(entries: readonly Record<string, SbeValue>[] | undefined): Level[] | undefined {
  if (entries === undefined) return [];
  const out: Level[] = new Array<Level>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const price = e.price;
    const size = e.size;
    if (typeof price !== "number" || typeof size !== "number" || !(price > 0) || !(size >= 0)) return undefined;
    out[i] = [price, size];
  }
  return out;
}

function parseJson(text: string, feed: string, tsRecv: number, lookup: ParadexLookup): ParadexEvent[] {
  const read = readJsonObject(text);
  if ("malformed" in read) return [read.malformed];
  const m = read.object;
  if (m.method === "subscription") {
    const params = m.params as { channel?: unknown; data?: unknown } | undefined;
    if (typeof params?.channel !== "string" || typeof params.data !== "object" || params.data === null) {
      return [malformed("subscription without channel/data", text)];
    }
    return parsePush(params.channel, params.data as Record<string, unknown>, feed, tsRecv, lookup);
  }
  if ("result" in m || "error" in m) {
    const r = m as unknown as ParadexResponse;
    const id = typeof r.id === "number" ? r.id : null;
    if (r.error !== undefined) return [{ kind: "error", id, code: Number(r.error.code), message: String(r.error.message ?? "") }];
    return [{ kind: "ack", id, channel: r.result?.channel }];
  }
  return [malformed(`method ${String(m.method)}`, text)];
}

function parsePush(channel: string, d: Record<string, unknown>, feed: string, tsRecv: number, lookup: ParadexLookup): ParadexEvent[] {
  const kind = channel.slice(0, channel.indexOf("."));
  const market = typeof d.market === "string" ? d.market : undefined;
  const inst = market === undefined ? undefined : lookup(market);
  if (inst === undefined) return [{ kind: "ignored", what: `${kind} for unsubscribed ${String(market)}` }];
  const ref = { feed, instrument: inst.instrument, key: inst.key, tsRecv };
  switch (kind) {
    case "order_book": {
      const b = d as unknown as ParadexJsonBook;
      if (!validLevels(b.inserts) || typeof b.last_updated_at !== "number") return [malformed("order_book: bad levels", JSON.stringify(d))];
      const seq = typeof b.seq_no === "number" ? b.seq_no : undefined;
      if (b.update_type === "s") {
        const { bids, asks } = jsonLevels([b.inserts], false);
        return [{ kind: "snapshot", book: { ...ref, tsEvent: b.last_updated_at, bids, asks, seq, source: "ws" } }];
      }
      if (b.update_type === "d" && validLevels(b.updates) && validLevels(b.deletes)) {
        const set = jsonLevels([b.inserts, b.updates], false);
        const del = jsonLevels([b.deletes], true);
        return [{ kind: "delta", book: { ...ref, tsEvent: b.last_updated_at, bids: [...set.bids, ...del.bids], asks: [...set.asks, ...del.asks], seq } }];
      }
      return [malformed(`order_book: update_type ${String(b.update_type)}`, JSON.stringify(d))];
    }
    case "bbo": {
      const b = d as unknown as ParadexJsonBbo;
      if (typeof b.last_updated_at !== "number") return [malformed("bbo: no last_updated_at", JSON.stringify(d))];
      const bid = b.bid === null || b.bid === undefined || b.bid === "" ? null : +b.bid;
      const ask = b.ask === null || b.ask === undefined || b.ask === "" ? null : +b.ask;
      return [{ kind: "top", top: { ...ref, tsEvent: b.last_updated_at, bid, ask, bidSize: bid === null ? 0 : +(b.bid_size ?? 0), askSize: ask === null ? 0 : +(b.ask_size ?? 0) } }];
    }
    case "trades": {
      const t = d as unknown as ParadexJsonTrade;
      if (typeof t.price !== "string" || typeof t.size !== "string" || typeof t.created_at !== "number") {
        return [malformed("trades: missing price/size/created_at", JSON.stringify(d))];
      }
      return [{ kind: "trade", trade: { ...ref, tsEvent: t.created_at, price: +t.price, size: +t.size, side: takerSide(t.side, "BUY", "SELL"), tradeId: t.id } }];
    }
    case "funding_data": {
      const f = d as unknown as ParadexJsonFunding;
      const rate = Number(f.funding_rate);
      if (typeof f.funding_rate !== "string" || !Number.isFinite(rate)) return [malformed("funding_data: bad funding_rate", JSON.stringify(d))];
      const hours = typeof f.funding_period_hours === "number" && f.funding_period_hours > 0 ? f.funding_period_hours : undefined;
      return [{ kind: "funding", funding: { ...ref, tsEvent: typeof f.created_at === "number" ? f.created_at : tsRecv, rate, intervalMs: hours === undefined ? undefined : hours * 3_600_000 } }];
    }
    default:
      return [{ kind: "ignored", what: `channel ${kind}` }];
  }
}

function validLevels(raw: unknown): raw is ParadexJsonLevel[] {
  if (!Array.isArray(raw)) return false;
  for (const l of raw) {
    if (typeof l !== "object" || l === null) return false;
    const x = l as Record<string, unknown>;
    if ((x.side !== "BUY" && x.side !== "SELL") || typeof x.price !== "string" || typeof x.size !== "string") return false;
    if (!(+x.price > 0) || !(+x.size >= 0)) return false;
  }
  return true;
}

function jsonLevels(lists: readonly (readonly ParadexJsonLevel[])[], remove: boolean): { bids: Level[]; asks: Level[] } {
  const bids: Level[] = [];
  const asks: Level[] = [];
  for (const list of lists) {
    for (const l of list) (l.side === "BUY" ? bids : asks).push([+l.price, remove ? 0 : +l.size]);
  }
  return { bids, asks };
}
