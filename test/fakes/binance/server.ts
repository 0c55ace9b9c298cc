/**
 * A protocol-faithful fake of Binance USD-M market data: the combined-stream endpoint (`/stream`, also
 * `?streams=a/b`), SUBSCRIBE/UNSUBSCRIBE with `{"result":null,"id":…}` answers, diff depth events with
 * `U`/`u`/`pu` (U jumps like the real stream: it is not previous u + 1), bookTicker, aggTrade,
 * markPriceUpdate, the REST depth snapshot `/fapi/v1/depth` at `lastUpdateId`, 200 streams per
 * connection, and faults (lost events, stalls, drops, server pings) through the shared fake venue.
 */
import type { Clock } from "../../../core/clock.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";
import { BookTruth, dec, TruthHistory } from "./book-truth.ts";

interface SymbolState {
  truth: BookTruth;
  /** Last update id applied to the truth. */
  u: number;
  E: number;
}

export interface FakeBinanceOptions {
  /** Venue clock: event times (`E`, `T`) follow it, so the client sees realistic latency. */
  readonly clock?: Clock;
  readonly symbols: readonly string[];
  /** Levels per side of each book (default 40). */
  readonly levels?: number;
  readonly seed?: number;
  readonly maxPerConnection?: number;
}

/** What the fake answers to REST depth requests with, per symbol (counted for tests). */
export class FakeBinance {
  /** The `/public` endpoint (depth, bookTicker) and the REST routes. */
  readonly venue: FakeVenue;
  /** The `/market` endpoint (aggTrade, markPrice). */
  readonly market: FakeVenue;
  readonly books = new Map<string, SymbolState>();
  /** The venue's book at every update id, per symbol. */
  readonly history = new TruthHistory();
  /** REST depth requests served, per symbol. */
  readonly depthRequests = new Map<string, number>();
  /** Events never sent (a lost frame), per symbol, to explain a gap. */
  #skip = new Map<string, number>();
  #clock: Clock | undefined;

  constructor(options: FakeBinanceOptions) {
    this.#clock = options.clock;
    let seed = options.seed ?? 7;
    for (const s of options.symbols) {
      this.books.set(s, { truth: new BookTruth({ mid: s.startsWith("BTC") ? 60000 : 3000, tick: s.startsWith("BTC") ? 0.1 : 0.01, levels: options.levels ?? 40, seed: seed++ }), u: 1_000_000, E: 1_700_000_000_000 });
    }
    for (const [s, st] of this.books) this.history.record(s, st.u, st.truth);
    const self = this;
    const protocol = (path: string) => ({
      clock: options.clock,
      path,
      maxPerConnection: options.maxPerConnection ?? 200,
      subscription(text: string) {
        if (!text.startsWith("{")) return undefined;
        const m = JSON.parse(text) as { method?: string; params?: string[] };
        if ((m.method === "SUBSCRIBE" || m.method === "UNSUBSCRIBE") && Array.isArray(m.params)) return { op: m.method === "SUBSCRIBE" ? ("subscribe" as const) : ("unsubscribe" as const), ids: m.params };
        return undefined;
      },
      onOpen(client: FakeClient) {
        const streams = client.query.get("streams");
        if (streams !== null && streams !== "") for (const s of streams.split("/")) client.subscriptions.add(s);
      },
      onSubscribe: (client: FakeClient) => self.#ack(client),
      onUnsubscribe: (client: FakeClient) => self.#ack(client),
    });
    // USD-M routes by path: /public carries depth and bookTicker, /market aggTrade and markPrice; a stream
    // subscribed on the other path is acknowledged and never delivered, as on the real venue
    this.venue = FakeVenue.start(protocol("/public/stream"));
    this.market = FakeVenue.start(protocol("/market/stream"));
    this.venue.route("GET", "/fapi/v1/depth", (_req, url) => {
      const symbol = url.searchParams.get("symbol") ?? "";
      const st = this.books.get(symbol);
      if (st === undefined) return Response.json({ code: -1121, msg: "Invalid symbol." }, { status: 400 });
      const limit = Number(url.searchParams.get("limit") ?? "500");
      this.depthRequests.set(symbol, (this.depthRequests.get(symbol) ?? 0) + 1);
      const lv = (side: "bid" | "ask") => st.truth.levels(side, limit).map(([p, q]) => [dec(p), dec(q)]);
      return Response.json({ lastUpdateId: st.u, E: st.E, T: st.E, bids: lv("bid"), asks: lv("ask") });
    });
  }

