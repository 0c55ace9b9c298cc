/**
 * OKX frame → domain events. PURE: no I/O, no clock; units (contracts → base) and timestamps (string ms →
 * number) are converted here only. Unknown shapes come back as `malformed` with a shape name, so the
 * feed counts them and logs each shape once.
 */
import type { BookDelta, BookSnapshot, Funding, Level, Trade } from "../../../core/events.ts";
import type { TopOfBook } from "../../../core/book/book.ts";
import { okxBaseSize, type OkxInstrument } from "./instruments.ts";
import type { OkxBookData, OkxEventMsg, OkxFundingData, OkxLevel, OkxRestBooks, OkxTickerData, OkxTradeData } from "./messages.ts";
import { malformed, readJsonObject, takerSide, type Malformed } from "../shared/frame.ts";

/** Book channels with snapshot + incremental updates. */
export const OKX_INCREMENTAL = new Set(["books", "books-l2-tbt", "books50-l2-tbt"]);

/** Facts about the instruments the feed subscribed, by venue id. */
export type OkxLookup = (instId: string) => OkxInstrument | undefined;

/** One incremental-book message, with the raw levels kept for the checksum. */
export interface OkxBookEvent {
  readonly kind: "book";
  readonly channel: string;
  readonly action: "snapshot" | "update";
  readonly instId: string;
  readonly snapshot: BookSnapshot | undefined;
  readonly delta: BookDelta | undefined;
  /** The venue checksum; 0 = not sent (2026 deprecation); undefined = field absent. */
  readonly checksum: number | undefined;
  readonly seqId: number | undefined;
  readonly prevSeqId: number | undefined;
  readonly rawBids: readonly OkxLevel[];
  readonly rawAsks: readonly OkxLevel[];
}

export type OkxEvent =
  | OkxBookEvent
  /** books5: a whole 5-level book each push. */
  | { readonly kind: "depth"; readonly channel: string; readonly book: BookSnapshot }
  /** tickers, bbo-tbt: top of book. */
  | { readonly kind: "top"; readonly channel: string; readonly top: TopOfBook }
  | { readonly kind: "trade"; readonly trade: Trade }
  | { readonly kind: "funding"; readonly funding: Funding }
  | { readonly kind: "ack"; readonly op: "subscribe" | "unsubscribe"; readonly channel: string; readonly instId: string | undefined }
  | { readonly kind: "error"; readonly code: string; readonly msg: string; readonly channel: string | undefined; readonly instId: string | undefined }
  | { readonly kind: "notice"; readonly code: string; readonly msg: string; readonly connId: string | undefined }
  /** The answer to a login (`code` "0" = accepted). */
  | { readonly kind: "login"; readonly code: string }
  | { readonly kind: "pong" }
  /** Understood and deliberately unused (`channel-conn-count`, a push for an instrument not subscribed). */
  | { readonly kind: "ignored"; readonly what: string }
  | Malformed;

const ERROR_INST = /instId:\s*([A-Za-z0-9._-]+)/;
const ERROR_CHANNEL = /channel:\s*([A-Za-z0-9._-]+)/;

/**
 * Parses one text frame.
 *
 * @example
 * const events = parseOkxFrame(text, "okx", Date.now(), (id) => instruments.get(id));
 */
