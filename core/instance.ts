/**
 * One running plugin instance: its context, its lifecycle state, and its handle. Each instance starts
 * and stops alone, so reload can replace one without touching the others.
 */
import { scopeBus, type Bus } from "./bus.ts";
import type { Clock } from "./clock.ts";
import type { InstanceConfig } from "./config/load.ts";
import { describeError, PluginError } from "./errors.ts";
import type { PluginState } from "./events.ts";
import type { Logger } from "./log.ts";
import type { MarketStoreService } from "./store.ts";
import type {
  FeedHandle,
  HealthSettings,
  NotifierHandle,
  PluginContext,
  PluginHealth,
  PluginHandle,
  RuntimeView,
} from "./plugin.ts";
import type { ActionRegistry } from "./schedule.ts";
import { tappedFetch, type Fetch } from "./transport.ts";
import type { SocketFactory } from "./ws/socket.ts";

/** What the runtime shares with every instance. */
export interface InstanceServices {
  readonly bus: Bus;
  readonly store: MarketStoreService;
  readonly clock: Clock;
  readonly log: Logger;
  readonly actions: ActionRegistry;
  readonly view: RuntimeView;
  readonly configDir: string;
  readonly botName: string;
  readonly health: HealthSettings;
  readonly fetch: Fetch;
  readonly sockets: SocketFactory;
}

/** A plugin instance and its state machine: starting → running ⇄ degraded → stopped | faulted. */
export class PluginInstance {
  readonly config: InstanceConfig;
  #services: InstanceServices;
  #handle: PluginHandle | undefined;
  #abort: AbortController | undefined;
  #state: PluginState = "stopped";
  #reasons: readonly string[] = [];
  /** Increments on every start (reload tests compare it). */
  generation = 0;

  constructor(config: InstanceConfig, services: InstanceServices) {
    this.config = config;
    this.#services = services;
  }

  get id(): string {
    return this.config.id;
  }
  get kind(): InstanceConfig["kind"] {
    return this.config.kind;
  }
  get state(): PluginState {
    return this.#state;
  }
  get reasons(): readonly string[] {
    return this.#reasons;
  }
  get handle(): PluginHandle | undefined {
    return this.#handle;
  }
  /** The notifier handle, when this is a running notifier. */
  get notifier(): NotifierHandle | undefined {
    return this.config.kind === "notifier" ? (this.#handle as NotifierHandle | undefined) : undefined;
  }
  /** The feed handle, when this is a running feed. */
  get feed(): FeedHandle | undefined {
    return this.config.kind === "feed" ? (this.#handle as FeedHandle | undefined) : undefined;
  }

  /** Runs the plugin's setup; a throw becomes a `PluginError` naming this instance. */
  async start(): Promise<void> {
    const s = this.#services;
    const abort = new AbortController();
    this.#abort = abort;
    this.generation++;
    this.#setState("starting", []);
    const log = s.log.child(this.id);
    const self = this;
    const health: PluginHealth = {
      set: (state, reasons = []) => this.#setState(state, reasons),
      get state() {
        return self.#state;
      },
      get reasons() {
        return self.#reasons;
      },
    };
    const ctx: PluginContext<unknown> = {
      id: this.id,
      kind: this.config.kind,
      config: this.config.config as never,
      bus: scopeBus(s.bus, this.id),
      log,
      health,
      store: s.store,
      clock: s.clock,
      signal: abort.signal,
      configDir: s.configDir,
      settings: { botName: s.botName, health: s.health },
      view: s.view,
      fetch: (input, init) => tappedFetch(s.fetch, s.bus, s.clock, this.id, input, init),
      sockets: s.sockets,
      // the abort signal is new at each start: a restart hands the store's writer to a new owner
      writer: (options) => s.store.writer(this.id, options, abort.signal),
      action: (name, fn) => {
        const declared = this.config.plugin.actions ?? [];
        if (!declared.includes(name)) {
          throw new PluginError(this.id, "ACTION_UNDECLARED", `action "${name}" is not listed in the plugin's \`actions\``);
        }
        s.actions.register(this.id, name, fn);
      },
    };
    try {
      this.#handle = await (this.config.plugin.setup as (c: PluginContext<unknown>) => PluginHandle | Promise<PluginHandle>)(ctx);
    } catch (error) {
      this.#cleanup();
      this.#setState("faulted", [describeError(error)]);
      throw new PluginError(this.id, "SETUP_FAILED", `setup failed: ${describeError(error)}`, {
        cause: error,
        remedy: `check the [${this.config.path.join(".")}] table and the plugin's log lines above`,
      });
    }
    if (this.#state === "starting") this.#setState("running", []);
  }

  /** Aborts `ctx.signal`, runs the handle's `stop`, removes its listeners and actions. Never throws. */
  async stop(): Promise<void> {
    if (this.#state === "stopped") return;
    const handle = this.#handle;
    this.#abort?.abort();
    try {
      await handle?.stop?.();
    } catch (error) {
      this.#services.log.child(this.id).error("stop failed", { error });
      this.#services.bus.emit("plugin.error", { plugin: this.id, during: "stop", error, ts: Date.now() });
    }
    this.#cleanup();
    this.#setState("stopped", []);
  }

  #cleanup(): void {
    this.#services.bus.offOwner(this.id);
    this.#services.actions.unregister(this.id);
    this.#handle = undefined;
  }

  #setState(state: PluginState, reasons: readonly string[]): void {
    const changed = state !== this.#state || reasons.join("\n") !== this.#reasons.join("\n");
    this.#state = state;
    this.#reasons = reasons;
    if (changed) {
      this.#services.bus.emit("plugin.status", { plugin: this.id, kind: this.config.kind, state, reasons, ts: this.#services.clock.now() });
    }
  }
}
