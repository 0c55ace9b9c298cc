/**
 * A protocol-faithful fake of Paradex public market data: JSON-RPC 2.0 `subscribe`/`unsubscribe`/`auth`
 * text requests with JSON acks and errors, and market data as SBE binary frames encoded from the
 * published schema (`?sbeSchemaId=1&sbeSchemaVersion=N` on the URL; without it, the pre-2026 JSON
 * pushes). `order_book.<m>.snapshot@15@…` sends a full top-15 book every publish; `…deltas@15@…` one
 * SNAPSHOT then DELTA packages with seq + 1. Faults: the shared fake venue's (stall modes, drops) plus
 * `loseNext` for binary frames.
 */
import type { Clock } from "../../../core/clock.ts";
import { paradexCodec } from "../../../plugins/feeds/paradex/sbe/paradex-schema.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";
import { BookTruth, dec, TruthHistory, type TruthChange } from "../binance/book-truth.ts";

interface MarketState {
  truth: BookTruth;
  seq: number;
}

export interface FakeParadexOptions {
  readonly clock?: Clock;
  readonly markets: readonly string[];
  /** The bearer `auth` accepts (default none: every auth fails with 40111). */
  readonly jwt?: string;
  readonly seed?: number;
}

const codec = paradexCodec();
const DEPTH = 15;

export class FakeParadex {
  readonly venue: FakeVenue;
  readonly books = new Map<string, MarketState>();
  /** The venue's top-15 book at every seq, per market. */
  readonly history = new TruthHistory();
  /** Snapshots still to swallow on subscribe (a lost snapshot). */
  swallowSnapshots = 0;
  /** Bearers the clients sent with `auth`. */
  readonly bearers: string[] = [];
  #clock: Clock | undefined;
  #t = 1_700_000_000_000;
  #lose = new Map<FakeClient, number>();
  #jwt: string | undefined;

  constructor(options: FakeParadexOptions) {
    this.#clock = options.clock;
    this.#jwt = options.jwt;
    let seed = options.seed ?? 21;
    for (const m of options.markets) {
      this.books.set(m, { truth: new BookTruth({ mid: m.startsWith("BTC") ? 67000 : 3500, tick: 0.1, levels: 10, span: 12, seed: seed++ }), seq: 14127815 });
    }
    for (const [m, st] of this.books) this.history.record(m, st.seq, st.truth, DEPTH);
    const self = this;
    this.venue = FakeVenue.start({
      clock: options.clock,
      path: "/v1",
      subscription(text) {
        const m = JSON.parse(text) as { method?: string; params?: { channel?: string } };
        if ((m.method === "subscribe" || m.method === "unsubscribe") && typeof m.params?.channel === "string") return { op: m.method, ids: [m.params.channel] };
        return undefined;
      },
      onSubscribe: (c, ids) => self.#onSubscribe(c, ids),
      onUnsubscribe: (c, ids) => self.#ack(c, ids[0]!),
      onMessage: (c, text) => self.#onRequest(c, text),
    });
  }

  get url(): string {
    return this.venue.url;
  }

