/**
 * The Kalshi feed's sockets and frame handling: a signed handshake on every attempt, one subscription per
 * market (its own `sid` and `seq`), `orderbook_snapshot` then signed `orderbook_delta`s kept as bid counts
 * and written as two books per market, a `seq` gap or an impossible count resubscribing that market
 * alone, public trades on both books, and `market.new` from REST metadata.
 */
import type { FeedHandle, PluginContext } from "../../../core/plugin.ts";
import { wsContext, wsSettings, wsUrls } from "../../../core/ws/config.ts";
import { bookHooks } from "../../../core/ws/book-hooks.ts";
import { WsShards } from "../../../core/ws/shards.ts";
import { kalshiAuthHeaders, kalshiPrivateKey } from "./auth.ts";
import { KalshiBookState, kalshiDeltas, kalshiInstruments, kalshiSnapshots } from "./book-state.ts";
import { kalshiMarketNew, requestKalshiMarket } from "./catalog.ts";
import { KALSHI_WS_URL, type KalshiConfig } from "./config.ts";
import { KALSHI_COUNT_UNITS, KALSHI_PRICE_UNITS, parseKalshiFrame, type KalshiEvent } from "./parse.ts";
import { kalshiSubscribe, kalshiUnsubscribe, type KalshiChannel } from "./subscriptions.ts";

/** A market's live subscription: its sids and the last applied book `seq`. */
interface MarketSub {
  bookSid: number | undefined;
  tradeSid: number | undefined;
  tickerSid: number | undefined;
  seq: number | undefined;
}

/**
 * Starts the feed and returns its handle.
 *
 * @example
 * setup(ctx) { return startKalshiFeed(ctx); }
 */
