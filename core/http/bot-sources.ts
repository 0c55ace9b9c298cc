/**
 * Builds the HTTP sources of a running bot from its runtime and health runner.
 */
import type { HealthRunner } from "../health/runner.ts";
import { Histogram } from "../metrics.ts";
import type { Runtime } from "../runtime.ts";
import type { HttpSources, ReloadResult } from "./sources.ts";

/**
 * The views the API reads from a runtime; `reload` is the bot's own (re-read the file, apply the diff).
 *
 * @example
 * const sources = botSources(runtime, runner, () => bot.reload());
 */
export function botSources(runtime: Runtime, health: HealthRunner | undefined, reload: (by: string) => Promise<ReloadResult>, frameToSignal = new Histogram()): HttpSources {
  return {
    bus: runtime.bus,
    clock: runtime.clock,
    log: runtime.log.child("http"),
    store: runtime.store,
    view: runtime.view,
    botName: () => runtime.config.core.bot.name,
    healthSettings: () => {
      const h = runtime.config.core.health;
      return { heartbeatTimeoutMs: h.heartbeat_timeout_ms, maxQuoteAgeMs: h.max_quote_age_ms, maxLatencyMs: h.max_latency_ms, minUpdatesPerS: h.min_updates_per_s };
    },
    healthEntries: () => health?.entries() ?? [],
    ledger: () => runtime.ledger.stats(),
    strategies: () => [...runtime.instances().values()].filter((i) => i.kind === "strategy").map((i) => i.id),
    pluginErrors: () => runtime.bus.errorCounts(),
    frameToSignal,
    reload,
  };
}
