/**
 * A protocol-faithful fake of Bybit v5 public linear market data: `{"op":"subscribe","args":[…]}` with
 * `success` acks, `{"op":"ping"}` answered with `ret_msg: "pong"`, `orderbook.{depth}.{symbol}` as a
 * snapshot on subscribe then deltas with `u` + 1, a service-restart snapshot with `u = 1`, `tickers`
 * snapshot + partial deltas, and `publicTrade`. Faults come from the shared fake venue (drop the next
 * frame = a `u` gap, stalled / data-stalled modes, drops).
 */
import type { Clock } from "../../../core/clock.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";
import { BookTruth, dec, TruthHistory } from "../binance/book-truth.ts";

interface SymbolState {
  truth: BookTruth;
  u: number;
  seq: number;
  ticker: Record<string, string>;
}

export interface FakeBybitOptions {
  readonly clock?: Clock;
  readonly symbols: readonly string[];
  /** orderbook depth the fake serves (default 50); the truth stays within it. */
  readonly depth?: number;
  readonly seed?: number;
}

export class FakeBybit {
  readonly venue: FakeVenue;
  readonly books = new Map<string, SymbolState>();
  readonly depth: number;
  /** The venue's book at every `u`, per symbol. */
  readonly history = new TruthHistory();
  /** Book snapshots still to swallow on subscribe (a lost snapshot). */
  swallowSnapshots = 0;
  #clock: Clock | undefined;
  #t = 1_700_000_000_000;

  constructor(options: FakeBybitOptions) {
    this.#clock = options.clock;
    this.depth = options.depth ?? 50;
    let seed = options.seed ?? 11;
    const levels = this.depth === 1 ? 1 : Math.min(20, Math.floor(this.depth / 2));
    for (const s of options.symbols) {
      const mid = s.startsWith("BTC") ? 30000 : 2000;
      this.books.set(s, {
        truth: new BookTruth({ mid, tick: 0.1, levels, seed: seed++, span: this.depth === 1 ? 1 : levels + 5 }),
        u: 177400000,
        seq: 66544700000,
        ticker: { symbol: s, markPrice: dec(mid), indexPrice: dec(mid - 1), fundingRate: "0.0001", nextFundingTime: "1700006400000", fundingIntervalHour: "8", bid1Price: dec(mid - 0.1), bid1Size: "1", ask1Price: dec(mid + 0.1), ask1Size: "1", lastPrice: dec(mid) },
      });
    }
    for (const [s, st] of this.books) this.history.record(s, st.u, st.truth);
    const self = this;
    this.venue = FakeVenue.start({
      clock: options.clock,
      path: "/v5/public/linear",
      heartbeat(text) {
        if (!text.includes('"op":"ping"')) return undefined;
        const m = JSON.parse(text) as { req_id?: string };
        return JSON.stringify({ success: true, ret_msg: "pong", conn_id: "fake-conn", req_id: m.req_id ?? "", op: "ping" });
      },
      subscription(text) {
        if (!text.startsWith("{")) return undefined;
        const m = JSON.parse(text) as { op?: string; args?: string[] };
        if ((m.op === "subscribe" || m.op === "unsubscribe") && Array.isArray(m.args)) return { op: m.op, ids: m.args };
        return undefined;
      },
      onSubscribe: (c, ids) => self.#onSubscribe(c, ids),
      onUnsubscribe: (c) => c.send(JSON.stringify({ success: true, ret_msg: "", conn_id: "fake-conn", op: "unsubscribe" })),
    });
  }

  get url(): string {
    return this.venue.url;
  }

