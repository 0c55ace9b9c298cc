/**
 * The strategy test harness, imported as `edgewatch/testing`: runs ONE strategy on a real bus and a
 * real market store under a `ManualClock`, feeds it a scripted sequence of books, quotes, trades, feed
 * statuses and any other event, and collects everything it emitted.
 *
 * @example
 * import { testStrategy } from "edgewatch/testing";
 * const h = await testStrategy(myStrategy, { feeds: ["a"], max_spread_bps: 20 });
 * h.status("a", "live");
 * h.book("a", "BTC-USDT-SWAP", { bids: [[100, 1]], asks: [[101, 1]] });
 * h.advance(1000);
 * expect(h.alerts).toHaveLength(1);
 * await h.stop();
 */
import * as v from "valibot";
import { Bus, scopeBus } from "./bus.ts";
import { ManualClock } from "./clock.ts";
import type { EventMap, EventName, FeedState, Level, OpportunityClosed, Alert, Opportunity, Trade } from "./events.ts";
import { MemorySink, createLogger } from "./log.ts";
import type { FeedInfo, HealthSettings, PluginContext, PluginHealth, RuntimeView, StrategyHandle, StrategyPlugin } from "./plugin.ts";
import type { FeedWriter } from "./book/writer.ts";
import { type MarketStoreService, createMarketStore, defaultHealthSettings } from "./store.ts";

export { levelBook } from "./signals/level-book.ts";
export { refBuyAll, refSplitSell, refTwoVenue, refWalk, type RefLeg, type RefLimits, type RefSignal } from "./signals/reference.ts";

/** Options of `testStrategy`. */
export interface HarnessOptions {
  /** Instance id (`[strategies.<id>]`); default the plugin's name. */
  readonly id?: string;
  /** Clock start, epoch ms; default 1_700_000_000_000. */
  readonly start?: number;
  /** `[health]` overrides. */
  readonly health?: Partial<HealthSettings>;
  /** Feeds published `live` before the strategy starts; default none (call `status`). */
  readonly live?: readonly string[];
  /** Folder the strategy resolves relative paths from; default the working directory. */
  readonly configDir?: string;
  /** What `ctx.view.feedInfo(id)` answers per feed id (fees a strategy may default from). */
  readonly feeds?: Readonly<Record<string, FeedInfo>>;
}

/** Where and when a scripted update happened; defaults: key = instrument, times = now. */
export interface ScriptRef {
  readonly key?: string;
  readonly tsEvent?: number;
  readonly tsRecv?: number;
}

/** One recorded emission. */
export interface Emitted<K extends EventName = EventName> {
  readonly name: K;
  readonly payload: EventMap[K];
  readonly at: number;
}

/** A running strategy under test. */
export interface StrategyHarness {
  readonly clock: ManualClock;
  readonly bus: Bus;
  readonly store: MarketStoreService;
  /** The context given to the strategy. */
  readonly ctx: PluginContext<unknown>;
  /** Log lines written by the strategy and the store. */
  readonly logs: readonly string[];
  /** Every event seen on the bus, in order. */
  readonly events: readonly Emitted[];
  readonly alerts: readonly Alert[];
  readonly opened: readonly Opportunity[];
  readonly updated: readonly Opportunity[];
  readonly closed: readonly OpportunityClosed[];
  /** Payloads of one event, in order. */
  emitted<K extends EventName>(name: K): EventMap[K][];
  /** Publishes a feed state (`live`, `stale`, `reconnecting`…). */
  status(feed: string, state: FeedState, reasons?: readonly string[]): void;
  /** A whole book, as one frame. */
  book(feed: string, instrument: string, levels: { bids: readonly Level[]; asks: readonly Level[] }, ref?: ScriptRef): void;
  /** Changed levels (size 0 removes), as one frame. */
  delta(feed: string, instrument: string, levels: { bids?: readonly Level[]; asks?: readonly Level[] }, ref?: ScriptRef): void;
  /** A top of book for a quote-only instrument, as one frame. */
  quote(feed: string, instrument: string, top: { bid: number | null; ask: number | null; bidSize?: number; askSize?: number }, ref?: ScriptRef): void;
  /** A trade, as one frame. */
  trade(feed: string, instrument: string, t: { price: number; size: number; side: Trade["side"] }, ref?: ScriptRef): void;
  /** Marks a book resyncing (as a feed does after a gap or reconnect), as one frame. */
  resync(feed: string, instrument: string): void;
  /** Several changes in ONE frame: `w` is the feed's writer; `endFrame` is called after. */
  frame(feed: string, write: (w: FeedWriter) => void): void;
  /** Publishes any event (market.new, funding, price.tick…). */
  emit<K extends EventName>(name: K, payload: EventMap[K]): void;
  /** Moves the clock, firing timers (debounce, windows, health checks). */
  advance(ms: number): void;
  /** Stops the strategy (its `stop`, then `ctx.signal` aborts) and the store. */
  stop(): Promise<void>;
}

function healthOf(): PluginHealth {
  let state: PluginHealth["state"] = "starting";
  let reasons: readonly string[] = [];
  return {
    set(s, r = []) {
      state = s;
      reasons = r;
    },
    get state() {
      return state;
    },
    get reasons() {
      return reasons;
    },
  };
}

