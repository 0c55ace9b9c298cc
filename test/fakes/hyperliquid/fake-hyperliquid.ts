/**
 * A fake Hyperliquid venue on 127.0.0.1 speaking the real protocol (hyperliquid.md): the connect banner,
 * `{"method":"subscribe","subscription":…}` one per frame, `subscriptionResponse` acks echoing the
 * normalised subscription, `{"method":"ping"}` → `{"channel":"pong"}`, whole l2Book snapshots (20 levels,
 * 5 with `fast`), bbo, trades, allMids, activeAssetCtx; an unknown coin closes the whole socket ~100 ms
 * later with no error (as the venue does); `POST /info` answers meta, meta per dex, perpDexs and l2Book.
 */
import type { Clock } from "../../../core/clock.ts";
import type { Level } from "../../../core/events.ts";
import { FakeVenue, type FakeClient } from "../fake-venue.ts";
import { prng } from "../okx/venue-book.ts";

/** A coin the fake lists. `name` as the venue writes it (`BTC`, `kPEPE`, `xyz:SP500`). */
export interface FakeHlCoin {
  readonly name: string;
  readonly mid: number;
  readonly tick: number;
  readonly szDecimals: number;
}

export const defaultHlCoins: readonly FakeHlCoin[] = [
  { name: "BTC", mid: 80_020, tick: 1, szDecimals: 5 },
  { name: "ETH", mid: 2_301, tick: 0.1, szDecimals: 4 },
  { name: "kPEPE", mid: 0.0105, tick: 0.000001, szDecimals: 0 },
  { name: "xyz:SP500", mid: 6_500, tick: 0.5, szDecimals: 3 },
];

interface CoinBook {
  readonly coin: FakeHlCoin;
  readonly decimals: number;
  /** px string → [sz string, n] */
  readonly bids: Map<string, [string, number]>;
  readonly asks: Map<string, [string, number]>;
}

export interface FakeHlOptions {
  readonly clock?: Clock;
  readonly coins?: readonly FakeHlCoin[];
  readonly seed?: number;
  /** How far behind the venue's clock its event times are (`latencyMs` of every quote), ms. */
  readonly latencyMs?: number;
}

export class FakeHyperliquid {
  readonly venue: FakeVenue;
  readonly books = new Map<string, CoinBook>();
  /** Sockets closed because they subscribed an unknown coin. */
  closedForUnknownCoin = 0;
  infoRequests: string[] = [];
  #rand: () => number;
  #tid = 1;
  #latencyMs = 0;
  /** Coins each client subscribed with `fast: true`. */
  #fast = new WeakMap<FakeClient, Set<string>>();