  #now(): number {
    this.#t = this.#clock === undefined ? this.#t + 1 : this.#clock.now();
    return this.#t;
  }

  #onSubscribe(c: FakeClient, ids: readonly string[]): void {
    const last = c.subscribeFrames.at(-1);
    const reqId = last === undefined ? "" : ((JSON.parse(last) as { req_id?: string }).req_id ?? "");
    const unknown = ids.filter((id) => !this.books.has(id.split(".").at(-1)!));
    if (unknown.length > 0) {
      // Bybit refuses the whole request and names the bad topic
      for (const id of ids) c.subscriptions.delete(id);
      c.send(JSON.stringify({ success: false, ret_msg: `Invalid symbol :[${unknown[0]}]`, conn_id: "fake-conn", req_id: reqId, op: "subscribe" }));
      return;
    }
    c.send(JSON.stringify({ success: true, ret_msg: "", conn_id: "fake-conn", req_id: reqId, op: "subscribe" }));
    for (const id of ids) {
      const [channel, ...rest] = id.split(".");
      const symbol = rest.at(-1)!;
      const st = this.books.get(symbol);
      if (st === undefined) continue;
      if (channel === "orderbook" && this.swallowSnapshots > 0) this.swallowSnapshots--;
      else if (channel === "orderbook") c.send(this.#book("snapshot", symbol, st.truth.levels("bid", this.depth), st.truth.levels("ask", this.depth)));
      if (channel === "tickers") c.send(JSON.stringify({ topic: id, type: "snapshot", cs: st.seq, ts: this.#now(), data: { ...st.ticker } }));
    }
  }

  #book(type: "snapshot" | "delta", symbol: string, bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[]): string {
    const st = this.books.get(symbol)!;
    const ts = this.#now();
    return JSON.stringify({
      topic: `orderbook.${this.depth}.${symbol}`,
      type,
      ts,
      data: { s: symbol, b: bids.map(([p, q]) => [dec(p), dec(q)]), a: asks.map(([p, q]) => [dec(p), dec(q)]), u: st.u, seq: st.seq },
      cts: ts - 2,
    });
  }

  /** One random change published as a delta with `u` + 1. */
  delta(symbol: string): void {
    const st = this.books.get(symbol)!;
    const change = st.truth.change();
    st.u++;
    st.seq += 3;
    this.history.record(symbol, st.u, st.truth);
    this.venue.publish(`orderbook.${this.depth}.${symbol}`, this.#book("delta", symbol, change.bids, change.asks));
  }

  /** A level-1 book re-push / change (orderbook.1 is snapshot-only). */
  top(symbol: string): void {
    const st = this.books.get(symbol)!;
    st.truth.change();
    st.u++;
    this.history.record(symbol, st.u, st.truth);
    this.venue.publish(`orderbook.1.${symbol}`, this.#book("snapshot", symbol, st.truth.levels("bid", 1), st.truth.levels("ask", 1)));
  }

  /** A service restart: a full snapshot with `u = 1` (sent as type "snapshot"). */
  restart(symbol: string): void {
    const st = this.books.get(symbol)!;
    st.truth.change();
    st.u = 1;
    this.history.record(symbol, st.u, st.truth);
    this.venue.publish(`orderbook.${this.depth}.${symbol}`, this.#book("snapshot", symbol, st.truth.levels("bid", this.depth), st.truth.levels("ask", this.depth)));
  }

  /** A tickers delta carrying only `fields`. */
  tickerDelta(symbol: string, fields: Record<string, string>): void {
    const st = this.books.get(symbol)!;
    Object.assign(st.ticker, fields);
    st.seq++;
    this.venue.publish(`tickers.${symbol}`, JSON.stringify({ topic: `tickers.${symbol}`, type: "delta", cs: st.seq, ts: this.#now(), data: { symbol, ...fields } }));
  }

  /** A publicTrade push. */
  trade(symbol: string, price: number, size: number, takerSide: "Buy" | "Sell"): void {
    const ts = this.#now();
    this.venue.publish(`publicTrade.${symbol}`, JSON.stringify({ topic: `publicTrade.${symbol}`, type: "snapshot", ts, data: [{ T: ts - 1, s: symbol, S: takerSide, v: dec(size), p: dec(price), L: "PlusTick", i: `t-${ts}`, BT: false }] }));
  }

  stop(): void {
    this.venue.stop();
  }
}
