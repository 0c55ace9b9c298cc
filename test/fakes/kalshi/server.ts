/**
 * A protocol-faithful fake of Kalshi's WebSocket v2 market data, as documented (docs.kalshi.com
 * websockets/*): a handshake signed with `KALSHI-ACCESS-*` headers (RSA-PSS over timestamp + GET + path,
 * verified here with the public key), `subscribe` with `market_ticker` answered by one `subscribed` per
 * channel with a per-connection `sid`, an `orderbook_snapshot` (bid-only YES/NO levels, ascending) at
 * `seq` 1 then signed `orderbook_delta`s with `seq` + 1 per sid, `unsubscribe` by `sids`, `trade`
 * pushes, protocol pings every 10 s, and `GET /trade-api/v2/markets/{ticker}`. Faults come from the shared
 * fake venue (drop the next frame = a seq gap, stalls, drops).
 */
import { constants, verify, type KeyObject } from "node:crypto";
import type { Clock } from "../../../core/clock.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";
import { seeded } from "../binance/book-truth.ts";

const WS_PATH = "/trade-api/ws/v2";
const units = (p: number): string => (p / 10_000).toFixed(4);
const count = (micro: number): string => (micro / 1e6).toFixed(2);

/** The venue's truth for one market: YES and NO bid counts (micro-contracts) by price unit. */
export interface KalshiTruth {
  readonly yes: Map<number, number>;
  readonly no: Map<number, number>;
}

interface ClientSub {
  bookSid: number | undefined;
  tradeSid: number | undefined;
  tickerSid: number | undefined;
  seq: number;
}

export interface FakeKalshiOptions {
  readonly clock?: Clock;
  readonly markets: readonly string[];
  readonly publicKey: KeyObject;
  readonly seed?: number;
  /** Title and close time per market for the REST metadata (default: "Will <ticker> resolve Yes?"). */
  readonly meta?: Readonly<Record<string, { readonly title: string; readonly close: string }>>;
}

export class FakeKalshi {
  readonly venue: FakeVenue;
  readonly truth = new Map<string, KalshiTruth>();
  /** Handshakes whose signature verified, and those that did not. */
  authOk = 0;
  authBad = 0;
  readonly #subs = new WeakMap<FakeClient, Map<string, ClientSub>>();
  readonly #sids = new WeakMap<FakeClient, number>();
  readonly #rand: () => number;
  readonly #key: KeyObject;
  readonly #clock: Clock | undefined;
  readonly #stopPings: () => void;

