/**
 * Builds what the runtime gives a notifier (a PluginContext) and an alert router around real notifier
 * plugins, for cross-plugin tests and the crash child process.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { alertsSchema } from "../../core/alerts/config.ts";
import { createAlertRouter, type AlertRouter } from "../../core/alerts/router.ts";
import { Bus, scopeBus } from "../../core/bus.ts";
import { systemClock, type Clock } from "../../core/clock.ts";
import type { Alert, Opportunity, PluginState } from "../../core/events.ts";
import { createLogger, MemorySink, type Logger } from "../../core/log.ts";
import type { MarketStore } from "../../core/market.ts";
import type { NotifierHandle, NotifierPlugin, PluginContext, PluginHealth, RuntimeView } from "../../core/plugin.ts";

/** A PluginHealth that remembers its transitions. */
export function memoryHealth(): PluginHealth & { history: { state: PluginState; reasons: readonly string[] }[] } {
  const history: { state: PluginState; reasons: readonly string[] }[] = [];
  let state: PluginState = "running";
  let reasons: readonly string[] = [];
  return {
    history,
    set(s, r = []) {
      state = s;
      reasons = r;
      history.push({ state: s, reasons: r });
    },
    get state() {
      return state;
    },
    get reasons() {
      return reasons;
    },
  };
}

const emptyStore: MarketStore = {
  book: () => undefined,
  quote: () => undefined,
  books: () => [],
  quotes: () => [],
  fresh: () => ({ ok: false, reasons: ["no_book"], ageMs: 0 }),
  feedState: () => undefined,
};

/** A view with fixed feeds and opportunities; mute and alerts read from the router when given. */
export function staticView(parts: Partial<RuntimeView> = {}): RuntimeView {
  return { feeds: () => [], opportunities: () => [], recentAlerts: () => [], mutedUntil: () => 0, ...parts };
}

export interface CtxOptions {
  readonly bus?: Bus;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly view?: RuntimeView;
  readonly id?: string;
}

/** Validates `raw` with the plugin's schema and builds its context. */
export function notifierContext<C>(plugin: NotifierPlugin<C>, raw: unknown, opts: CtxOptions = {}) {
  const bus = opts.bus ?? new Bus();
  const sink = new MemorySink();
  const log = opts.log ?? createLogger({ sink, level: "debug" });
  const abort = new AbortController();
  const health = memoryHealth();
  const id = opts.id ?? plugin.name;
  const ctx: PluginContext<C> = {
    id,
    kind: "notifier",
    config: v.parse(plugin.config, raw),
    bus: scopeBus(bus, id),
    log: log.child(id),
    health,
    store: emptyStore,
    clock: opts.clock ?? systemClock,
    signal: abort.signal,
    configDir: process.cwd(),
    settings: { botName: "test-bot", health: { heartbeatTimeoutMs: 30_000, maxQuoteAgeMs: 10_000, maxLatencyMs: 200, minUpdatesPerS: 0.1 } },
    view: opts.view ?? staticView(),
    fetch: (input, init) => fetch(input, init),
    sockets: () => {
      throw new Error("notifiers open no sockets");
    },
    writer: () => {
      throw new Error("only feeds write books");
    },
    action() {},
  };
  return { ctx, bus, sink, health, abort };
}

/** Starts one notifier plugin and a router that routes every alert to it. */
export async function notifierWithRouter<C>(
  plugin: NotifierPlugin<C>,
  raw: unknown,
  alerts: Record<string, unknown> = {},
  opts: CtxOptions & { dataDir?: string } = {},
): Promise<{ router: AlertRouter; handle: NotifierHandle; bus: Bus; sink: MemorySink; health: ReturnType<typeof memoryHealth>; dataDir: string; close(): Promise<void> }> {
  const { ctx, bus, sink, health, abort } = notifierContext(plugin, raw, opts);
  const handle = await plugin.setup(ctx);
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "edgewatch-alerts-"));
  const config = v.parse(alertsSchema, { routes: [{ notifiers: [ctx.id], cooldown_ms: 0 }], ...alerts });
  const router = createAlertRouter({ bus, clock: ctx.clock, log: createLogger({ sink, level: "debug" }), config, notifiers: new Map([[ctx.id, handle]]), dataDir });
  return {
    router,
    handle,
    bus,
    sink,
    health,
    dataDir,
    async close() {
      await router.stop();
      abort.abort();
      await handle.stop?.();
    },
  };
}

let seq = 0;
/** A numbered alert `A<n>` whose title makes it findable in any message. */
export function numbered(n: number, over: Partial<Alert> = {}): Alert {
  seq++;
  return { id: `alert-${n}-${seq}`, key: `k-${n}-${seq}`, source: "spread", kind: "info", severity: "warning", title: `A${n}#`, text: "", ts: Date.now(), ...over };
}

/** An opportunity alert with two legs, a data age and a link. */
export function opportunityAlert(over: Partial<Alert> = {}): Alert {
  const opp: Opportunity = {
    id: "o1",
    strategy: "perp_spread",
    kind: "perp_spread",
    legs: [
      { feed: "venue_a", instrument: "BTC-USDT-SWAP", key: "BTC-USDT-PERP", side: "buy", size: 0.15, vwap: 64210.5, worstPrice: 64211, feeUsd: 4.8, notionalUsd: 9631.6 },
      { feed: "venue_b", instrument: "BTC", key: "BTC-USDC-PERP", side: "sell", size: 0.15, vwap: 64300, worstPrice: 64299, feeUsd: 4.3, notionalUsd: 9645 },
    ],
    edgeBps: 12.34,
    sizeUsd: 9631.6,
    profitUsd: 4.3,
    peakEdgeBps: 13,
    openedAt: 0,
    updatedAt: 0,
    severity: "warning",
  };
  seq++;
  return {
    id: `opp-${seq}`,
    key: `opp-${seq}`,
    source: "perp_spread",
    kind: "opportunity",
    severity: "warning",
    title: "BTC perp spread 12.3 bps",
    text: "",
    ts: Date.UTC(2026, 0, 1, 12, 0, 1),
    dataAgeMs: 350,
    url: "https://example.com/markets/BTC?x=1&y=2",
    opportunity: opp,
    ...over,
  };
}

/** Resolves when `cond()` holds, polling every 10 ms; rejects after `maxMs` with `what`. */
export async function until(cond: () => boolean, what: string, maxMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > maxMs) throw new Error(`gave up waiting: ${what}`);
    await Bun.sleep(10);
  }
}
