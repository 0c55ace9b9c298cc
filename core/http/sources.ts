/**
 * What the HTTP server and the metrics read: read-only views of the running bot, and the one command
 * path (`reload`; mute and unmute are `control.*` events on the bus). The server never owns bot state.
 */
import type { Bus } from "../bus.ts";
import type { Clock } from "../clock.ts";
import type { HealthEntry } from "../health/types.ts";
import type { Logger } from "../log.ts";
import type { HealthSettings, RuntimeView } from "../plugin.ts";
import type { LedgerStats } from "../signals/ledger.ts";
import type { MarketStoreService } from "../store-types.ts";
import type { Histogram } from "../metrics.ts";

/** The result of a reload request. */
export type ReloadResult =
  | { readonly ok: true; readonly started: readonly string[]; readonly stopped: readonly string[]; readonly kept: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The market store as the API reads it. */
export type ApiStore = Pick<MarketStoreService, "quoteRows" | "quoteRow" | "bookRow" | "feedStats" | "books">;

/** Everything the HTTP API, the dashboard and `/metrics` read. */
export interface HttpSources {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly store: ApiStore;
  readonly view: RuntimeView;
  botName(): string;
  /** `[health]` thresholds now (reloadable). */
  healthSettings(): HealthSettings;
  /** Latest health-check verdicts. */
  healthEntries(): readonly HealthEntry[];
  /** Open opportunities per strategy and suppressions per strategy and reason. */
  ledger(): LedgerStats;
  /** Running strategy ids (so `edgewatch_opportunities_open` shows 0 rather than nothing). */
  strategies(): readonly string[];
  /** Listener errors per plugin id. */
  pluginErrors(): ReadonlyMap<string, number>;
  /** `edgewatch_frame_to_signal_seconds`. */
  readonly frameToSignal: Histogram;
  /** Re-reads the config file and applies it by difference. */
  reload(by: string): Promise<ReloadResult>;
}
