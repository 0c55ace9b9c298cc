/**
 * The Polymarket CLOB feed (wiring only): market-channel books for every subscribed token, sharded over
 * connections; Gamma discovery (`discover` action) and static lists; REST book fallback; the market
 * catalog (`market.new` meta, `polymarketCatalog(id)`); the optional `user` channel.
 * See docs/venues/polymarket.md.
 */
import type { FeedHandle, PluginContext } from "../../../core/plugin.ts";
import { defineFeed } from "../../../core/plugin.ts";
import { bookHooks, type WsConnection, type WsShards } from "../../../core/ws/index.ts";
import { MarketBooks } from "./books.ts";
import { PolymarketCatalog, publishCatalog } from "./catalog.ts";
import { type PolymarketConfig, discoveryFilters, polymarketConfigSchema } from "./config.ts";
import { createMarketShards, createUserConnection } from "./connection.ts";
import { GammaClient } from "./gamma.ts";
import { ClobRest } from "./rest.ts";
import { RestSnapshots } from "./snapshots.ts";
import { Universe, type DiscoveryReport } from "./universe.ts";
import { encodeUserMarketsSubscribe } from "./subscriptions.ts";
import { SubscriptionUnits } from "./units.ts";
import { onUserFrame } from "./user.ts";

export { polymarketCatalog, type CatalogEntry, type CatalogReader } from "./catalog.ts";
export type { PolymarketUserOrder, PolymarketUserTrade } from "./user.ts";

/** The running feed's parts (tests and tools reach them through the instance's handle). */
export interface PolymarketFeedHandle extends FeedHandle {
  readonly ws: WsShards;
  readonly books: MarketBooks;
  readonly catalog: PolymarketCatalog;
  readonly universe: Universe;
  readonly snapshots: RestSnapshots;
  readonly rest: ClobRest;
  readonly gamma: GammaClient;
  /** Every token subscribed now (`ws.subscriptions()` lists subscription units, see units.ts). */
  tokens(): string[];
  /** Subscribes tokens on live sockets (both tokens of a catalog market travel as one unit). */
  subscribe(tokens: readonly string[]): void;
  /** Unsubscribes tokens on live sockets; other connections are untouched. */
  unsubscribe(tokens: readonly string[]): void;
  /** Runs discovery now (what the `discover` action does). */
  discover(): Promise<DiscoveryReport>;
  /** Settles when the static lists are subscribed (or failed to load metadata). */
  readonly ready: Promise<void>;
}