/**
 * Starts one strategy with `config` (validated by its own schema, so schema mistakes fail the test).
 *
 * @example
 * const h = await testStrategy(binaryArb, { feeds: ["pm"], markets: [{ yes: "Y", no: "N" }], min_edge_bps: 10, size_usd: 100 });
 */
export async function testStrategy<C>(plugin: StrategyPlugin<C>, config: unknown, options: HarnessOptions = {}): Promise<StrategyHarness> {
  const parsed = v.safeParse(plugin.config, config);
  if (!parsed.success) {
    const lines = parsed.issues.map((i) => `${v.getDotPath(i) ?? "(root)"}: ${i.message}`);
    throw new Error(`invalid config for ${plugin.name}:\n${lines.join("\n")}`);
  }
  const id = options.id ?? plugin.name;
  const clock = new ManualClock(options.start ?? 1_700_000_000_000);
  const bus = new Bus();
  const sink = new MemorySink();
  const log = createLogger({ level: "debug", sink });
  const health: HealthSettings = { ...defaultHealthSettings, ...options.health };
  const store = createMarketStore({ bus: scopeBus(bus, "store"), clock, health, log: log.child("store") });
  const events: Emitted[] = [];
  const alerts: Alert[] = [];
  const opened: Opportunity[] = [];
  const updated: Opportunity[] = [];
  const closed: OpportunityClosed[] = [];
  const open = new Map<string, Opportunity>();
  const record = (name: EventName) => (payload: unknown) => events.push({ name, payload: payload as never, at: clock.now() });
  for (const name of ["feed.status", "frame.end", "quote", "trade", "funding", "market.new", "market.resolved", "market.tick_size", "price.tick", "plugin.error", "signal.suppressed"] as const) {
    bus.on(name, record(name), "harness");
  }
  bus.on("opportunity.open", (o) => (record("opportunity.open")(o), opened.push(o), open.set(o.id, o)), "harness");
  bus.on("opportunity.update", (o) => (record("opportunity.update")(o), updated.push(o), open.set(o.id, o)), "harness");
  bus.on("opportunity.close", (o) => (record("opportunity.close")(o), closed.push(o), open.delete(o.id)), "harness");
  bus.on("alert", (a) => (record("alert")(a), alerts.push(a)), "harness");

  const writerOf = (feed: string): FeedWriter => store.writer(feed);
  const view: RuntimeView = {
    feeds: () => [],
    opportunities: () => [...open.values()],
    recentAlerts: (limit) => alerts.slice(-limit).map((alert) => ({ alert, deliveries: {} })),
    mutedUntil: () => 0,
    feedInfo: (feed) => options.feeds?.[feed],
  };
  const abort = new AbortController();
  const ctx: PluginContext<C> = {
    id,
    kind: "strategy",
    config: Object.freeze(parsed.output) as Readonly<C>,
    bus: scopeBus(bus, id),
    log: log.child(id),
    health: healthOf(),
    store,
    clock,
    signal: abort.signal,
    configDir: options.configDir ?? process.cwd(),
    settings: { botName: "test", health },
    view,
    writer: (o) => store.writer(id, o),
    // A strategy reads the store; the harness gives it no network, so a test can never reach out.
    fetch: () => Promise.reject(new Error("the strategy harness has no network: script the data instead")),
    sockets: () => {
      throw new Error("the strategy harness has no network: script the data instead");
    },
    action() {},
  };
  const publish = (feed: string, state: FeedState, reasons: readonly string[] = []) =>
    bus.emit("feed.status", { feed, state, reasons, ts: clock.now() });
  for (const feed of options.live ?? []) publish(feed, "live");
  const handle: StrategyHandle = await plugin.setup(ctx);

  const refOf = (instrument: string, ref: ScriptRef | undefined) => ({
    instrument,
    key: ref?.key ?? instrument,
    tsEvent: ref?.tsEvent ?? clock.now(),
    tsRecv: ref?.tsRecv ?? clock.now(),
  });
  const frame = (feed: string, write: (w: FeedWriter) => void) => {
    const w = writerOf(feed);
    write(w);
    w.endFrame(clock.now());
  };

  return {
    clock,
    bus,
    store,
    ctx: ctx as PluginContext<unknown>,
    logs: sink.lines,
    events,
    alerts,
    opened,
    updated,
    closed,
    emitted: <K extends EventName>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as EventMap[K]),
    status: publish,
    book: (feed, instrument, levels, ref) =>
      frame(feed, (w) => w.snapshot({ feed, ...refOf(instrument, ref), bids: levels.bids, asks: levels.asks })),
    delta: (feed, instrument, levels, ref) =>
      frame(feed, (w) => w.delta({ feed, ...refOf(instrument, ref), bids: levels.bids ?? [], asks: levels.asks ?? [] })),
    quote: (feed, instrument, top, ref) =>
      frame(feed, (w) =>
        w.quote({ feed, ...refOf(instrument, ref), bid: top.bid, ask: top.ask, bidSize: top.bidSize ?? 1, askSize: top.askSize ?? 1 }),
      ),
    trade: (feed, instrument, t, ref) => frame(feed, (w) => w.trade({ feed, ...refOf(instrument, ref), ...t })),
    resync: (feed, instrument) => frame(feed, (w) => w.resync(instrument, "reconnect")),
    frame,
    emit: (name, payload) => bus.emit(name, payload),
    advance: (ms) => clock.advance(ms),
    async stop() {
      await handle.stop?.();
      abort.abort();
      bus.offOwner(id);
      store.stop();
    },
  };
}
