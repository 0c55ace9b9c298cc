/**
 * The Bybit feed's sockets and frame handling: topics over sharded connections, a JSON ping every 20 s,
 * orderbook snapshot/delta with `u` (a gap resubscribes for a fresh snapshot; `u = 1` overwrites), the
 * level-1 book's 3-second re-push as a cadence promise, tickers merged into funding and top of book.
 */
import type { Funding } from "../../../core/events.ts";
import type { FeedHandle, PluginContext } from "../../../core/plugin.ts";
import { wsContext, wsSettings } from "../../../core/ws/config.ts";
import { bookHooks } from "../../../core/ws/book-hooks.ts";
import { WsShards } from "../../../core/ws/shards.ts";
import { BYBIT_L1_REPUSH_MS, BYBIT_WS_URL, type BybitConfig } from "./config.ts";
import { bybitKey, parseBybitFrame, type BybitMarket } from "./parse.ts";
import { BYBIT_ARGS_PER_FRAME, bybitPing, bybitRequest, bybitSymbolOf, bybitTopic, isBybitPong } from "./subscriptions.ts";
import { BybitTickerCache, bybitFunding, bybitTop } from "./tickers.ts";
import { snapshotWatch } from "../shared/snapshot-watch.ts";

/**
 * Starts the feed and returns its handle.
 *
 * @example
 * setup(ctx) { return startBybitFeed(ctx); }
 */
export function startBybitFeed(ctx: PluginContext<BybitConfig>): FeedHandle {
  const c = ctx.config;
  const markets = new Map<string, BybitMarket>(c.instruments.map((s) => [s, { instrument: s, key: bybitKey(s) }]));
  const lookup = (symbol: string): BybitMarket | undefined => markets.get(symbol);
  const hasBook = c.channels.includes("orderbook");
  const quoteFromTickers = !hasBook && c.channels.includes("tickers");
  const topics: string[] = [];
  for (const s of c.instruments) for (const ch of c.channels) topics.push(bybitTopic(ch, s, c));
  const bookTopic = (symbol: string): string => bybitTopic("orderbook", symbol, c);
  const tickerTopic = (symbol: string): string => bybitTopic("tickers", symbol, c);
  const isBookTopic = (t: string): boolean => (hasBook && t.startsWith("orderbook.")) || (quoteFromTickers && t.startsWith("tickers."));
  const tickers = new BybitTickerCache();
  let req = 1;
  const reqId = (): string => String(req++);
  const snapshots = snapshotWatch({
    clock: ctx.clock,
    timeoutMs: c.resync_timeout_ms,
    bookLive: (symbol) => w.book(symbol)?.state === "live",
    connectionLive: (topic) => ws.connectionOf(topic)?.live === true,
    onLost(symbol, topic) {
      ctx.log.once(`bybit-resync-timeout:${symbol}`, "warn", "no snapshot after subscribing; subscribing again (logged once per symbol)", { symbol, topic });
      ws.noteResync();
      ws.resubscribe([topic]);
    },
  });

  /** A book that got no snapshot within resync_timeout_ms of (re)subscribing asks again (a lost snapshot). */
  function watchResync(symbol: string): void {
    snapshots.watch(symbol, hasBook ? bookTopic(symbol) : tickerTopic(symbol));
  }

  const w = ctx.writer({
    onResync(instrument) {
      // a `u` gap or a crossed book: a fresh subscription starts with a snapshot
      ws.noteResync();
      ws.resubscribe([hasBook ? bookTopic(instrument) : tickerTopic(instrument)]);
    },
  });

  // only book topics feed a book: a trades connection going down leaves the books alone
  const books = bookHooks(w, ctx.clock, (t) => (isBookTopic(t) ? [bybitSymbolOf(t)] : []));
  const ws: WsShards = new WsShards({
    ...wsSettings(c, BYBIT_WS_URL),
    ...wsContext(ctx),
    maxPerFrame: BYBIT_ARGS_PER_FRAME,
    heartbeat: { intervalMs: c.ping_interval_ms, timeoutMs: c.pong_timeout_ms, payload: () => bybitPing(reqId()), isPong: isBybitPong },
    // orderbook.1 is re-pushed every 3 s while unchanged: a promised rhythm, so silence there is staleness
    cadence:
      hasBook && c.orderbook_depth === 1
        ? {
            everyMs: BYBIT_L1_REPUSH_MS,
            graceMs: BYBIT_L1_REPUSH_MS,
            promised: (t) => t.startsWith("orderbook.1."),
            onMissed(list) {
              w.markStale(list.map(bybitSymbolOf));
              w.endFrame(ctx.clock.now());
            },
          }
        : undefined,
    encodeSubscribe: (list) => [bybitRequest("subscribe", list, reqId())],
    encodeUnsubscribe: (list) => [bybitRequest("unsubscribe", list, reqId())],
    onSubscribed(list, cause) {
      for (const t of list) if (t.startsWith("tickers.")) tickers.forget(bybitSymbolOf(t));
      for (const t of list) if (isBookTopic(t)) watchResync(bybitSymbolOf(t));
      books.onSubscribed(list, cause); // a resync: already resyncing since the gap
    },
    onDown: books.onDown,
    onFrame(data, conn, tsRecv) {
      if (typeof data !== "string") return conn.malformed("binary frame", `${data.byteLength} bytes`);
      let fundings: Funding[] | undefined;
      for (const ev of parseBybitFrame(data, ctx.id, tsRecv, lookup)) {
        switch (ev.kind) {
          case "snapshot":
            ws.seen(ev.topic);
            w.snapshot(ev.book);
            break;
          case "delta":
            ws.seen(ev.topic);
            w.delta(ev.book); // a gap calls onResync above
            break;
          case "ticker": {
            const merged = tickers.apply(ev.type, ev.data);
            if (merged === undefined) {
              conn.malformed("tickers: delta before snapshot", ev.market.instrument);
              break;
            }
            if (quoteFromTickers) {
              const top = bybitTop(merged, ev.market, ctx.id, ev.ts, tsRecv);
              if (top !== undefined) w.quote(top);
            }
            if (ev.type === "snapshot" || ev.data.fundingRate !== undefined || ev.data.nextFundingTime !== undefined) {
              const f = bybitFunding(merged, ev.market, ctx.id, ev.ts, tsRecv);
              if (f !== undefined) (fundings ??= []).push(f);
            }
            break;
          }
          case "trade":
            w.trade(ev.trade);
            break;
          case "ack":
            // a refused subscribe is config the venue rejects (unknown symbol, bad depth); "already
            // subscribed" after a race is not
            if (!ev.success && ev.op === "subscribe" && !/already/i.test(ev.message)) return ws.fault(`Bybit refused a subscription: ${ev.message}`);
            if (!ev.success) conn.malformed(`${ev.op} refused`, ev.message);
            break;
          case "malformed":
            conn.malformed(ev.shape, ev.detail);
            break;
          case "pong":
          case "ignored":
            break;
        }
      }
      w.endFrame(tsRecv);
      // after the frame's books: a funding listener reading the store sees the whole frame applied
      if (fundings !== undefined) for (const f of fundings) ctx.bus.emit("funding", f);
    },
  });
  ws.subscribe(topics);
  return {
    stop() {
      snapshots.stop();
      ws.stop();
    },
    stats: () => ws.stats(),
  };
}