function setupPolymarket(ctx: PluginContext<PolymarketConfig>): PolymarketFeedHandle {
  const c = ctx.config;
  const catalog = new PolymarketCatalog();
  publishCatalog(ctx.id, catalog);
  const http = { fetch: ctx.fetch, clock: ctx.clock, timeoutMs: c.rest_timeout_ms, retryMs: c.rest_retry_ms, signal: ctx.signal };
  const rest = new ClobRest(c.rest_url, http, { bookPer10s: c.rest_book_per_10s, booksPer10s: c.rest_books_per_10s });
  const gamma = new GammaClient(c.gamma_url, http, c.discovery?.requests_per_10s ?? 200);
  const down = new Set<string>();
  let frameConn: WsConnection | undefined;

  const writer = ctx.writer({ onResync: (token) => books.onStoreResync(token) });
  const books: MarketBooks = new MarketBooks({
    feed: ctx.id,
    writer,
    catalog,
    bus: ctx.bus,
    clock: ctx.clock,
    verifyHash: c.verify_hash,
    checkTop: c.check_top,
    requestSnapshot: (tokens) => snapshots.request(tokens),
    onResolved: (r) => universe.dropMarket(r.instrument),
    onProblem: (shape) => (frameConn === undefined ? ctx.log.once(`problem:${shape}`, "warn", "unreadable message", { shape }) : frameConn.malformed(shape)),
    onResyncStarted: () => ws.noteResync(),
  });
  const bookState = bookHooks(writer, ctx.clock, (token) => [token]);
  const units = new SubscriptionUnits();
  const ws: WsShards = createMarketShards(ctx, {
    tokensOf: (ids) => units.tokensOf(ids),
    onFrame: (text, tsRecv) => books.onFrame(text, tsRecv),
    onSubscribed(tokens, cause) {
      for (const t of tokens) down.delete(t);
      bookState.onSubscribed(tokens, cause);
      books.awaitSnapshots(tokens);
    },
    onDown(tokens) {
      for (const t of tokens) down.add(t);
      bookState.onDown(tokens);
    },
    onMalformed: (shape, conn) => conn.malformed(shape),
  });
  const subscriber = {
    subscribe: (tokens: readonly string[]) => ws.subscribe(units.add(tokens, (t) => catalog.marketOfToken(t))),
    unsubscribe(tokens: readonly string[]) {
      const { units: gone, keep } = units.remove(tokens);
      ws.unsubscribe(gone); // encodes the unsubscribe frames from the units, so forget them after
      units.forget(gone);
      if (keep.length > 0) ws.subscribe(units.add(keep, () => undefined));
    },
    compact: () => ws.compact(),
  };
  const universe = new Universe({
    feed: ctx.id,
    catalog,
    gamma,
    bus: ctx.bus,
    clock: ctx.clock,
    log: ctx.log,
    ws: subscriber,
    onDropped(tokens) {
      books.forget(tokens);
      snapshots.forget(tokens);
      for (const t of tokens) down.delete(t);
    },
  });
  const snapshots = new RestSnapshots({
    feed: ctx.id,
    rest,
    books,
    clock: ctx.clock,
    log: ctx.log,
    batchSize: c.rest_batch_size,
    snapshotTimeoutMs: c.snapshot_timeout_ms,
    pollMs: c.rest_poll_ms,
    downTokens: () => down,
    wanted: (t) => units.has(t),
  });

  const d = c.discovery;
  const discover = async (): Promise<DiscoveryReport> => {
    if (d === undefined) throw new Error(`discover: [feeds.${ctx.id}.discovery] is not configured`);
    const report = await universe.discover(discoveryFilters(d), d.page_size, d.progress_every_pages);
    if (ctx.health.state === "degraded") ctx.health.set("running"); // a failed start is behind us
    followUserMarkets();
    return report;
  };
  ctx.action("discover", async () => {
    await discover();
  });
  const ready = universe.loadStatic(c.markets, c.assets).then(() => followUserMarkets());
  if (d !== undefined) {
    discover().catch((error: unknown) => {
      if (ctx.signal.aborted) return;
      ctx.log.error("discovery failed; the next scheduled run tries again", { error });
      ctx.health.set("degraded", ["discovery failed at start"]);
    });
  }

  const u = c.user;
  /** Condition ids the user socket follows now (its subscribe frame, plus operations since). */
  let userMarkets = new Set<string>();
  /** With no `markets` listed, the user channel follows the catalog: new markets are added live. */
  function followUserMarkets(): void {
    if (u === undefined || u.markets.length > 0 || user === undefined || !user.live) return;
    const fresh = catalog.markets().map((m) => m.conditionId).filter((id) => !userMarkets.has(id));
    if (fresh.length === 0) return;
    if (user.send(encodeUserMarketsSubscribe(fresh))) for (const id of fresh) userMarkets.add(id);
  }
  const user =
    u === undefined
      ? undefined
      : createUserConnection(ctx, {
          url: u.ws_url,
          auth: { apiKey: u.api_key, secret: u.secret, passphrase: u.passphrase },
          markets: () => (u.markets.length > 0 ? u.markets : catalog.markets().map((m) => m.conditionId)),
          onFrame: (text, tsRecv) => onUserFrame(text, tsRecv, ctx.id, ctx.bus, ctx.log),
          onSubscribed: (markets) => void (userMarkets = new Set(markets)),
        });
  user?.start();

  return {
    ws,
    books,
    catalog,
    universe,
    snapshots,
    rest,
    gamma,
    discover,
    ready,
    tokens: () => units.tokens(),
    subscribe: (tokens) => subscriber.subscribe(tokens),
    unsubscribe(tokens) {
      subscriber.unsubscribe(tokens);
      books.forget(tokens);
      snapshots.forget(tokens);
    },
    stats: () => ws.stats(),
    stop() {
      snapshots.stop();
      rest.stop();
      gamma.stop();
      user?.stop();
      ws.stop();
      publishCatalog(ctx.id, undefined);
    },
  };
}

/** Polymarket CLOB market data: books, trades, tick sizes and market lifecycle for every subscribed token. */
export const polymarketFeed = defineFeed<PolymarketConfig>({
  name: "polymarket",
  description: "Polymarket CLOB books (sharded, hash- and top-checked), Gamma discovery, REST fallback, user channel",
  config: polymarketConfigSchema,
  actions: ["discover"],
  setup: setupPolymarket,
});