  constructor(options: FakeKalshiOptions) {
    this.#rand = seeded(options.seed ?? 5);
    this.#key = options.publicKey;
    this.#clock = options.clock;
    for (const m of options.markets) {
      const t: KalshiTruth = { yes: new Map(), no: new Map() };
      for (let k = 0; k < 6; k++) {
        t.yes.set(3000 + 200 * k, this.#size());
        t.no.set(3500 + 200 * k, this.#size());
      }
      this.truth.set(m, t);
    }
    const self = this;
    this.venue = FakeVenue.start({
      clock: options.clock,
      path: WS_PATH,
      subscription(text) {
        const m = JSON.parse(text) as { cmd?: string; params?: { market_ticker?: string; market_tickers?: string[] } };
        if (m.cmd !== "subscribe") return undefined;
        const ids = m.params?.market_tickers ?? (m.params?.market_ticker === undefined ? [] : [m.params.market_ticker]);
        return { op: "subscribe", ids };
      },
      onOpen: (c) => self.#verify(c),
      onSubscribe: (c, ids) => self.#onSubscribe(c, ids),
      onMessage: (c, text) => self.#onMessage(c, text),
    });
    for (const m of options.markets) {
      this.venue.route("GET", `/trade-api/v2/markets/${m}`, () =>
        Response.json({ market: { ticker: m, event_ticker: m.split("-").slice(0, 2).join("-"), title: options.meta?.[m]?.title ?? `Will ${m} resolve Yes?`, close_time: options.meta?.[m]?.close ?? "2026-12-31T23:00:00Z", status: "active" } }),
      );
    }
    // "Kalshi sends Ping frames every 10 seconds with body heartbeat"
    const pings = options.clock?.setInterval(() => {
      for (const c of this.venue.live()) c.ping("heartbeat");
    }, 10_000);
    this.#stopPings = () => options.clock?.clearInterval(pings);
  }

  get url(): string {
    return this.venue.url;
  }

  #size(): number {
    return Math.round(1 + this.#rand() * 500) * 1e6;
  }

  #verify(c: FakeClient): void {
    const key = c.headers["kalshi-access-key"];
    const ts = c.headers["kalshi-access-timestamp"];
    const sig = c.headers["kalshi-access-signature"];
    const ok =
      key !== undefined &&
      ts !== undefined &&
      sig !== undefined &&
      verify("sha256", Buffer.from(`${ts}GET${WS_PATH}`), { key: this.#key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, Buffer.from(sig, "base64"));
    if (ok) this.authOk++;
    else {
      this.authBad++;
      c.close(1008, "authentication required");
    }
  }

  #nextSid(c: FakeClient): number {
    const n = (this.#sids.get(c) ?? 0) + 1;
    this.#sids.set(c, n);
    return n;
  }

  #subsOf(c: FakeClient): Map<string, ClientSub> {
    let m = this.#subs.get(c);
    if (m === undefined) this.#subs.set(c, (m = new Map()));
    return m;
  }

  #onSubscribe(c: FakeClient, tickers: readonly string[]): void {
    const req = JSON.parse(c.subscribeFrames.at(-1)!) as { id: number; params: { channels: string[] } };
    for (const ticker of tickers) {
      const t = this.truth.get(ticker);
      if (t === undefined) {
        c.send(JSON.stringify({ id: req.id, type: "error", msg: { code: 16, msg: "Market not found" } }));
        continue;
      }
      const sub: ClientSub = { bookSid: undefined, tradeSid: undefined, tickerSid: undefined, seq: 1 };
      if (req.params.channels.includes("orderbook_delta")) {
        sub.bookSid = this.#nextSid(c);
        c.send(JSON.stringify({ id: req.id, type: "subscribed", msg: { channel: "orderbook_delta", sid: sub.bookSid } }));
      }
      if (req.params.channels.includes("ticker")) {
        sub.tickerSid = this.#nextSid(c);
        c.send(JSON.stringify({ id: req.id, type: "subscribed", msg: { channel: "ticker", sid: sub.tickerSid } }));
      }
      if (req.params.channels.includes("trade")) {
        sub.tradeSid = this.#nextSid(c);
        c.send(JSON.stringify({ id: req.id, type: "subscribed", msg: { channel: "trade", sid: sub.tradeSid } }));
      }
      this.#subsOf(c).set(ticker, sub);
      if (sub.bookSid === undefined) continue;
      const side = (m: Map<number, number>) => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([p, n]) => [units(p), count(n)]);
      const msg: Record<string, unknown> = { market_ticker: ticker, market_id: `id-${ticker}` };
      if (t.yes.size > 0) msg.yes_dollars_fp = side(t.yes);
      if (t.no.size > 0) msg.no_dollars_fp = side(t.no);
      c.send(JSON.stringify({ type: "orderbook_snapshot", sid: sub.bookSid, seq: sub.seq, msg }));
    }
  }

