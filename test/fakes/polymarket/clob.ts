/**
 * A fake Polymarket CLOB on 127.0.0.1: the market channel (`/ws/market`) and CLOB REST (`GET /book`,
 * `POST /books`) on one server, plus Gamma routes when a `FakeGamma` is attached. Behaviour from the
 * shared protocol notes: text `PING` → bare `PONG`; the initial subscription (`type: "market"`) and
 * `operation` frames; a `book` per token on subscribe, sent as one JSON array frame; mirrored
 * `price_change` frames; a per-connection token cap; HTTP 429 when connections open in a burst.
 */
import type { Clock } from "../../../core/clock.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";
import { FakeMarket, fakeIds } from "./model.ts";

export interface FakeClobOptions {
  readonly clock?: Clock;
  /** Binary markets to create (seeded books). */
  readonly markets?: number;
  /** Levels per side of each seeded book (default 5). */
  readonly levels?: number;
  /** Tokens one connection may hold (the venue's undocumented cap, ~500 observed). */
  readonly maxPerConnection?: number;
  /** More than this many connections opened within `burstWindowMs` → HTTP 429 (default 20 per 1000 ms). */
  readonly burstLimit?: number;
  readonly burstWindowMs?: number;
}

export class FakeClob {
  readonly venue: FakeVenue;
  readonly clock: Clock;
  readonly markets: FakeMarket[] = [];
  readonly byToken = new Map<string, FakeMarket>();
  /** REST requests served, by route. */
  readonly rest = { book: 0, books: 0, booksTokens: 0 };
  /** Send books on subscribe (turn off to make the socket "slow"). */
  initialDump = true;
  #opens: number[] = [];
  #gate: Promise<void> | undefined;

  constructor(o: FakeClobOptions = {}) {
    const self = this;
    const burstLimit = o.burstLimit ?? 20;
    const burstWindowMs = o.burstWindowMs ?? 1_000;
    this.venue = FakeVenue.start({
      ...(o.clock === undefined ? {} : { clock: o.clock }),
      path: "/ws/market",
      keepClosed: 200,
      heartbeat: (t) => (t === "PING" ? "PONG" : undefined),
      maxPerConnection: o.maxPerConnection ?? 500,
      subscription(text) {
        if (!text.startsWith("{")) return undefined;
        const m = JSON.parse(text) as { type?: string; operation?: string; assets_ids?: string[] };
        if (!Array.isArray(m.assets_ids)) return undefined;
        if (m.operation === "unsubscribe") return { op: "unsubscribe", ids: m.assets_ids };
        if (m.operation === "subscribe" || m.type?.toLowerCase() === "market") return { op: "subscribe", ids: m.assets_ids };
        return undefined;
      },
      onSubscribe: (client, ids) => self.#onSubscribe(client, ids),
      onOpen() {
        // a burst of opens: the next upgrades are refused with 429 until the window has passed
        const now = self.clock.now();
        self.#opens = self.#opens.filter((t) => t > now - burstWindowMs);
        self.#opens.push(now);
        if (self.#opens.length >= burstLimit) self.venue.refuse(429, burstWindowMs);
      },
    });
    this.clock = this.venue.clock;
    for (let i = 0; i < (o.markets ?? 0); i++) this.addMarket().seed(0.3 + (i % 40) / 100, o.levels ?? 5);
    this.venue.route("GET", "/book", async (_req, url) => {
      this.rest.book++;
      await this.#gate;
      const token = url.searchParams.get("token_id") ?? "";
      const m = this.byToken.get(token);
      if (m === undefined) return Response.json({ error: "No orderbook exists for the requested token id" }, { status: 404 });
      return Response.json(m.restBook(token, this.clock.now()));
    });
    this.venue.route("POST", "/books", async (req) => {
      this.rest.books++;
      const body = (await req.json()) as { token_id: string }[];
      await this.#gate;
      this.rest.booksTokens += body.length;
      const now = this.clock.now();
      return Response.json(body.flatMap(({ token_id }) => (this.byToken.has(token_id) ? [this.byToken.get(token_id)!.restBook(token_id, now)] : [])));
    });
  }

  /** `ws://127.0.0.1:<port>/ws/market` */
  get wsUrl(): string {
    return this.venue.url;
  }

  /** `http://127.0.0.1:<port>` (CLOB REST and Gamma). */
  get httpUrl(): string {
    return this.venue.httpUrl;
  }

  /** Adds a market with fresh ids (empty book). */
  addMarket(init: { negRisk?: boolean; tickSize?: string } = {}): FakeMarket {
    const ids = fakeIds(this.markets.length);
    const m = new FakeMarket({ index: this.markets.length, ...ids, ...init });
    this.markets.push(m);
    this.byToken.set(m.yes, m);
    this.byToken.set(m.no, m);
    return m;
  }

  /** Adds a market under given ids (fixture tokens). */
  addMarketWith(conditionId: string, yes: string, no: string): FakeMarket {
    const m = new FakeMarket({ index: this.markets.length, conditionId, yes, no });
    this.markets.push(m);
    this.byToken.set(yes, m);
    this.byToken.set(no, m);
    return m;
  }

  /** Holds REST answers (a slow REST) until the returned function is called; books are read then. */
  pauseRest(): () => void {
    let release!: () => void;
    this.#gate = new Promise<void>((r) => (release = r));
    return () => {
      this.#gate = undefined;
      release();
    };
  }

  /** Every token of every market. */
  tokens(): string[] {
    return this.markets.flatMap((m) => [m.yes, m.no]);
  }

  /**
   * Sets a YES level of a market and publishes the mirrored `price_change` (both tokens, one frame) to
   * every connection subscribed to either token. Returns the frame.
   */
  change(m: FakeMarket, side: "bid" | "ask", price: number, size: number): string {
    const frame = m.priceChange(m.set(side, price, size), this.clock.now());
    this.sendTo([m.yes, m.no], frame);
    return frame;
  }

  /** Sends a frame, verbatim, to each connection subscribed to any of `tokens` (once per connection). */
  sendTo(tokens: readonly string[], frame: string): number {
    let n = 0;
    for (const c of this.venue.live()) {
      if (tokens.some((t) => c.subscriptions.has(t)) && c.send(frame)) n++;
    }
    return n;
  }

  /** Changes a market's tick size and publishes `tick_size_change` for both tokens. */
  changeTick(m: FakeMarket, next: string): void {
    this.sendTo([m.yes, m.no], m.changeTick(next, this.clock.now()));
  }

  /** Sends a fresh `book` of a token to its subscribers (the venue does after trades). */
  sendBook(token: string, mutate?: (b: Record<string, unknown>) => void): void {
    const m = this.byToken.get(token)!;
    const b = { ...m.book(token, this.clock.now()) } as Record<string, unknown>;
    mutate?.(b);
    this.sendTo([token], JSON.stringify(b));
  }

  stop(): void {
    this.venue.stop();
  }

  #onSubscribe(client: FakeClient, ids: readonly string[]): void {
    if (!this.initialDump) return;
    const now = this.clock.now();
    const books = ids.flatMap((id) => {
      const m = this.byToken.get(id);
      return m === undefined ? [] : [m.book(id, now)];
    });
    if (books.length > 0) client.send(JSON.stringify(books));
  }
}