export function parseOkxFrame(text: string, feed: string, tsRecv: number, lookup: OkxLookup): OkxEvent[] {
  if (text === "pong") return [{ kind: "pong" }];
  const read = readJsonObject(text);
  if ("malformed" in read) return [read.malformed];
  const m = read.object;
  if (typeof m.event === "string") return [parseEvent(m as unknown as OkxEventMsg)];
  const arg = m.arg as { channel?: unknown; instId?: unknown } | undefined;
  if (typeof arg !== "object" || arg === null || typeof arg.channel !== "string" || !Array.isArray(m.data)) {
    return [malformed("no arg/data", text)];
  }
  const channel = arg.channel;
  const argInst = typeof arg.instId === "string" ? arg.instId : undefined;
  const data = m.data as unknown[];
  // every channel reads fields of each element: a null or scalar element would throw below
  for (const d of data) {
    if (typeof d !== "object" || d === null || Array.isArray(d)) return [malformed(`${channel}: data element not an object`, text)];
  }
  switch (channel) {
    case "books":
    case "books-l2-tbt":
    case "books50-l2-tbt":
      return parseBooks(channel, m.action, argInst, data as OkxBookData[], feed, tsRecv, lookup);
    case "books5":
      return parseDepth(channel, argInst, data as OkxBookData[], feed, tsRecv, lookup);
    case "bbo-tbt":
      return parseBbo(channel, argInst, data as OkxBookData[], feed, tsRecv, lookup);
    case "tickers":
      return parseTickers(data as OkxTickerData[], feed, tsRecv, lookup);
    case "trades":
      return parseTrades(data as OkxTradeData[], feed, tsRecv, lookup);
    case "funding-rate":
      return parseFunding(data as OkxFundingData[], feed, tsRecv, lookup);
    default:
      return [malformed(`channel ${channel}`, text)];
  }
}

function parseEvent(m: OkxEventMsg): OkxEvent {
  switch (m.event) {
    case "subscribe":
    case "unsubscribe":
      return { kind: "ack", op: m.event, channel: m.arg?.channel ?? "", instId: m.arg?.instId };
    case "error": {
      const msg = m.msg ?? "";
      return {
        kind: "error",
        code: m.code ?? "",
        msg,
        channel: m.arg?.channel ?? ERROR_CHANNEL.exec(msg)?.[1],
        instId: m.arg?.instId ?? ERROR_INST.exec(msg)?.[1],
      };
    }
    case "notice":
      return { kind: "notice", code: m.code ?? "", msg: m.msg ?? "", connId: m.connId };
    case "login":
      return { kind: "login", code: m.code ?? "" };
    case "channel-conn-count":
    case "channel-conn-count-error":
      return { kind: "ignored", what: `event ${m.event}` };
    default:
      return malformed(`event ${String((m as { event: unknown }).event)}`, JSON.stringify(m));
  }
}

/** Converts raw levels to base-unit levels. */
export function okxLevels(raw: readonly OkxLevel[], inst: OkxInstrument): Level[] {
  const out: Level[] = new Array<Level>(raw.length);
  const ct = inst.ctVal;
  const plain = !inst.inverse;
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!;
    const px = +l[0];
    const sz = +l[1];
    out[i] = [px, plain ? sz * ct : okxBaseSize(inst, sz, px)];
  }
  return out;
}

function validLevels(raw: unknown): raw is OkxLevel[] {
  if (!Array.isArray(raw)) return false;
  for (const l of raw) {
    if (!Array.isArray(l) || typeof l[0] !== "string" || typeof l[1] !== "string" || l[0] === "" || l[1] === "") return false;
    // a level the book cannot hold (NaN price, negative size) makes the frame malformed, never a book entry
    const px = +l[0];
    const sz = +l[1];
    if (!Number.isFinite(px) || !Number.isFinite(sz) || sz < 0) return false;
  }
  return true;
}

/** A book push the parser can read: valid levels on both sides and a string timestamp. */
function validBookData(d: OkxBookData): boolean {
  return validLevels(d.bids) && validLevels(d.asks) && typeof d.ts === "string";
}

/** A push for an instrument the feed did not subscribe: understood and deliberately unused. */
function unsubscribed(channel: string, instId: unknown): OkxEvent {
  return { kind: "ignored", what: `${channel} for unsubscribed ${String(instId)}` };
}

