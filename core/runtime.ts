/**
 * The runtime: builds the shared services (bus, store, clock, log), starts plugin instances in order
 * sinks → notifiers → alert router → strategies → feeds, stops them in reverse with a deadline, and
 * applies a new config by difference (reload) without touching instances that did not change.
 */
import { resolve } from "node:path";
import { createAlertRouter, type AlertRouter } from "./alerts/router.ts";
import { Bus, scopeBus } from "./bus.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { InstanceConfig, LoadedConfig } from "./config/load.ts";
import { PluginInstance, type InstanceServices } from "./instance.ts";
import { createLogger, type Logger } from "./log.ts";
import type { Alert } from "./events.ts";
import type { FeedInfo, FeedRow, HealthSettings, NotifierHandle, PluginKind, RuntimeView } from "./plugin.ts";
import { createOpportunityLedger, type OpportunityLedger } from "./opportunities.ts";
import { ActionRegistry, startSchedules, type Schedules } from "./schedule.ts";
import { createMarketStore, type MarketStoreService } from "./store.ts";
import type { Fetch } from "./transport.ts";
import { bunSocketFactory, type SocketFactory } from "./ws/socket.ts";

const startOrder: readonly PluginKind[] = ["sink", "notifier", "strategy", "feed"];

export interface RuntimeOptions {
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Replaces the network: REST calls and sockets (replay plays a recording through these). */
  readonly transport?: { readonly fetch?: Fetch; readonly sockets?: SocketFactory };
  /** Start `[[schedules]]` jobs (off in replay and most tests). Default true. */
  readonly schedules?: boolean;
}

/** What a stop did, for the CLI's exit and tests. */
export interface StopReport {
  readonly clean: boolean;
  readonly timedOut: readonly string[];
}

/**
 * Runs one validated config.
 *
 * @example
 * const runtime = new Runtime(await loadConfig("configs/demo.toml", { registry }));
 * await runtime.start();
 * process.on("SIGTERM", () => runtime.stop());
 */
export class Runtime {
  readonly bus = new Bus();
  readonly clock: Clock;
  readonly log: Logger;
  readonly store: MarketStoreService;
  readonly actions = new ActionRegistry();
  #config: LoadedConfig;
  #instances = new Map<string, PluginInstance>();
  #notifiers = new Map<string, NotifierHandle>();
  #router: AlertRouter | undefined;
  #schedules: Schedules | undefined;
  /** Open opportunities (ranked by profit) and suppression counts, from the bus. */
  readonly ledger: OpportunityLedger;
  #options: RuntimeOptions;
  #running = false;

  constructor(config: LoadedConfig, options: RuntimeOptions = {}) {
    this.#config = config;
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? createLogger({ level: config.core.bot.log_level, format: config.core.bot.log_format });
    this.bus.onListenerError = (owner, event, error) => this.log.child(owner).error("listener failed", { event, error });
    this.store = createMarketStore({ bus: scopeBus(this.bus, "store"), clock: this.clock, health: healthSettings(config), log: this.log.child("store") });
    this.ledger = createOpportunityLedger(this.bus, "runtime");
  }

  get config(): LoadedConfig {
    return this.#config;
  }

  /** Running instances by id. */
  instances(): ReadonlyMap<string, PluginInstance> {
    return this.#instances;
  }

