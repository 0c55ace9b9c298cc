/**
 * A fake of Predict.fun's WebSocket and REST market data, following dev.predict.fun: `x-api-key` (header
 * or `apiKey` query), requests `{"method","requestId","params":[topics]}` answered with `{"type":"R",…}`,
 * `predictOrderbook/{id}` pushes of the whole YES-priced book (`[price, shares]`, best first) right after
 * subscribing and on every change, the `{"type":"M","topic":"heartbeat","data":ts}` probe every 15 s with
 * the connection closed when it is not echoed within 15 s, and `GET /v1/markets/{id}[/orderbook]`.
 * Faults: the shared fake venue's (drops, stalls) plus a withheld first book and a late, older push.
 */
import type { Clock } from "../../../core/clock.ts";
import { seeded } from "../binance/book-truth.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";

interface MarketTruth {
  readonly bids: Map<number, number>;
  readonly asks: Map<number, number>;
  ts: number;
}

export interface FakePredictOptions {
  readonly clock: Clock;
  readonly markets: readonly string[];
  readonly apiKey: string;
  readonly seed?: number;
  /** Question and end per market for GET /v1/markets/{id} (default "Will market <id> resolve Yes?"). */
  readonly meta?: Readonly<Record<string, { readonly question: string; readonly endsAt?: string }>>;
}

export class FakePredict {
  readonly venue: FakeVenue;
  readonly truth = new Map<string, MarketTruth>();
  /** Connections and REST calls that came without the right key. */
  unauthorized = 0;
  /** Heartbeat echoes received, and connections closed for not echoing. */
  echoes = 0;
  heartbeatKills = 0;
  /** Markets whose first book is not pushed on subscribe (a slow first snapshot). */
  readonly withhold = new Set<string>();
  readonly restBooks: string[] = [];
  readonly #rand: () => number;
  readonly #clock: Clock;
  readonly #key: string;
  readonly #probe = new WeakMap<FakeClient, { ts: number; answered: boolean }>();
  readonly #stop: () => void;