function parseBooks(
  channel: string,
  action: unknown,
  argInst: string | undefined,
  data: OkxBookData[],
  feed: string,
  tsRecv: number,
  lookup: OkxLookup,
): OkxEvent[] {
  if (action !== "snapshot" && action !== "update") return [{ kind: "malformed", shape: `${channel}: action ${String(action)}`, detail: "" }];
  const inst = argInst === undefined ? undefined : lookup(argInst);
  if (argInst === undefined) return [{ kind: "malformed", shape: `${channel}: no instId`, detail: "" }];
  if (inst === undefined) return [unsubscribed(channel, argInst)];
  const out: OkxEvent[] = [];
  for (const d of data) {
    if (!validBookData(d)) {
      out.push(malformed(`${channel}: bad levels`, JSON.stringify(d)));
      continue;
    }
    const seqId = typeof d.seqId === "number" ? d.seqId : undefined;
    const prevSeqId = typeof d.prevSeqId === "number" ? d.prevSeqId : undefined;
    const checksum = typeof d.checksum === "number" ? d.checksum : undefined;
    const ref = { feed, instrument: inst.instrument, key: inst.key, tsEvent: +d.ts, tsRecv };
    const bids = okxLevels(d.bids, inst);
    const asks = okxLevels(d.asks, inst);
    const snapshot: BookSnapshot | undefined =
      action === "snapshot" ? { ...ref, bids, asks, seq: seqId, tickSize: inst.tickSize, source: "ws" } : undefined;
    const delta: BookDelta | undefined =
      action === "update" ? { ...ref, bids, asks, seq: seqId, prevSeq: prevSeqId !== undefined && prevSeqId >= 0 ? prevSeqId : undefined } : undefined;
    out.push({ kind: "book", channel, action, instId: argInst, snapshot, delta, checksum, seqId, prevSeqId, rawBids: d.bids, rawAsks: d.asks });
  }
  return out;
}

function parseDepth(channel: string, argInst: string | undefined, data: OkxBookData[], feed: string, tsRecv: number, lookup: OkxLookup): OkxEvent[] {
  const out: OkxEvent[] = [];
  for (const d of data) {
    const id = d.instId ?? argInst;
    const inst = id === undefined ? undefined : lookup(id);
    if (inst === undefined) {
      out.push(unsubscribed(channel, id));
      continue;
    }
    if (!validBookData(d)) {
      out.push(malformed(`${channel}: bad levels`, JSON.stringify(d)));
      continue;
    }
    const book: BookSnapshot = {
      feed,
      instrument: inst.instrument,
      key: inst.key,
      tsEvent: +d.ts,
      tsRecv,
      bids: okxLevels(d.bids, inst),
      asks: okxLevels(d.asks, inst),
      seq: typeof d.seqId === "number" ? d.seqId : undefined,
      tickSize: inst.tickSize,
      source: "ws",
    };
    out.push({ kind: "depth", channel, book });
  }
  return out;
}

function topOf(inst: OkxInstrument, feed: string, tsEvent: number, tsRecv: number, bidPx: string, bidSz: string, askPx: string, askSz: string): TopOfBook {
  const bid = bidPx === "" ? null : +bidPx;
  const ask = askPx === "" ? null : +askPx;
  return {
    feed,
    instrument: inst.instrument,
    key: inst.key,
    tsEvent,
    tsRecv,
    bid,
    ask,
    bidSize: bid === null ? 0 : okxBaseSize(inst, +bidSz, bid),
    askSize: ask === null ? 0 : okxBaseSize(inst, +askSz, ask),
  };
}

function parseBbo(channel: string, argInst: string | undefined, data: OkxBookData[], feed: string, tsRecv: number, lookup: OkxLookup): OkxEvent[] {
  const inst = argInst === undefined ? undefined : lookup(argInst);
  if (inst === undefined) return [unsubscribed(channel, argInst)];
  const out: OkxEvent[] = [];
  for (const d of data) {
    if (!validBookData(d)) {
      out.push(malformed(`${channel}: bad levels`, JSON.stringify(d)));
      continue;
    }
    const b = d.bids[0];
    const a = d.asks[0];
    out.push({ kind: "top", channel, top: topOf(inst, feed, +d.ts, tsRecv, b?.[0] ?? "", b?.[1] ?? "0", a?.[0] ?? "", a?.[1] ?? "0") });
  }
  return out;
}

