/**
 * A fake of Probable's documented REST market data: `GET /public/api/v1/book?token_id=…` (one token's
 * book: `{ asset_id, timestamp, hash, bids: [{price,size}], asks, min_order_size, tick_size, neg_risk }`)
 * and `GET /public/api/v1/markets/{id}` (question, outcomes, clobTokenIds). Faults: failing answers
 * (HTTP 500 / 429), answers that never come (a stalled venue), and a record of when each request arrived.
 */
import type { Clock } from "../../../core/clock.ts";
import { seeded } from "../binance/book-truth.ts";
import { FakeVenue } from "../fake-venue.ts";

interface TokenTruth {
  readonly bids: Map<number, number>;
  readonly asks: Map<number, number>;
}

export class FakeProbable {
  readonly venue: FakeVenue;
  /** token → book truth (prices in thousandths). */
  readonly truth = new Map<string, TokenTruth>();
  /** market id → [YES token, NO token]. */
  readonly markets = new Map<string, [string, string]>();
  /** Venue-clock times of book requests, and their tokens. */
  readonly requests: { at: number; token: string }[] = [];
  /** Answer the next N book requests with this status. */
  failNext = 0;
  failStatus = 500;
  /** Never answer book requests while true (a stalled venue). */
  hang = false;
  readonly #hung: (() => void)[] = [];
  readonly #rand: () => number;
  readonly #clock: Clock;

  constructor(o: { clock: Clock; markets: readonly string[]; seed?: number }) {
    this.#rand = seeded(o.seed ?? 9);
    this.#clock = o.clock;
    for (const id of o.markets) {
      const yes = `0x${id}a`;
      const no = `0x${id}b`;
      this.markets.set(id, [yes, no]);
      // mirrored like a CTF exchange: YES bids around 0.45, NO bids around 0.5
      for (const [token, mid] of [[yes, 470], [no, 520]] as const) {
        const t: TokenTruth = { bids: new Map(), asks: new Map() };
        for (let k = 1; k <= 5; k++) {
          t.bids.set(mid - 10 * k, this.#size());
          t.asks.set(mid + 10 * k, this.#size());
        }
        this.truth.set(token, t);
      }
    }
    this.venue = FakeVenue.start({ clock: o.clock, path: "/ws-unused" });
    this.venue.route("GET", "/public/api/v1/book", (_req, url) => this.#book(url.searchParams.get("token_id") ?? ""));
    for (const [id, tokens] of this.markets) {
      this.venue.route("GET", `/public/api/v1/markets/${id}`, () =>
        Response.json({ id: Number(id), condition_id: `0xc${id}`, question: `Will probable market ${id} resolve Yes?`, market_slug: `m-${id}`, outcomes: ["Yes", "No"], clobTokenIds: tokens, active: true, closed: false }),
      );
    }
  }

  get httpUrl(): string {
    return this.venue.httpUrl;
  }

  #size(): number {
    return Math.round(5 + this.#rand() * 900);
  }

  #book(token: string): Response | Promise<Response> {
    this.requests.push({ at: this.#clock.now(), token });
    if (this.hang) return new Promise((resolve) => this.#hung.push(() => resolve(new Response("late", { status: 503 }))));
    if (this.failNext > 0) {
      this.failNext--;
      return new Response("fake failure", { status: this.failStatus });
    }
    const t = this.truth.get(token);
    if (t === undefined) return Response.json({ error: "not found" }, { status: 404 });
    const side = (m: Map<number, number>, desc: boolean) =>
      [...m.entries()].sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0])).map(([p, s]) => ({ price: String(p / 1000), size: String(s) }));
    return Response.json({ market: "m", asset_id: token, timestamp: String(Math.floor(this.#clock.now() / 1000)), hash: "0x0", bids: side(t.bids, true), asks: side(t.asks, false), min_order_size: "1", tick_size: "0.001", neg_risk: false });
  }

  /** One random change of a token's truth. */
  change(token: string): void {
    const t = this.truth.get(token)!;
    const bid = this.#rand() < 0.5;
    const map = bid ? t.bids : t.asks;
    const top = bid ? Math.max(...t.bids.keys()) : Math.min(...t.asks.keys());
    const price = bid ? top - 10 * Math.floor(this.#rand() * 6) : top + 10 * Math.floor(this.#rand() * 6);
    if (map.has(price) && map.size > 1 && this.#rand() < 0.3) map.delete(price);
    else map.set(price, this.#size());
  }

  /** The truth as a client should hold it, best first. */
  levels(token: string): { bids: [number, number][]; asks: [number, number][] } {
    const t = this.truth.get(token)!;
    return {
      bids: [...t.bids.entries()].sort((a, b) => b[0] - a[0]).map(([p, s]) => [p / 1000, s]),
      asks: [...t.asks.entries()].sort((a, b) => a[0] - b[0]).map(([p, s]) => [p / 1000, s]),
    };
  }

  /** Lets hung requests finish (with a failure). */
  release(): void {
    this.hang = false;
    for (const r of this.#hung.splice(0)) r();
  }

  stop(): void {
    this.release();
    this.venue.stop();
  }
}
