/**
 * A fake OKX v5 public venue on 127.0.0.1 speaking the real protocol (okx.md): `{"op":"subscribe","args":
 * [{channel, instId}]}` with one ack per arg, 60018 errors for unknown instruments, text ping → pong,
 * books snapshot + updates with seqId/prevSeqId and checksums, bbo-tbt, books5, tickers, trades,
 * funding-rate, the 64008 notice, and REST `/api/v5/public/instruments` and `/api/v5/market/books`.
 *
 * Modes: `legacy` (WS snapshot, real CRC32), `checksum0` (WS snapshot, checksum always 0: June 2026),
 * `rest` (no WS snapshot, checksum 0: clients sync from REST), `noseq` (pre-2023 frames: no seq fields).
 * Faults come from the toolkit (`client.dropNext()` = sequence gap, `mutateNext()` = bad checksum,
 * `drop()`, `mode = "stalled"` …).
 */
import { createHmac } from "node:crypto";
import type { Clock } from "../../../core/clock.ts";
import type { Level } from "../../../core/events.ts";
import type { OkxLevel } from "../../../plugins/feeds/okx/messages.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";
import { OkxVenueBook } from "./venue-book.ts";

export type FakeOkxMode = "legacy" | "checksum0" | "rest" | "noseq";

/** An instrument the fake lists. */
export interface FakeOkxInstrument {
  readonly instId: string;
  readonly ctVal: number;
  readonly inverse?: boolean;
  readonly mid: number;
  readonly tick: number;
}

export const defaultOkxInstruments: readonly FakeOkxInstrument[] = [
  { instId: "BTC-USDT-SWAP", ctVal: 0.01, mid: 80_000, tick: 0.1 },
  { instId: "ETH-USDT-SWAP", ctVal: 0.1, mid: 2_300, tick: 0.01 },
  { instId: "BTC-USD-SWAP", ctVal: 100, inverse: true, mid: 80_010, tick: 0.1 },
];

const BOOK_CHANNELS = new Set(["books", "books-l2-tbt", "books50-l2-tbt"]);
const CHANNELS = new Set([...BOOK_CHANNELS, "books5", "bbo-tbt", "tickers", "trades", "funding-rate"]);

export interface FakeOkxOptions {
  readonly clock?: Clock;
  readonly mode?: FakeOkxMode;
  readonly instruments?: readonly FakeOkxInstrument[];
  readonly seed?: number;
  /** How far behind the venue's clock its event times are (`latencyMs` of every quote), ms. */
  readonly latencyMs?: number;
  /** A book without change for this long gets a keep-alive update, as OKX does (default 60000; 0 = never). */
  readonly keepAliveMs?: number;
  /** The account whose login the venue accepts (VIP channels books-l2-tbt / books50-l2-tbt need one). */
  readonly credentials?: { readonly apiKey: string; readonly secretKey: string; readonly passphrase: string };
}

export class FakeOkx {
  readonly venue: FakeVenue;
  readonly books = new Map<string, OkxVenueBook>();
  readonly instruments: ReadonlyMap<string, FakeOkxInstrument>;
  mode: FakeOkxMode;
  /** REST book requests served. */
  restBookRequests = 0;
  /** REST instrument-list requests served. */
  restInstrumentRequests = 0;
  /** Instruments (`instId`) or single subscriptions (`channel:instId`) the WebSocket refuses with 60018. */
  readonly wsRefused = new Set<string>();
  /** Answer the next n REST book requests with HTTP 500. */
  restBookFailures = 0;
  /** Answer the next n REST book requests with the book as it was this many seqIds ago (a lagging cache). */
  restLag = { times: 0, steps: 0 };
  readonly #latencyMs: number;
  readonly #credentials: FakeOkxOptions["credentials"];
  readonly #loggedIn = new WeakSet<FakeClient>();
  /** Login frames received, accepted or not. */
  logins = 0;
  #lastPush = new Map<string, number>();
  #keepAliveTimer: ReturnType<Clock["setInterval"]> | undefined;
  #history = new Map<string, { seqId: number; bids: OkxLevel[]; asks: OkxLevel[] }[]>();
  #tradeId = 1;