  /** Microseconds on the venue clock. */
  #us(): number {
    this.#t = this.#clock === undefined ? this.#t + 1 : this.#clock.now();
    return this.#t * 1000 + 123;
  }

  #sbe(c: FakeClient): number | undefined {
    const v = c.query.get("sbeSchemaVersion");
    return c.query.get("sbeSchemaId") === "1" && v !== null ? Number(v) : undefined;
  }

  #ack(c: FakeClient, channel: string): void {
    const last = c.subscribeFrames.at(-1);
    const id = last === undefined ? null : (JSON.parse(last) as { id?: number }).id ?? null;
    c.send(JSON.stringify({ jsonrpc: "2.0", result: { channel }, usIn: this.#us() * 1000, usDiff: 1291796, id }));
  }

  #onRequest(c: FakeClient, text: string): void {
    const m = JSON.parse(text) as { method?: string; params?: { bearer?: string }; id?: number };
    if (m.method === "auth") {
      this.bearers.push(m.params?.bearer ?? "");
      if (this.#jwt !== undefined && m.params?.bearer === this.#jwt) c.send(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { node_id: "73cf456f7cb78d59" } }));
      else c.send(JSON.stringify({ jsonrpc: "2.0", id: m.id, error: { code: 40111, message: "invalid bearer token" } }));
      return;
    }
    c.send(JSON.stringify({ jsonrpc: "2.0", id: m.id ?? null, error: { code: -32601, message: "method not found" } }));
  }

  #onSubscribe(c: FakeClient, ids: readonly string[]): void {
    for (const channel of ids) {
      const market = channel.split(".")[1] ?? "";
      if (!this.books.has(market)) {
        // an unknown market is refused (JSON-RPC error), and the venue holds no subscription
        c.subscriptions.delete(channel);
        const last = c.subscribeFrames.at(-1);
        const id = last === undefined ? null : (JSON.parse(last) as { id?: number }).id ?? null;
        c.send(JSON.stringify({ jsonrpc: "2.0", id, error: { code: 4001, message: `invalid channel: ${channel}` } }));
        continue;
      }
      this.#ack(c, channel);
      if (channel.startsWith("order_book.")) {
        const market = channel.split(".")[1]!;
        if (this.swallowSnapshots > 0) this.swallowSnapshots--;
        else if (this.books.has(market)) this.#sendTo(c, this.#bookFrame(c, market, "SNAPSHOT", undefined));
      }
    }
  }

  /** Sends a frame to one client through the faults (binary frames honour the stall modes and `loseNext`). */
  #sendTo(c: FakeClient, frame: string | Uint8Array): void {
    if (typeof frame === "string") {
      c.send(frame);
      return;
    }
    if (!c.open || c.mode === "stalled" || c.mode === "data-stalled") return;
    const lose = this.#lose.get(c) ?? 0;
    if (lose > 0) {
      this.#lose.set(c, lose - 1);
      return;
    }
    c.sendRaw(frame);
  }

  /** The next `n` binary frames to `client` are lost (a seq gap on a deltas feed). */
  loseNext(client: FakeClient, n = 1): void {
    this.#lose.set(client, (this.#lose.get(client) ?? 0) + n);
  }

  #bookFrame(c: FakeClient, market: string, pkg: "SNAPSHOT" | "DELTA", change: TruthChange | undefined): string | Uint8Array {
    const st = this.books.get(market)!;
    const bids = change?.bids ?? st.truth.levels("bid", DEPTH);
    const asks = change?.asks ?? st.truth.levels("ask", DEPTH);
    const ts = this.#us();
    const version = this.#sbe(c);
    if (version === undefined) {
      const side = (s: "BUY" | "SELL") => ([p, q]: readonly [number, number]) => ({ side: s, price: dec(p), size: dec(q) });
      const all = [...bids.map(side("BUY")), ...asks.map(side("SELL"))];
      const data = pkg === "SNAPSHOT"
        ? { seq_no: st.seq, market, last_updated_at: Math.floor(ts / 1000), update_type: "s", inserts: all, updates: [], deletes: [] }
        : { seq_no: st.seq, market, last_updated_at: Math.floor(ts / 1000), update_type: "d", inserts: [], updates: all.filter((l) => l.size !== "0"), deletes: all.filter((l) => l.size === "0") };
      return JSON.stringify({ jsonrpc: "2.0", method: "subscription", params: { channel: `order_book.${market}`, data } });
    }
    return codec.encode("BookEvent", {
      ts, seq: st.seq, pkgType: pkg,
      bids: bids.map(([price, size]) => ({ price, size })), asks: asks.map(([price, size]) => ({ price, size })),
      market,
    }, { version });
  }

  #subscribers(prefix: string): FakeClient[] {
    return this.venue.live().filter((c) => [...c.subscriptions].some((s) => s.startsWith(prefix)));
  }

  /** One random book change: a DELTA (seq + 1) to `deltas` subscribers, a full SNAPSHOT to `snapshot` ones. */
  change(market: string): void {
    const st = this.books.get(market)!;
    const change = st.truth.change();
    st.seq++;
    this.history.record(market, st.seq, st.truth, DEPTH);
    for (const c of this.#subscribers(`order_book.${market}.deltas`)) this.#sendTo(c, this.#bookFrame(c, market, "DELTA", change));
    for (const c of this.#subscribers(`order_book.${market}.snapshot`)) this.#sendTo(c, this.#bookFrame(c, market, "SNAPSHOT", undefined));
  }

  /** A BboEvent of the truth's top to `bbo.<market>` subscribers. */
  bbo(market: string): void {
    const st = this.books.get(market)!;
    const [b] = st.truth.levels("bid", 1);
    const [a] = st.truth.levels("ask", 1);
    for (const c of this.#subscribers(`bbo.${market}`)) {
      this.#sendTo(c, codec.encode("BboEvent", { ts: this.#us(), seq: st.seq, bidPrice: b?.[0] ?? null, bidSize: b?.[1] ?? null, askPrice: a?.[0] ?? null, askSize: a?.[1] ?? null, market }, { version: this.#sbe(c) ?? 1 }));
    }
  }

  /** A TradeEvent to `trades.<market>` subscribers. */
  trade(market: string, price: number, size: number, side: "BUY" | "SELL"): void {
    for (const c of this.#subscribers(`trades.${market}`)) {
      const us = this.#us();
      this.#sendTo(c, codec.encode("TradeEvent", { ts: us, seq: 1, tradeId: us, side, price, size, createdAt: us - 1000, tradeType: "FILL", market }, { version: this.#sbe(c) ?? 1 }));
    }
  }

  /** A FundingDataEvent to `funding_data.<market>` subscribers. */
  funding(market: string, rate: number, periodHours: number): void {
    for (const c of this.#subscribers(`funding_data.${market}`)) {
      const us = this.#us();
      this.#sendTo(c, codec.encode("FundingDataEvent", { ts: us, seq: 1, fundingRate: rate, fundingIndex: 1, createdAt: us, fundingPremium: 0, fundingRate8h: (rate * 8) / periodHours, fundingPeriodHours: periodHours, impactPremiumRate: null, market }, { version: this.#sbe(c) ?? 1 }));
    }
  }

  /** The server's idle heartbeat (SBE HeartbeatEvent) to every SBE client. */
  heartbeat(): void {
    for (const c of this.venue.live()) if (this.#sbe(c) !== undefined) this.#sendTo(c, codec.encode("HeartbeatEvent", { ts: this.#us(), seq: 1 }, { version: this.#sbe(c) }));
  }

  stop(): void {
    this.venue.stop();
  }
}