  /** `ws://…/public/stream` */
  get url(): string {
    return this.venue.url;
  }

  /** `ws://…/market/stream` */
  get marketUrl(): string {
    return this.market.url;
  }

  /** `http://…` (the REST base). */
  get restUrl(): string {
    return this.venue.httpUrl;
  }

  #ack(client: FakeClient): void {
    const last = client.subscribeFrames.at(-1);
    const id = last === undefined ? null : (JSON.parse(last) as { id?: number }).id ?? null;
    client.send(JSON.stringify({ result: null, id }));
  }

  /** The next event for `symbol` is applied to the truth but never sent (a lost frame → pu gap). */
  loseNext(symbol: string, n = 1): void {
    this.#skip.set(symbol, (this.#skip.get(symbol) ?? 0) + n);
  }

  /** One random depth change for `symbol`, published on `<symbol>@depth@<speed>` streams. Returns the event's u. */
  depth(symbol: string, speed = "100ms"): number {
    const st = this.books.get(symbol)!;
    const change = st.truth.change();
    const pu = st.u;
    // a real event spans several engine updates; U starts after a jump, not at pu + 1
    const U = pu + 1 + Math.floor(Math.random() * 5);
    const u = U + Math.floor(Math.random() * 20);
    st.u = u;
    this.history.record(symbol, u, st.truth);
    st.E = this.#now(st.E + 100);
    const skip = this.#skip.get(symbol) ?? 0;
    if (skip > 0) {
      this.#skip.set(symbol, skip - 1);
      return u;
    }
    const stream = `${symbol.toLowerCase()}@depth${speed === "250ms" ? "" : `@${speed}`}`;
    const data = { e: "depthUpdate", E: st.E, T: st.E - 3, s: symbol, U, u, pu, b: change.bids.map(([p, q]) => [dec(p), dec(q)]), a: change.asks.map(([p, q]) => [dec(p), dec(q)]) };
    this.venue.publish(stream, JSON.stringify({ stream, data }));
    return u;
  }

  /** A bookTicker push of the truth's top. */
  bookTicker(symbol: string): void {
    const st = this.books.get(symbol)!;
    const [b] = st.truth.levels("bid", 1);
    const [a] = st.truth.levels("ask", 1);
    const stream = `${symbol.toLowerCase()}@bookTicker`;
    st.E = this.#now(st.E + 1);
    const data = { e: "bookTicker", u: st.u, s: symbol, b: dec(b![0]), B: dec(b![1]), a: dec(a![0]), A: dec(a![1]), T: st.E - 2, E: st.E };
    this.venue.publish(stream, JSON.stringify({ stream, data }));
  }

  /** A markPriceUpdate push (funding). */
  markPrice(symbol: string, rate: string, nextFundingTime: number): void {
    const stream = `${symbol.toLowerCase()}@markPrice@1s`;
    const data = { e: "markPriceUpdate", E: this.books.get(symbol)!.E, s: symbol, p: "60000.10", i: "59990.00", P: "59995.00", r: rate, T: nextFundingTime };
    this.market.publish(stream, JSON.stringify({ stream, data }));
  }

  /** An aggTrade push; `takerSells` = the buyer was the maker. */
  aggTrade(symbol: string, price: number, qty: number, takerSells: boolean): void {
    const stream = `${symbol.toLowerCase()}@aggTrade`;
    const E = this.books.get(symbol)!.E;
    this.market.publish(stream, JSON.stringify({ stream, data: { e: "aggTrade", E, s: symbol, a: E, p: dec(price), q: dec(qty), f: 1, l: 2, T: E - 1, m: takerSells } }));
  }

  stop(): void {
    this.venue.stop();
    this.market.stop();
  }

  #now(fallback: number): number {
    return this.#clock === undefined ? fallback : this.#clock.now();
  }
}