  constructor(options: FakeOkxOptions = {}) {
    this.mode = options.mode ?? "legacy";
    this.#latencyMs = options.latencyMs ?? 0;
    this.#credentials = options.credentials;
    const list = options.instruments ?? defaultOkxInstruments;
    this.instruments = new Map(list.map((i) => [i.instId, i]));
    let seed = options.seed ?? 7;
    for (const i of list) this.books.set(i.instId, new OkxVenueBook(i.instId, i.mid, i.tick, seed++));
    for (const id of this.books.keys()) this.#remember(id);
    this.venue = FakeVenue.start({
      clock: options.clock,
      heartbeat: (t) => (t === "ping" ? "pong" : undefined),
      subscription: (t) => {
        if (!t.startsWith("{")) return undefined;
        const m = JSON.parse(t) as { op?: string; args?: { channel: string; instId: string }[] };
        if ((m.op !== "subscribe" && m.op !== "unsubscribe") || !Array.isArray(m.args)) return undefined;
        return { op: m.op, ids: m.args.map((a) => `${a.channel}:${a.instId}`) };
      },
      onSubscribe: (c, ids) => this.#onSubscribe(c, ids),
      onMessage: (c, text) => this.#onMessage(c, text),
      onUnsubscribe: (c, ids) => {
        for (const id of ids) c.send(JSON.stringify({ event: "unsubscribe", arg: argOf(id), connId: connId(c) }));
      },
    });
    const keepAliveMs = options.keepAliveMs ?? 60_000;
    if (keepAliveMs > 0) {
      this.#keepAliveTimer = this.venue.clock.setInterval(() => {
        const now = this.venue.clock.now();
        for (const id of this.books.keys()) if (now - (this.#lastPush.get(id) ?? 0) >= keepAliveMs) this.keepAlive(id);
      }, 1_000);
    }
    this.venue.route("GET", "/api/v5/public/instruments", (_req, url) => this.#instrumentsRoute(url));
    this.venue.route("GET", "/api/v5/market/books", (_req, url) => this.#booksRoute(url));
  }

  get url(): string {
    return this.venue.url;
  }

  get httpUrl(): string {
    return this.venue.httpUrl;
  }

  /** One random change on every book (or one instrument), published to its subscribers. */
  step(instId?: string): void {
    for (const [id, book] of this.books) {
      if (instId !== undefined && id !== instId) continue;
      const { change, prevSeqId, seqId } = book.step();
      book.ts = this.#now();
      this.#remember(id);
      this.#publishUpdate(book, change.bids, change.asks, prevSeqId, seqId);
      this.#publishTops(book);
    }
  }

  /** The keep-alive push of a quiet book: no levels, `prevSeqId == seqId`. */
  keepAlive(instId: string): void {
    const book = this.books.get(instId)!;
    book.ts = this.#now();
    this.#publishUpdate(book, [], [], book.seqId, book.seqId);
  }

  /** The maintenance sequence reset: the next update carries a `seqId` below its `prevSeqId`. */
  resetSeq(instId: string, to: number): void {
    const book = this.books.get(instId)!;
    const prev = book.seqId;
    book.seqId = to;
    book.ts = this.#now();
    this.#remember(instId);
    this.#publishUpdate(book, [], [], prev, to);
  }

  /** A trade on every subscribed instrument. */
  trades(): void {
    for (const [id, book] of this.books) {
      book.ts = this.#now();
      const t = book.trade();
      this.venue.publish(`trades:${id}`, JSON.stringify({ arg: { channel: "trades", instId: id }, data: [{ instId: id, tradeId: String(this.#tradeId++), px: t.px, sz: t.sz, side: t.side, ts: String(book.ts), count: "1", source: "0", seqId: book.seqId }] }));
    }
  }

  /** A funding-rate push for every instrument. */
  funding(rate = "0.0001", fundingTime = 1_700_006_400_000): void {
    for (const id of this.books.keys()) {
      this.venue.publish(
        `funding-rate:${id}`,
        JSON.stringify({ arg: { channel: "funding-rate", instId: id }, data: [{ instId: id, fundingRate: rate, nextFundingRate: rate, fundingTime: String(fundingTime), nextFundingTime: String(fundingTime + 28_800_000), ts: String(fundingTime - 3_600_000) }] }),
      );
    }
  }

  /** The 64008 notice on one connection (sent 60 s before a service upgrade). */
  notice(c: FakeClient): void {
    c.send(JSON.stringify({ event: "notice", code: "64008", msg: "The connection will soon be closed for a service upgrade. Please reconnect.", connId: connId(c) }));
  }

  /** The venue's book now in base units, best first (what a client's store must hold). */
  depth(instId: string, limit = 400): { bids: Level[]; asks: Level[] } {
    const book = this.books.get(instId)!;
    return this.#toBase(instId, book.levels("bid", limit), book.levels("ask", limit));
  }

  /** The venue's book as it was at `seqId` (base units), or undefined when that is too far back. */
  depthAt(instId: string, seqId: number): { bids: Level[]; asks: Level[] } | undefined {
    const h = this.#history.get(instId) ?? [];
    for (let i = h.length - 1; i >= 0; i--) if (h[i]!.seqId === seqId) return this.#toBase(instId, h[i]!.bids, h[i]!.asks);
    return undefined;
  }

  #toBase(instId: string, bids: OkxLevel[], asks: OkxLevel[]): { bids: Level[]; asks: Level[] } {
    const inst = this.instruments.get(instId)!;
    const conv = (l: OkxLevel): Level => {
      const px = +l[0];
      return [px, inst.inverse === true ? (+l[1] * inst.ctVal) / px : +l[1] * inst.ctVal];
    };
    return { bids: bids.map(conv), asks: asks.map(conv) };
  }

  stop(): void {
    this.venue.clock.clearInterval(this.#keepAliveTimer);
    this.venue.stop();
  }

  #now(): number {
    return this.venue.clock.now() - this.#latencyMs;
  }

  #remember(id: string): void {
    const book = this.books.get(id)!;
    let h = this.#history.get(id);
    if (h === undefined) this.#history.set(id, (h = []));
    h.push({ seqId: book.seqId, bids: book.levels("bid"), asks: book.levels("ask") });
    if (h.length > 4_096) h.shift();
  }

  #checksumOf(book: OkxVenueBook): number {
    return this.mode === "legacy" || this.mode === "noseq" ? book.checksum() : 0;
  }

  #bookData(book: OkxVenueBook, bids: OkxLevel[], asks: OkxLevel[], prevSeqId: number, seqId: number): Record<string, unknown> {
    const d: Record<string, unknown> = { asks, bids, ts: String(book.ts), checksum: this.#checksumOf(book) };
    if (this.mode !== "noseq") {
      d.prevSeqId = prevSeqId;
      d.seqId = seqId;
    }
    return d;
  }

  #publishUpdate(book: OkxVenueBook, bids: OkxLevel[], asks: OkxLevel[], prevSeqId: number, seqId: number): void {
    this.#lastPush.set(book.instId, this.venue.clock.now());
    for (const channel of BOOK_CHANNELS) {
      const frame = JSON.stringify({ arg: { channel, instId: book.instId }, action: "update", data: [this.#bookData(book, bids, asks, prevSeqId, seqId)] });
      this.venue.publish(`${channel}:${book.instId}`, frame);
    }
  }

  #snapshotFrame(channel: string, book: OkxVenueBook): string {
    const limit = channel === "books50-l2-tbt" ? 50 : 400;
    return JSON.stringify({ arg: { channel, instId: book.instId }, action: "snapshot", data: [this.#bookData(book, book.levels("bid", limit), book.levels("ask", limit), -1, book.seqId)] });
  }

  #publishTops(book: OkxVenueBook, only?: FakeClient): void {
    const id = book.instId;
    const bids = book.levels("bid", 5);
    const asks = book.levels("ask", 5);
    const send = (sub: string, frame: string): void => {
      if (only !== undefined) {
        if (only.subscriptions.has(sub)) only.send(frame);
      } else this.venue.publish(sub, frame);
    };
    send(`books5:${id}`, JSON.stringify({ arg: { channel: "books5", instId: id }, data: [{ asks, bids, instId: id, ts: String(book.ts), seqId: book.seqId }] }));
    send(`bbo-tbt:${id}`, JSON.stringify({ arg: { channel: "bbo-tbt", instId: id }, data: [{ asks: asks.slice(0, 1), bids: bids.slice(0, 1), ts: String(book.ts), seqId: book.seqId }] }));
    const b = bids[0];
    const a = asks[0];
    send(
      `tickers:${id}`,
      JSON.stringify({ arg: { channel: "tickers", instId: id }, data: [{ instType: "SWAP", instId: id, last: a?.[0] ?? "", lastSz: "1", askPx: a?.[0] ?? "", askSz: a?.[1] ?? "", bidPx: b?.[0] ?? "", bidSz: b?.[1] ?? "", ts: String(book.ts) }] }),
    );
  }

  #onMessage(c: FakeClient, text: string): void {
    let m: { op?: string; args?: { apiKey?: string; passphrase?: string; timestamp?: string; sign?: string }[] };
    try {
      m = JSON.parse(text);
    } catch {
      c.send(JSON.stringify({ event: "error", code: "60012", msg: `Invalid request: ${text}`, connId: connId(c) }));
      return;
    }
    if (m.op !== "login") {
      c.send(JSON.stringify({ event: "error", code: "60012", msg: `Invalid request: ${text}`, connId: connId(c) }));
      return;
    }
    this.logins++;
    const a = m.args?.[0];
    const cr = this.#credentials;
    const expected = cr === undefined || a?.timestamp === undefined ? undefined : createHmac("sha256", cr.secretKey).update(`${a.timestamp}GET/users/self/verify`).digest("base64");
    if (cr !== undefined && a !== undefined && a.apiKey === cr.apiKey && a.passphrase === cr.passphrase && a.sign === expected) {
      this.#loggedIn.add(c);
      c.send(JSON.stringify({ event: "login", code: "0", msg: "", connId: connId(c) }));
    } else {
      c.send(JSON.stringify({ event: "error", code: "60009", msg: "Login failed.", connId: connId(c) }));
    }
  }

  #onSubscribe(c: FakeClient, ids: readonly string[]): void {
    for (const id of ids) {
      const { channel, instId } = argOf(id);
      if ((channel === "books-l2-tbt" || channel === "books50-l2-tbt") && !this.#loggedIn.has(c)) {
        c.subscriptions.delete(id);
        c.send(JSON.stringify({ event: "error", code: "60011", msg: "Please log in", connId: connId(c) }));
        continue;
      }
      const book = this.books.get(instId);
      if (book === undefined || !CHANNELS.has(channel) || this.wsRefused.has(instId) || this.wsRefused.has(id)) {
        c.subscriptions.delete(id);
        c.send(JSON.stringify({ event: "error", msg: `Wrong URL or channel:${channel},instId:${instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`, code: "60018", connId: connId(c) }));
        continue;
      }
      book.ts = this.#now();
      c.send(JSON.stringify({ event: "subscribe", arg: { channel, instId }, connId: connId(c) }));
      if (BOOK_CHANNELS.has(channel) && this.mode !== "rest") c.send(this.#snapshotFrame(channel, book));
      if (channel === "books5" || channel === "bbo-tbt" || channel === "tickers") this.#publishTops(book, c);
    }
  }

  #instrumentsRoute(url: URL): Response {
    this.restInstrumentRequests++;
    const type = url.searchParams.get("instType");
    const rows = [...this.instruments.values()]
      .filter((i) => type === "SWAP" && i.instId.endsWith("-SWAP"))
      .map((i) => ({
        instId: i.instId,
        instType: "SWAP",
        ctVal: String(i.ctVal),
        ctValCcy: i.inverse === true ? "USD" : i.instId.split("-")[0],
        ctType: i.inverse === true ? "inverse" : "linear",
        tickSz: String(i.tick),
        lotSz: "1",
        state: "live",
        settleCcy: i.inverse === true ? i.instId.split("-")[0] : "USDT",
      }));
    return Response.json({ code: "0", msg: "", data: rows });
  }

  #booksRoute(url: URL): Response {
    this.restBookRequests++;
    if (this.restBookFailures > 0) {
      this.restBookFailures--;
      return new Response("upstream unavailable", { status: 500 });
    }
    const instId = url.searchParams.get("instId") ?? "";
    const book = this.books.get(instId);
    if (book === undefined) return Response.json({ code: "51001", msg: "Instrument ID does not exist", data: [] });
    book.ts = this.#now();
    const sz = Number(url.searchParams.get("sz") ?? "1");
    let state = { seqId: book.seqId, bids: book.levels("bid"), asks: book.levels("ask") };
    if (this.restLag.times > 0) {
      this.restLag.times--;
      const h = this.#history.get(instId)!;
      state = h[Math.max(0, h.length - 1 - this.restLag.steps)]!;
    }
    const d: Record<string, unknown> = { asks: state.asks.slice(0, sz), bids: state.bids.slice(0, sz), ts: String(book.ts) };
    if (this.mode === "rest" || this.mode === "checksum0") d.seqId = state.seqId;
    return Response.json({ code: "0", msg: "", data: [d] });
  }
}

function argOf(id: string): { channel: string; instId: string } {
  const i = id.indexOf(":");
  return { channel: id.slice(0, i), instId: id.slice(i + 1) };
}

function connId(c: FakeClient): string {
  return `c${c.id.toString(16).padStart(7, "0")}`;
}