export function startKalshiFeed(ctx: PluginContext<KalshiConfig>): FeedHandle {
  const c = ctx.config;
  const key = kalshiPrivateKey(c.private_key);
  const signedPath = new URL(wsUrls(c, KALSHI_WS_URL)[0]!).pathname;
  const channels = c.channels as readonly KalshiChannel[];
  const quotesOnly = !channels.includes("orderbook_delta");
  const wanted = new Set(c.markets);
  const states = new Map<string, KalshiBookState>();
  const subs = new Map<string, MarketSub>();
  /** Command id → market, until its channels are acknowledged. */
  const pending = new Map<number, string>();
  let cmdId = 1;

  const subOf = (ticker: string): MarketSub => {
    let s = subs.get(ticker);
    if (s === undefined) subs.set(ticker, (s = { bookSid: undefined, tradeSid: undefined, tickerSid: undefined, seq: undefined }));
    return s;
  };
  const both = (ticker: string): string[] => {
    const ids = kalshiInstruments(ticker);
    return [ids.yes, ids.no];
  };
  const tickerOf = (instrument: string): string => instrument.replace(/:(yes|no)$/, "");

  const w = ctx.writer({
    onResync(instrument) {
      // a crossed book: fetch a fresh snapshot of its market
      resync(tickerOf(instrument), undefined);
    },
  });

  function resync(ticker: string, reason: "gap" | undefined): void {
    const s = subOf(ticker);
    s.seq = undefined;
    if (reason !== undefined) w.resync(both(ticker), reason);
    ws.noteResync();
    ws.resubscribe([ticker]);
  }

  const books = bookHooks(w, ctx.clock, both);
  const ws: WsShards = new WsShards({
    ...wsSettings(c, KALSHI_WS_URL),
    ...wsContext(ctx),
    headers: () => kalshiAuthHeaders(c.api_key_id, key, ctx.clock.now(), signedPath),
    heartbeat: { intervalMs: c.ping_interval_ms, protocol: true },
    encodeSubscribe(tickers) {
      return tickers.map((t) => {
        const id = cmdId++;
        pending.set(id, t);
        return kalshiSubscribe(id, channels, t);
      });
    },
    encodeUnsubscribe(tickers) {
      const sids: number[] = [];
      for (const t of tickers) {
        const s = subs.get(t);
        if (s?.bookSid !== undefined) sids.push(s.bookSid);
        if (s?.tradeSid !== undefined) sids.push(s.tradeSid);
        if (s?.tickerSid !== undefined) sids.push(s.tickerSid);
        subs.delete(t);
      }
      return sids.length === 0 ? [] : [kalshiUnsubscribe(cmdId++, sids)];
    },
    onSubscribed(tickers, cause) {
      // New subscriptions get new sids; whatever the old ones still deliver is ignored.
      for (const t of tickers) subs.set(t, { bookSid: undefined, tradeSid: undefined, tickerSid: undefined, seq: undefined });
      books.onSubscribed(tickers, cause); // a resync: already resyncing since the gap
    },
    onDown: books.onDown,
    onFrame(data, conn, tsRecv) {
      if (typeof data !== "string") return conn.malformed("binary frame", `${data.byteLength} bytes`);
      for (const ev of parseKalshiFrame(data)) onEvent(ev, tsRecv, conn.malformed.bind(conn));
      w.endFrame(tsRecv);
    },
  });

  function writeTicker(ev: Extract<KalshiEvent, { kind: "ticker" }>, tsRecv: number): void {
    const ids = kalshiInstruments(ev.ticker);
    const base = { feed: ctx.id, tsEvent: ev.tsMs ?? tsRecv, tsRecv };
    const p = (u: number | undefined) => (u === undefined ? null : u / KALSHI_PRICE_UNITS);
    const q = (u: number | undefined) => (u === undefined ? null : (KALSHI_PRICE_UNITS - u) / KALSHI_PRICE_UNITS);
    const bidSize = ev.bidSize / KALSHI_COUNT_UNITS;
    const askSize = ev.askSize / KALSHI_COUNT_UNITS;
    w.quote({ ...base, instrument: ids.yes, key: ids.yes, bid: p(ev.bid), ask: p(ev.ask), bidSize, askSize });
    // a YES ask at a is a NO bid at 1 − a, a YES bid at b a NO ask at 1 − b
    w.quote({ ...base, instrument: ids.no, key: ids.no, bid: q(ev.ask), ask: q(ev.bid), bidSize: askSize, askSize: bidSize });
  }

  function onEvent(ev: KalshiEvent, tsRecv: number, malformed: (shape: string, detail?: unknown) => void): void {
    switch (ev.kind) {
      case "subscribed": {
        const ticker = pending.get(ev.id);
        if (ticker === undefined) return;
        const s = subOf(ticker);
        if (ev.channel === "orderbook_delta") s.bookSid = ev.sid;
        else if (ev.channel === "trade") s.tradeSid = ev.sid;
        else if (ev.channel === "ticker") s.tickerSid = ev.sid;
        const acked = (ch: KalshiChannel, sid: number | undefined) => sid !== undefined || !channels.includes(ch);
        if (acked("orderbook_delta", s.bookSid) && acked("trade", s.tradeSid) && acked("ticker", s.tickerSid)) pending.delete(ev.id);
        return;
      }
      case "snapshot": {
        if (!wanted.has(ev.ticker)) return;
        const s = subOf(ev.ticker);
        if (s.bookSid !== undefined && s.bookSid !== ev.sid) return; // an old subscription's last words
        s.bookSid = ev.sid;
        s.seq = ev.seq;
        let st = states.get(ev.ticker);
        if (st === undefined) states.set(ev.ticker, (st = new KalshiBookState()));
        const [yes, no] = kalshiSnapshots({ feed: ctx.id, ticker: ev.ticker, tsEvent: tsRecv, tsRecv, seq: ev.seq }, st.snapshot(ev.yes, ev.no));
        w.snapshot(yes);
        w.snapshot(no);
        return;
      }
      case "delta": {
        const s = subs.get(ev.ticker);
        if (s === undefined || s.seq === undefined || s.bookSid !== ev.sid) return; // not synced: a snapshot is on its way
        if (ev.seq !== s.seq + 1) {
          ctx.log.debug("kalshi seq gap", { market: ev.ticker, have: s.seq, got: ev.seq });
          return resync(ev.ticker, "gap");
        }
        const st = states.get(ev.ticker)!;
        const books = st.apply(ev.side, ev.price, ev.delta);
        if (books === "negative") {
          malformed("orderbook_delta below zero", `${ev.ticker} ${ev.side} ${ev.price / KALSHI_PRICE_UNITS}`);
          return resync(ev.ticker, "gap");
        }
        s.seq = ev.seq;
        const [yes, no] = kalshiDeltas({ feed: ctx.id, ticker: ev.ticker, tsEvent: ev.tsMs ?? tsRecv, tsRecv, seq: ev.seq }, books);
        w.delta(yes);
        w.delta(no);
        return;
      }
      case "trade": {
        if (!wanted.has(ev.ticker)) return;
        const ids = kalshiInstruments(ev.ticker);
        const size = ev.count / KALSHI_COUNT_UNITS;
        const base = { feed: ctx.id, tsEvent: Number.isFinite(ev.tsMs) ? ev.tsMs : tsRecv, tsRecv, size, tradeId: ev.tradeId };
        // the taker bought YES (a buy on the YES book) or bought NO (a buy on the NO book, a sell of YES)
        w.trade({ ...base, instrument: ids.yes, key: ids.yes, price: ev.yesPrice / KALSHI_PRICE_UNITS, side: ev.takerSide === "yes" ? "buy" : "sell" });
        w.trade({ ...base, instrument: ids.no, key: ids.no, price: ev.noPrice / KALSHI_PRICE_UNITS, side: ev.takerSide === "no" ? "buy" : "sell" });
        return;
      }
      case "ticker": {
        // with books subscribed the book is the truth (the two channels are not ordered with each other);
        // without them, the ticker is a top-of-book quote for both books
        if (quotesOnly && wanted.has(ev.ticker)) writeTicker(ev, tsRecv);
        return;
      }
      case "error": {
        const ticker = ev.id === undefined ? undefined : pending.get(ev.id);
        ctx.log.once(`kalshi-error:${ev.code}:${ticker ?? ""}`, "warn", "kalshi refused a command", { code: ev.code, message: ev.message, market: ticker });
        malformed(`error ${ev.code}`, ev.message);
        return;
      }
      case "malformed":
        return malformed(ev.shape, ev.detail);
      case "unsubscribed":
      case "ok":
      case "ignored":
        return;
    }
  }

  async function announce(): Promise<void> {
    for (const ticker of c.markets) {
      if (ctx.signal.aborted) return;
      let rest;
      if (c.fetch_metadata) {
        try {
          rest = await requestKalshiMarket(ctx.fetch, c.rest_url, ticker, ctx.signal);
        } catch (error) {
          if (ctx.signal.aborted) return;
          ctx.log.once(`kalshi-meta:${ticker}`, "warn", "kalshi market metadata unavailable; market.new carries the ticker only", { market: ticker, error: String(error) });
        }
      }
      ctx.bus.emit("market.new", kalshiMarketNew(ctx.id, ticker, rest, c.taker_fee_rate, ctx.clock.now()));
    }
  }

  ws.subscribe(c.markets);
  void announce();
  return { stop: () => ws.stop(), stats: () => ws.stats() };
}