  constructor(options: FakeHlOptions = {}) {
    this.#rand = prng(options.seed ?? 11);
    this.#latencyMs = options.latencyMs ?? 0;
    for (const coin of options.coins ?? defaultHlCoins) {
      const decimals = (String(coin.tick).split(".")[1] ?? "").length;
      const b: CoinBook = { coin, decimals, bids: new Map(), asks: new Map() };
      for (let k = 0; k < 30; k++) {
        b.bids.set((coin.mid - (k + 1) * coin.tick).toFixed(decimals), [this.#size(coin), 1 + k]);
        b.asks.set((coin.mid + k * coin.tick).toFixed(decimals), [this.#size(coin), 1 + k]);
      }
      this.books.set(coin.name, b);
    }
    this.venue = FakeVenue.start({
      clock: options.clock,
      heartbeat: (t) => (t === '{"method":"ping"}' ? '{"channel":"pong"}' : undefined),
      subscription: (t) => {
        let m: { method?: string; subscription?: { type?: string; coin?: unknown; dex?: string } };
        try {
          m = JSON.parse(t);
        } catch {
          return undefined;
        }
        if ((m.method !== "subscribe" && m.method !== "unsubscribe") || typeof m.subscription?.type !== "string") return undefined;
        const s = m.subscription;
        const id = s.type === "allMids" ? `allMids:${s.dex ?? ""}` : `${s.type}:${String(s.coin)}`;
        return { op: m.method, ids: [id] };
      },
      onOpen: (c) => c.sendRaw("Websocket connection established."),
      onSubscribe: (c, ids) => this.#onSubscribe(c, ids),
      onUnsubscribe: (c, ids) => {
        for (const id of ids) c.send(JSON.stringify({ channel: "subscriptionResponse", data: { method: "unsubscribe", subscription: subscriptionOf(id) } }));
      },
      onMessage: (c, text) => c.send(JSON.stringify({ channel: "error", data: `Error parsing JSON into valid websocket request: ${text}` })),
    });
    this.venue.route("POST", "/info", (req) => this.#info(req));
  }

  get url(): string {
    return this.venue.url;
  }

  get infoUrl(): string {
    return `${this.venue.httpUrl}/info`;
  }

  #size(coin: FakeHlCoin): string {
    const raw = 0.1 + this.#rand() * 20;
    return raw.toFixed(coin.szDecimals === 0 ? 0 : Math.min(coin.szDecimals, 5)).replace(/^0$/, "1");
  }

  /** Random changes on every book, then one block: l2Book to its subscribers, bbo, trades. */
  step(): void {
    for (const b of this.books.values()) {
      const n = 1 + Math.floor(this.#rand() * 3);
      for (let i = 0; i < n; i++) {
        const bid = this.#rand() < 0.5;
        const k = bid ? 1 + Math.floor(this.#rand() * 30) : Math.floor(this.#rand() * 30);
        const px = (bid ? b.coin.mid - k * b.coin.tick : b.coin.mid + k * b.coin.tick).toFixed(b.decimals);
        const side = bid ? b.bids : b.asks;
        if (this.#rand() < 0.25 && side.size > 3) side.delete(px);
        else side.set(px, [this.#size(b.coin), 1 + Math.floor(this.#rand() * 9)]);
      }
      this.publishBook(b.coin.name);
      this.venue.publish(`bbo:${b.coin.name}`, this.#bboFrame(b));
    }
  }

  /** The l2Book push of one coin to its subscribers (both depths: fast = 5, slow = 20 levels). */
  publishBook(name: string): void {
    const b = this.books.get(name)!;
    for (const c of this.venue.subscribers(`l2Book:${name}`)) c.send(this.#bookFrame(b, this.#fastOf(c).has(name) ? 5 : 20));
  }

  /** One trade per coin. */
  trades(): void {
    const now = this.#now();
    for (const b of this.books.values()) {
      const buy = this.#rand() < 0.5;
      const top = this.#levels(b, buy ? "ask" : "bid", 1)[0]!;
      const trade = { coin: b.coin.name, side: buy ? "B" : "A", px: top.px, sz: top.sz, time: now, hash: `0x${"0".repeat(64)}`, tid: this.#tid++, users: ["0xa", "0xb"] };
      this.venue.publish(`trades:${b.coin.name}`, JSON.stringify({ channel: "trades", data: [trade] }));
    }
  }

  /** activeAssetCtx for every coin. */
  contexts(funding = "0.0000125"): void {
    for (const b of this.books.values()) {
      const mid = this.#mid(b);
      const ctx = { funding, openInterest: "100.0", prevDayPx: mid, dayNtlVlm: "1000.0", premium: "0.0", oraclePx: mid, markPx: mid, midPx: mid, impactPxs: [mid, mid], dayBaseVlm: "10.0" };
      this.venue.publish(`activeAssetCtx:${b.coin.name}`, JSON.stringify({ channel: "activeAssetCtx", data: { coin: b.coin.name, ctx } }));
    }
  }

  /** allMids of the first dex (and of each builder dex, to their own subscribers). */
  mids(): void {
    const byDex = new Map<string, Record<string, string>>();
    for (const b of this.books.values()) {
      const dex = b.coin.name.includes(":") ? b.coin.name.split(":")[0]! : "";
      if (!byDex.has(dex)) byDex.set(dex, {});
      byDex.get(dex)![b.coin.name] = this.#mid(b);
    }
    for (const [dex, mids] of byDex) this.venue.publish(`allMids:${dex}`, JSON.stringify({ channel: "allMids", data: dex === "" ? { mids } : { dex, mids } }));
  }

  /** Removes a coin from the venue (delisted): `/info` no longer lists it and subscribing it closes the socket. */
  delist(name: string): void {
    this.books.delete(name);
  }

  /** What a client's store must hold for a coin: the top `depth` levels, in base units (k coins scaled). */
  depth(name: string, depth = 20): { bids: Level[]; asks: Level[] } {
    const b = this.books.get(name)!;
    const scale = /^k[A-Z]/.test(name) ? 1000 : 1;
    const conv = (l: { px: string; sz: string }): Level => [+l.px / scale, +l.sz * scale];
    return { bids: this.#levels(b, "bid", depth).map(conv), asks: this.#levels(b, "ask", depth).map(conv) };
  }

  stop(): void {
    this.venue.stop();
  }

  #now(): number {
    return this.venue.clock.now() - this.#latencyMs;
  }

  #fastOf(c: FakeClient): Set<string> {
    let set = this.#fast.get(c);
    if (set === undefined) this.#fast.set(c, (set = new Set()));
    return set;
  }

  #mid(b: CoinBook): string {
    const bid = this.#levels(b, "bid", 1)[0];
    const ask = this.#levels(b, "ask", 1)[0];
    return bid === undefined || ask === undefined ? b.coin.mid.toFixed(b.decimals) : ((+bid.px + +ask.px) / 2).toString();
  }

  #levels(b: CoinBook, side: "bid" | "ask", limit: number): { px: string; sz: string; n: number }[] {
    const m = side === "bid" ? b.bids : b.asks;
    return [...m.entries()]
      .sort((x, y) => (side === "bid" ? +y[0] - +x[0] : +x[0] - +y[0]))
      .slice(0, limit)
      .map(([px, [sz, n]]) => ({ px, sz, n }));
  }

  #bookFrame(b: CoinBook, depth: number): string {
    return JSON.stringify({ channel: "l2Book", data: { coin: b.coin.name, time: this.#now(), levels: [this.#levels(b, "bid", depth), this.#levels(b, "ask", depth)] } });
  }

  #bboFrame(b: CoinBook): string {
    return JSON.stringify({ channel: "bbo", data: { coin: b.coin.name, time: this.#now(), bbo: [this.#levels(b, "bid", 1)[0] ?? null, this.#levels(b, "ask", 1)[0] ?? null] } });
  }

  #onSubscribe(c: FakeClient, ids: readonly string[]): void {
    for (const id of ids) {
      const i = id.indexOf(":");
      const type = id.slice(0, i);
      const arg = id.slice(i + 1);
      if (type !== "allMids" && !this.books.has(arg)) {
        // the venue sends no error: it closes the whole socket about 100 ms later (code 1006)
        this.closedForUnknownCoin++;
        this.venue.clock.setTimeout(() => c.drop(), 100);
        return;
      }
      const sub = subscriptionOf(id);
      const frame = c.subscribeFrames.at(-1) ?? "";
      if (type === "l2Book" && frame.includes('"fast":true')) this.#fastOf(c).add(arg);
      c.send(JSON.stringify({ channel: "subscriptionResponse", data: { method: "subscribe", subscription: type === "l2Book" ? { ...sub, nSigFigs: null, mantissa: null, fast: this.#fastOf(c).has(arg) } : sub } }));
      const b = this.books.get(arg);
      if (type === "l2Book" && b !== undefined) c.send(this.#bookFrame(b, this.#fastOf(c).has(arg) ? 5 : 20));
      if (type === "bbo" && b !== undefined) c.send(this.#bboFrame(b));
    }
  }

  async #info(req: Request): Promise<Response> {
    const body = (await req.json()) as { type?: string; dex?: string; coin?: string };
    this.infoRequests.push(JSON.stringify(body));
    const coins = [...this.books.values()].map((b) => b.coin);
    switch (body.type) {
      case "meta": {
        const dex = body.dex ?? "";
        const universe = coins
          .filter((c) => (dex === "" ? !c.name.includes(":") : c.name.startsWith(`${dex}:`)))
          .map((c) => ({ name: c.name, szDecimals: c.szDecimals, maxLeverage: 20, marginTableId: 1, isDelisted: null, onlyIsolated: null }));
        return Response.json(dex === "" ? { universe, marginTables: [] } : { universe, marginTables: [], collateralToken: 0 });
      }
      case "perpDexs": {
        const dexes = [...new Set(coins.filter((c) => c.name.includes(":")).map((c) => c.name.split(":")[0]!))];
        return Response.json([null, ...dexes.map((name) => ({ name, fullName: name.toUpperCase(), deployer: "0x0", oracleUpdater: null }))]);
      }
      case "l2Book": {
        const b = this.books.get(body.coin ?? "");
        if (b === undefined) return Response.json(null);
        return Response.json({ coin: b.coin.name, time: this.#now(), levels: [this.#levels(b, "bid", 20), this.#levels(b, "ask", 20)] });
      }
      default:
        return new Response(`Failed to deserialize the JSON body into the target type`, { status: 422 });
    }
  }
}

function subscriptionOf(id: string): Record<string, unknown> {
  const i = id.indexOf(":");
  const type = id.slice(0, i);
  const arg = id.slice(i + 1);
  if (type === "allMids") return arg === "" ? { type } : { type, dex: arg };
  return { type, coin: arg };
}
