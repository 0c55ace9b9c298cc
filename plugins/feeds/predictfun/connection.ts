/**
 * The Predict.fun feed's sockets and frame handling: `predictOrderbook/{id}` topics over sharded
 * connections (API key as `x-api-key`), every push a whole YES-priced book written as YES and NO books,
 * the server's 15-second heartbeat echoed, pushes older than the book already held dropped (the venue
 * does not promise ordering), and a REST book when none arrives after subscribing.
 */
import type { TimerHandle } from "../../../core/clock.ts";
import type { FeedHandle, PluginContext } from "../../../core/plugin.ts";
import { wsContext, wsSettings } from "../../../core/ws/config.ts";
import { bookHooks } from "../../../core/ws/book-hooks.ts";
import { WsShards } from "../../../core/ws/shards.ts";
import { predictMarketNew, requestPredictBook, requestPredictMarket } from "./catalog.ts";
import { PREDICT_WS_URL, type PredictConfig } from "./config.ts";
import type { PredictOrderbook } from "./messages.ts";
import { parsePredictFrame, predictBooks, predictInstruments, predictTopic } from "./parse.ts";
import { predictHeartbeatReply, predictRequest } from "./subscriptions.ts";

/** Topics per subscribe request. */
const TOPICS_PER_FRAME = 20;

/**
 * Starts the feed and returns its handle.
 *
 * @example
 * setup(ctx) { return startPredictFeed(ctx); }
 */
export function startPredictFeed(ctx: PluginContext<PredictConfig>): FeedHandle {
  const c = ctx.config;
  const wanted = new Set(c.markets);
  const decimals = new Map<string, number>();
  /** updateTimestampMs of the book held, per market (undefined = none since the last subscribe). */
  const lastTs = new Map<string, number>();
  const timers = new Map<string, TimerHandle>();
  let requestId = 1;
  const both = (id: string): string[] => {
    const x = predictInstruments(id);
    return [x.yes, x.no];
  };
  const marketOf = (topic: string): string => topic.slice(topic.indexOf("/") + 1);

  const w = ctx.writer({
    onResync(instrument) {
      // a crossed book: ask for a fresh push, and fetch one over REST if none comes
      const id = instrument.replace(/:(yes|no)$/, "");
      lastTs.delete(id);
      ws.noteResync();
      ws.resubscribe([predictTopic(id)]);
      armRestFallback(id);
    },
  });

  function write(id: string, book: PredictOrderbook, tsRecv: number, source: "ws" | "rest"): void {
    const have = lastTs.get(id);
    if (have !== undefined && book.updateTimestampMs < have) return; // an older book arriving late
    lastTs.set(id, book.updateTimestampMs);
    // updateTimestampMs is when the book last changed: a push caused by a change carries the venue's time
    // of that change, while the book sent on subscribe (or over REST) is current as of its receipt
    const changed = source === "ws" && have !== undefined && book.updateTimestampMs > have;
    const stamped = changed ? book : { ...book, updateTimestampMs: tsRecv };
    const [yes, no] = predictBooks(ctx.id, id, stamped, decimals.get(id) ?? c.decimal_precision, tsRecv, source);
    w.snapshot(yes);
    w.snapshot(no);
  }

  function armRestFallback(id: string): void {
    ctx.clock.clearTimeout(timers.get(id));
    timers.set(
      id,
      ctx.clock.setTimeout(function onNoBook() {
        timers.delete(id);
        if (lastTs.has(id) || ctx.signal.aborted) return;
        requestPredictBook(ctx.fetch, c.rest_url, c.api_key, id, ctx.signal).then(
          (book) => {
            if (book === undefined || lastTs.has(id)) return;
            write(id, book, ctx.clock.now(), "rest");
            w.endFrame(ctx.clock.now());
          },
          (error: unknown) => {
            if (ctx.signal.aborted) return;
            ctx.log.once(`predict-rest:${id}`, "warn", "predict.fun REST book unavailable; waiting for the socket", { market: id, error: String(error) });
            armRestFallback(id);
          },
        );
      }, c.snapshot_timeout_ms),
    );
  }

  const books = bookHooks(w, ctx.clock, (topic) => both(marketOf(topic)));
  const ws: WsShards = new WsShards({
    ...wsSettings(c, PREDICT_WS_URL),
    ...wsContext(ctx),
    maxPerFrame: TOPICS_PER_FRAME,
    headers: () => (c.api_key === undefined ? undefined : { "x-api-key": c.api_key }),
    // the server probes every 15 s and closes a socket that does not echo within 15 s
    heartbeat: { intervalMs: 0, reply: predictHeartbeatReply },
    encodeSubscribe: (topics) => [predictRequest("subscribe", requestId++, topics)],
    encodeUnsubscribe: (topics) => [predictRequest("unsubscribe", requestId++, topics)],
    onSubscribed(topics, cause) {
      for (const topic of topics) {
        const id = marketOf(topic);
        lastTs.delete(id);
        armRestFallback(id);
      }
      books.onSubscribed(topics, cause); // a resync (crossed book): already resyncing
    },
    onDown: books.onDown,
    onFrame(data, conn, tsRecv) {
      if (typeof data !== "string") return conn.malformed("binary frame", `${data.byteLength} bytes`);
      for (const ev of parsePredictFrame(data)) {
        switch (ev.kind) {
          case "book":
            if (!wanted.has(ev.market)) break;
            write(ev.market, ev.book, tsRecv, "ws");
            break;
          case "response":
            if (!ev.success) {
              ctx.log.once(`predict-refused:${ev.error}`, "warn", "predict.fun refused a request", { requestId: ev.requestId, error: ev.error });
              conn.malformed("request refused", ev.error);
            }
            break;
          case "malformed":
            conn.malformed(ev.shape, ev.detail);
            break;
          case "heartbeat": // answered by the connection; only a probe that did not parse as one lands here
          case "ignored":
            break;
        }
      }
      w.endFrame(tsRecv);
    },
  });

  async function announce(): Promise<void> {
    for (const id of c.markets) {
      if (ctx.signal.aborted) return;
      let rest;
      if (c.fetch_metadata) {
        try {
          rest = await requestPredictMarket(ctx.fetch, c.rest_url, c.api_key, id, ctx.signal);
          if (typeof rest?.decimalPrecision === "number") decimals.set(id, rest.decimalPrecision);
        } catch (error) {
          if (ctx.signal.aborted) return;
          ctx.log.once(`predict-meta:${id}`, "warn", "predict.fun market details unavailable; market.new carries the id only", { market: id, error: String(error) });
        }
      }
      ctx.bus.emit("market.new", predictMarketNew(ctx.id, id, rest, c.taker_fee_rate, ctx.clock.now()));
    }
  }

  ws.subscribe(c.markets.map(predictTopic));
  void announce();
  return {
    stop() {
      for (const t of timers.values()) ctx.clock.clearTimeout(t);
      timers.clear();
      ws.stop();
    },
    stats: () => ws.stats(),
  };
}