  constructor(o: FakePredictOptions) {
    this.#rand = seeded(o.seed ?? 3);
    this.#clock = o.clock;
    this.#key = o.apiKey;
    for (const m of o.markets) {
      const t: MarketTruth = { bids: new Map(), asks: new Map(), ts: o.clock.now() };
      for (let k = 1; k <= 6; k++) {
        t.bids.set(50 - k, this.#size());
        t.asks.set(50 + k, this.#size());
      }
      this.truth.set(m, t);
    }
    const self = this;
    this.venue = FakeVenue.start({
      clock: o.clock,
      path: "/ws",
      subscription(text) {
        const m = JSON.parse(text) as { method?: string; params?: string[] };
        if ((m.method === "subscribe" || m.method === "unsubscribe") && Array.isArray(m.params)) return { op: m.method, ids: m.params };
        return undefined;
      },
      onOpen(c) {
        if (c.headers["x-api-key"] !== self.#key && c.query.get("apiKey") !== self.#key) {
          self.unauthorized++;
          c.close(1008, "invalid api key");
        }
      },
      onSubscribe: (c, topics) => self.#answer(c, topics, true),
      onUnsubscribe: (c) => self.#answer(c, [], false),
      onMessage(c, text) {
        const m = JSON.parse(text) as { method?: string; data?: unknown };
        const p = self.#probe.get(c);
        if (m.method === "heartbeat" && p !== undefined && m.data === p.ts) {
          p.answered = true;
          self.echoes++;
        }
      },
    });
    for (const m of o.markets) {
      this.venue.route("GET", `/v1/markets/${m}`, (req) =>
        this.#authorized(req) ? Response.json({ success: true, data: { id: Number(m), title: `Market ${m}`, question: o.meta?.[m]?.question ?? `Will market ${m} resolve Yes?`, ...(o.meta?.[m]?.endsAt === undefined ? {} : { endsAt: o.meta[m]!.endsAt }), status: "REGISTERED", decimalPrecision: 2, feeRateBps: 200, isNegRisk: false, outcomes: [{ name: "Yes", indexSet: 1 }, { name: "No", indexSet: 2 }] } }) : new Response("unauthorized", { status: 401 }),
      );
      this.venue.route("GET", `/v1/markets/${m}/orderbook`, (req) => {
        if (!this.#authorized(req)) return new Response("unauthorized", { status: 401 });
        this.restBooks.push(m);
        return Response.json({ success: true, data: this.#book(m) });
      });
    }
    // every 15 s: a probe; a socket that did not echo the previous one is terminated
    const h = o.clock.setInterval(() => {
      for (const c of this.venue.live()) {
        if (c.mode === "stalled") continue; // a dead venue does nothing, not even hang up
        const p = this.#probe.get(c);
        if (p !== undefined && !p.answered) {
          this.heartbeatKills++;
          c.drop();
          continue;
        }
        const ts = o.clock.now();
        this.#probe.set(c, { ts, answered: false });
        c.send(JSON.stringify({ type: "M", topic: "heartbeat", data: ts }));
      }
    }, 15_000);
    this.#stop = () => o.clock.clearInterval(h);
  }

  get url(): string {
    return this.venue.url;
  }

  #authorized(req: Request): boolean {
    const ok = req.headers.get("x-api-key") === this.#key;
    if (!ok) this.unauthorized++;
    return ok;
  }

  #size(): number {
    return Math.round(10 + this.#rand() * 3000);
  }

  #answer(c: FakeClient, topics: readonly string[], push: boolean): void {
    const req = JSON.parse(c.subscribeFrames.at(-1)!) as { requestId: number };
    c.send(JSON.stringify({ type: "R", requestId: req.requestId, success: true, data: null }));
    if (!push) return;
    for (const t of topics) {
      const id = t.slice(t.indexOf("/") + 1);
      if (this.truth.has(id) && !this.withhold.has(id)) c.send(this.#push(id));
    }
  }

  #book(id: string): { marketId: number; updateTimestampMs: number; asks: [number, number][]; bids: [number, number][] } {
    const t = this.truth.get(id)!;
    return {
      marketId: Number(id),
      updateTimestampMs: t.ts,
      asks: [...t.asks.entries()].sort((a, b) => a[0] - b[0]).map(([p, s]) => [p / 100, s]),
      bids: [...t.bids.entries()].sort((a, b) => b[0] - a[0]).map(([p, s]) => [p / 100, s]),
    };
  }

  #push(id: string): string {
    return JSON.stringify({ type: "M", topic: `predictOrderbook/${id}`, data: this.#book(id) });
  }

  /** One random change of the truth, pushed as the whole book. Returns the pushed frame. */
  change(id: string): string {
    const t = this.truth.get(id)!;
    const bid = this.#rand() < 0.5;
    const map = bid ? t.bids : t.asks;
    const price = bid ? 50 - 1 - Math.floor(this.#rand() * 10) : 50 + 1 + Math.floor(this.#rand() * 10);
    if (map.has(price) && map.size > 1 && this.#rand() < 0.3) map.delete(price);
    else map.set(price, this.#size());
    t.ts = Math.max(t.ts + 1, this.#clock.now());
    const frame = this.#push(id);
    this.venue.publish(`predictOrderbook/${id}`, frame);
    return frame;
  }

  /** Replaces a market's book (prices in hundredths) and pushes it. */
  setBook(id: string, bids: readonly [number, number][], asks: readonly [number, number][]): void {
    const t = this.truth.get(id)!;
    t.bids.clear();
    t.asks.clear();
    for (const [p, q] of bids) t.bids.set(p, q);
    for (const [p, q] of asks) t.asks.set(p, q);
    t.ts = Math.max(t.ts + 1, this.#clock.now());
    this.venue.publish(`predictOrderbook/${id}`, this.#push(id));
  }

  /** The truth as the YES and NO books a client should hold (NO = complement at 2 decimals). */
  books(id: string): { yes: { bids: [number, number][]; asks: [number, number][] }; no: { bids: [number, number][]; asks: [number, number][] } } {
    const b = this.#book(id);
    const flip = (l: [number, number][]) => l.map(([p, s]): [number, number] => [Math.round((1 - p) * 100) / 100, s]);
    return { yes: { bids: b.bids, asks: b.asks }, no: { bids: flip(b.asks), asks: flip(b.bids) } };
  }

  stop(): void {
    this.#stop();
    this.venue.stop();
  }
}