  #onMessage(c: FakeClient, text: string): void {
    const m = JSON.parse(text) as { id?: number; cmd?: string; params?: { sids?: number[] } };
    if (m.cmd !== "unsubscribe") return;
    c.subscribeFrames.push(text);
    const subs = this.#subsOf(c);
    for (const sid of m.params?.sids ?? []) {
      for (const [ticker, s] of subs) {
        if (s.bookSid !== sid && s.tradeSid !== sid && s.tickerSid !== sid) continue;
        subs.delete(ticker);
        c.subscriptions.delete(ticker);
      }
      c.send(JSON.stringify({ id: m.id, sid, seq: 1, type: "unsubscribed" }));
    }
  }

  /** One random signed change of one bid level (never below zero, never crossing). */
  delta(ticker: string): void {
    const t = this.truth.get(ticker)!;
    const side = this.#rand() < 0.5 ? "yes" : "no";
    const map = side === "yes" ? t.yes : t.no;
    const price = (side === "yes" ? 3000 : 3500) + 100 * Math.floor(this.#rand() * 14);
    const have = map.get(price) ?? 0;
    const change = have > 0 && this.#rand() < 0.4 ? -have : have > 0 && this.#rand() < 0.5 ? -Math.floor(have / 2e6) * 1e6 : this.#size();
    if (change === 0) return this.delta(ticker);
    const next = have + change;
    if (next === 0) map.delete(price);
    else map.set(price, next);
    const ts = this.#clock?.now() ?? Date.now();
    for (const c of this.venue.subscribers(ticker)) {
      const s = this.#subsOf(c).get(ticker);
      if (s?.bookSid === undefined) continue;
      s.seq++; // counted even when the fault layer drops the frame: that is a gap
      c.send(JSON.stringify({ type: "orderbook_delta", sid: s.bookSid, seq: s.seq, msg: { market_ticker: ticker, market_id: `id-${ticker}`, price_dollars: units(price), delta_fp: count(change), side, ts: new Date(ts).toISOString(), ts_ms: ts } }));
    }
  }

  /** Sets one bid level to an absolute count (micro-contracts), published as the signed delta. */
  setBid(ticker: string, side: "yes" | "no", priceUnits: number, micro: number): void {
    const t = this.truth.get(ticker)!;
    const map = side === "yes" ? t.yes : t.no;
    const change = micro - (map.get(priceUnits) ?? 0);
    if (change === 0) return;
    if (micro === 0) map.delete(priceUnits);
    else map.set(priceUnits, micro);
    const ts = this.#clock?.now() ?? Date.now();
    for (const c of this.venue.subscribers(ticker)) {
      const s = this.#subsOf(c).get(ticker);
      if (s?.bookSid === undefined) continue;
      s.seq++;
      c.send(JSON.stringify({ type: "orderbook_delta", sid: s.bookSid, seq: s.seq, msg: { market_ticker: ticker, price_dollars: units(priceUnits), delta_fp: count(change), side, ts_ms: ts } }));
    }
  }

  /** A ticker push: the top of the truth's YES book (best YES bid, and 1 − best NO bid as the ask). */
  tickerPush(ticker: string): void {
    const t = this.truth.get(ticker)!;
    const bid = Math.max(...t.yes.keys());
    const noBid = Math.max(...t.no.keys());
    const ts = this.#clock?.now() ?? Date.now();
    for (const c of this.venue.subscribers(ticker)) {
      const s = this.#subsOf(c).get(ticker);
      if (s?.tickerSid === undefined) continue;
      c.send(JSON.stringify({ type: "ticker", sid: s.tickerSid, msg: { market_ticker: ticker, price_dollars: units(bid), yes_bid_dollars: units(bid), yes_ask_dollars: units(10_000 - noBid), yes_bid_size_fp: count(t.yes.get(bid)!), yes_ask_size_fp: count(t.no.get(noBid)!), ts: Math.floor(ts / 1000), ts_ms: ts } }));
    }
  }

  /** A public trade push. */
  trade(ticker: string, yesUnits: number, contracts: number, takerSide: "yes" | "no"): void {
    const ts = this.#clock?.now() ?? Date.now();
    for (const c of this.venue.subscribers(ticker)) {
      const s = this.#subsOf(c).get(ticker);
      if (s?.tradeSid === undefined) continue;
      c.send(JSON.stringify({ type: "trade", sid: s.tradeSid, msg: { trade_id: `t-${ts}`, market_ticker: ticker, yes_price_dollars: units(yesUnits), no_price_dollars: units(10_000 - yesUnits), count_fp: count(contracts * 1e6), taker_side: takerSide, is_block_trade: false, ts: Math.floor(ts / 1000), ts_ms: ts } }));
    }
  }

  /** The truth as the two books a client should hold: YES and NO, best first. */
  books(ticker: string): { yes: { bids: [number, number][]; asks: [number, number][] }; no: { bids: [number, number][]; asks: [number, number][] } } {
    const t = this.truth.get(ticker)!;
    const bids = (m: Map<number, number>) => [...m.entries()].sort((a, b) => b[0] - a[0]).map(([p, n]): [number, number] => [p / 1e4, n / 1e6]);
    const asks = (m: Map<number, number>) => [...m.entries()].sort((a, b) => b[0] - a[0]).map(([p, n]): [number, number] => [(10_000 - p) / 1e4, n / 1e6]);
    return { yes: { bids: bids(t.yes), asks: asks(t.no) }, no: { bids: bids(t.no), asks: asks(t.yes) } };
  }

  /** The current book sid of a market on a client (to check resubscriptions). */
  sidOf(c: FakeClient, ticker: string): number | undefined {
    return this.#subsOf(c).get(ticker)?.bookSid;
  }

  stop(): void {
    this.#stopPings();
    this.venue.stop();
  }
}