function parseTickers(data: OkxTickerData[], feed: string, tsRecv: number, lookup: OkxLookup): OkxEvent[] {
  const out: OkxEvent[] = [];
  for (const d of data) {
    const inst = typeof d.instId === "string" ? lookup(d.instId) : undefined;
    if (inst === undefined) {
      out.push(unsubscribed("tickers", d.instId));
      continue;
    }
    if (typeof d.bidPx !== "string" || typeof d.askPx !== "string" || typeof d.ts !== "string") {
      out.push(malformed("tickers: missing bidPx/askPx/ts", JSON.stringify(d)));
      continue;
    }
    out.push({ kind: "top", channel: "tickers", top: topOf(inst, feed, +d.ts, tsRecv, d.bidPx, d.bidSz, d.askPx, d.askSz) });
  }
  return out;
}

function parseTrades(data: OkxTradeData[], feed: string, tsRecv: number, lookup: OkxLookup): OkxEvent[] {
  const out: OkxEvent[] = [];
  for (const d of data) {
    const inst = typeof d.instId === "string" ? lookup(d.instId) : undefined;
    if (inst === undefined) {
      out.push(unsubscribed("trades", d.instId));
      continue;
    }
    if (typeof d.px !== "string" || typeof d.sz !== "string" || typeof d.ts !== "string") {
      out.push(malformed("trades: missing px/sz/ts", JSON.stringify(d)));
      continue;
    }
    const price = +d.px;
    out.push({
      kind: "trade",
      trade: {
        feed,
        instrument: inst.instrument,
        key: inst.key,
        tsEvent: +d.ts,
        tsRecv,
        price,
        size: okxBaseSize(inst, +d.sz, price),
        side: takerSide(d.side, "buy", "sell"),
        tradeId: d.tradeId,
      },
    });
  }
  return out;
}

function parseFunding(data: OkxFundingData[], feed: string, tsRecv: number, lookup: OkxLookup): OkxEvent[] {
  const out: OkxEvent[] = [];
  for (const d of data) {
    const inst = typeof d.instId === "string" ? lookup(d.instId) : undefined;
    if (inst === undefined) {
      out.push(unsubscribed("funding-rate", d.instId));
      continue;
    }
    const rate = Number(d.fundingRate);
    const at = Number(d.fundingTime);
    if (typeof d.fundingRate !== "string" || !Number.isFinite(rate) || !Number.isFinite(at)) {
      out.push(malformed("funding-rate: bad fundingRate/fundingTime", JSON.stringify(d)));
      continue;
    }
    const after = d.nextFundingTime === undefined || d.nextFundingTime === "" ? Number.NaN : Number(d.nextFundingTime);
    out.push({
      kind: "funding",
      funding: {
        feed,
        instrument: inst.instrument,
        key: inst.key,
        tsEvent: d.ts === undefined ? tsRecv : +d.ts,
        tsRecv,
        rate,
        nextFundingTime: at,
        intervalMs: Number.isFinite(after) && after > at ? after - at : undefined,
      },
    });
  }
  return out;
}

/** The REST snapshot (`GET /api/v5/market/books`) as a book, with the `seqId` it was taken at when sent. */
export function parseOkxRestBooks(
  body: unknown,
  inst: OkxInstrument,
  feed: string,
  tsRecv: number,
): { ok: true; book: BookSnapshot; raw: OkxBookData } | { ok: false; error: string } {
  const r = body as OkxRestBooks;
  if (typeof r !== "object" || r === null || r.code !== "0" || !Array.isArray(r.data) || r.data.length === 0) {
    const code = typeof r === "object" && r !== null ? `${r.code} ${r.msg ?? ""}` : "no body";
    return { ok: false, error: `the venue answered ${code}` };
  }
  const d = r.data[0]!;
  if (!validBookData(d)) return { ok: false, error: "the answer has no bids/asks" };
  return {
    ok: true,
    raw: d,
    book: {
      feed,
      instrument: inst.instrument,
      key: inst.key,
      tsEvent: +d.ts,
      tsRecv,
      bids: okxLevels(d.bids, inst),
      asks: okxLevels(d.asks, inst),
      seq: typeof d.seqId === "number" ? d.seqId : undefined,
      tickSize: inst.tickSize,
      source: "rest",
    },
  };
}