  /** Read-only views for chat commands and the HTTP API. */
  readonly view: RuntimeView = {
    feeds: () => this.#feedRows(),
    opportunities: () => this.ledger.opportunities(),
    recentAlerts: (limit) => this.#router?.recent(limit) ?? [],
    mutedUntil: () => this.#router?.mutedUntil() ?? 0,
    alertStats: () => this.#router?.stats(),
    feedInfo: (id) => feedInfoOf(this.#config.instances.find((i) => i.kind === "feed" && i.id === id)),
  };

  /** The alert router, once started. */
  get router(): AlertRouter | undefined {
    return this.#router;
  }

  /** Starts everything; when one setup throws, stops what started and rethrows (its id is in the error). */
  async start(): Promise<void> {
    const services = this.#services(this.#config);
    try {
      for (const kind of startOrder) {
        if (kind === "strategy") this.#startRouter();
        for (const ic of this.#config.instances.filter((i) => i.kind === kind)) await this.#startInstance(ic, services);
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
    if (this.#options.schedules !== false) this.#schedules = startSchedules(this.#config.core.schedules, this.actions, this.bus, this.log.child("schedule"));
    this.#running = true;
    this.log.info("started", { bot: this.#config.core.bot.name, plugins: this.#instances.size });
  }

  /** Stops in reverse start order within `deadlineMs`; instances that do not stop in time are named. */
  async stop(deadlineMs = this.#config.core.bot.stop_deadline_ms): Promise<StopReport> {
    this.#schedules?.stop();
    this.#schedules = undefined;
    const timedOut: string[] = [];
    const deadline = Date.now() + deadlineMs;
    const within = async (name: string, work: Promise<void>): Promise<void> => {
      const left = Math.max(0, deadline - Date.now());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), left)));
      const result = await Promise.race([work.then(() => "done" as const), expired]);
      clearTimeout(timer);
      if (result === "timeout") timedOut.push(name);
    };
    for (const kind of [...startOrder].reverse()) {
      const group = [...this.#instances.values()].filter((i) => i.kind === kind);
      await Promise.all(group.map((i) => within(i.id, this.#stopInstance(i))));
      if (kind === "strategy" && this.#router !== undefined) {
        const router = this.#router;
        this.#router = undefined;
        await within("alert-router", router.stop());
      }
    }
    this.store.stop();
    this.#running = false;
    if (timedOut.length > 0) this.log.warn("stop deadline passed", { waiting: timedOut.join(",") });
    return { clean: timedOut.length === 0, timedOut };
  }

  /**
   * Applies a new validated config by difference: instances removed or changed stop, added or changed
   * start, unchanged ones keep running (and keep their connections). Routes and thresholds apply at once.
   */
  async reload(next: LoadedConfig): Promise<{ started: string[]; stopped: string[]; kept: string[] }> {
    const nextById = new Map(next.instances.map((i) => [i.id, i]));
    const stopped: string[] = [];
    const started: string[] = [];
    const kept: string[] = [];
    for (const kind of [...startOrder].reverse()) {
      for (const inst of [...this.#instances.values()].filter((i) => i.kind === kind)) {
        const wanted = nextById.get(inst.id);
        if (wanted !== undefined && sameInstance(inst.config, wanted)) continue;
        await this.#stopInstance(inst);
        stopped.push(inst.id);
      }
    }
    const alertsChanged = JSON.stringify(next.core.alerts) !== JSON.stringify(this.#config.core.alerts);
    const healthChanged = JSON.stringify(next.core.health) !== JSON.stringify(this.#config.core.health);
    this.#config = next;
    if (healthChanged) this.store.setHealth(healthSettings(next));
    const services = this.#services(next);
    for (const kind of startOrder) {
      if (kind === "strategy" && alertsChanged) await this.#replaceRouter();
      for (const ic of next.instances.filter((i) => i.kind === kind)) {
        if (this.#instances.has(ic.id)) {
          kept.push(ic.id);
          continue;
        }
        await this.#startInstance(ic, services);
        started.push(ic.id);
      }
    }
    if (this.#running && this.#options.schedules !== false) {
      this.#schedules?.stop();
      this.#schedules = startSchedules(next.core.schedules, this.actions, this.bus, this.log.child("schedule"));
    }
    this.log.info("reloaded", { started: started.join(",") || "-", stopped: stopped.join(",") || "-", kept: kept.length });
    return { started, stopped, kept };
  }

  #services(config: LoadedConfig): InstanceServices {
    return {
      bus: this.bus,
      store: this.store,
      clock: this.clock,
      log: this.log,
      actions: this.actions,
      view: this.view,
      configDir: config.dir,
      botName: config.core.bot.name,
      health: healthSettings(config),
      fetch: this.#options.transport?.fetch ?? ((input, init) => fetch(input, init)),
      sockets: this.#options.transport?.sockets ?? bunSocketFactory,
    };
  }

  async #startInstance(ic: InstanceConfig, services: InstanceServices): Promise<void> {
    const inst = new PluginInstance(ic, services);
    this.#instances.set(ic.id, inst);
    await inst.start();
    if (inst.notifier !== undefined) this.#notifiers.set(ic.id, inst.notifier);
  }

  async #stopInstance(inst: PluginInstance): Promise<void> {
    await inst.stop();
    this.#instances.delete(inst.id);
    this.#notifiers.delete(inst.id);
  }

  /**
   * New `[alerts]` settings need a new router. The old one stops first (its in-flight sends finish, so
   * no row is sent by both), and alerts raised meanwhile are held and handed to the new one: none lost.
   */
  async #replaceRouter(): Promise<void> {
    const held: Alert[] = [];
    const hold = this.bus.on("alert", (a) => held.push(a), "runtime");
    try {
      await this.#router?.stop();
      this.#router = undefined;
      this.#startRouter();
    } finally {
      hold();
    }
    const next = this.router; // the getter: TypeScript cannot see #startRouter set the field
    for (const a of held) next?.ingest(a);
  }

  #startRouter(): void {
    if (this.#router !== undefined) return;
    this.#router = createAlertRouter({
      bus: this.bus,
      clock: this.clock,
      log: this.log.child("alerts"),
      config: this.#config.core.alerts,
      notifiers: this.#notifiers,
      dataDir: resolve(this.#config.dir, this.#config.core.bot.data_dir),
      fresh: (feed, instrument) => this.store.fresh(feed, instrument),
    });
  }

  #feedRows(): FeedRow[] {
    const rows: FeedRow[] = [];
    for (const inst of this.#instances.values()) {
      if (inst.kind !== "feed") continue;
      const stats = inst.feed?.stats?.() ?? { connections: 0, messages: 0, bytes: 0, errors: 0, reconnects: 0, resyncs: 0, lastMessageAgeMs: null };
      const state = this.store.feedState(inst.id) ?? (inst.state === "faulted" ? "faulted" : inst.state === "stopped" ? "stopped" : "connecting");
      rows.push({ id: inst.id, plugin: inst.config.plugin.name, state, reasons: this.store.feedReasons(inst.id).length > 0 ? this.store.feedReasons(inst.id) : inst.reasons, ...stats });
    }
    return rows;
  }
}

function feedInfoOf(ic: InstanceConfig | undefined): FeedInfo | undefined {
  if (ic === undefined) return undefined;
  const c = ic.config as Record<string, unknown>;
  const bps = (k: string) => (typeof c[k] === "number" ? (c[k] as number) : undefined);
  return { plugin: ic.plugin.name, takerFeeBps: bps("taker_fee_bps"), makerFeeBps: bps("maker_fee_bps") };
}

function healthSettings(config: LoadedConfig): HealthSettings {
  const h = config.core.health;
  return {
    heartbeatTimeoutMs: h.heartbeat_timeout_ms,
    maxQuoteAgeMs: h.max_quote_age_ms,
    maxLatencyMs: h.max_latency_ms,
    minUpdatesPerS: h.min_updates_per_s,
  };
}

function sameInstance(a: InstanceConfig, b: InstanceConfig): boolean {
  return a.kind === b.kind && a.plugin === b.plugin && JSON.stringify(a.config) === JSON.stringify(b.config);
}
