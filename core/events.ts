/**
 * The one event map of edgewatch, and the read-only domain payloads that travel on it.
 *
 * Event names are dotted literals; venue and instrument travel in the payload, so a typo in a name is a
 * compile error. Plugins add their own events by declaration merging:
 *
 * @example
 * declare module "edgewatch" {
 *   interface EventMap { "my.signal": { feed: string; value: number } }
 * }
 */

/** One price level: `[price, size]`, size in the instrument's base unit (shares, coins). */
export type Level = readonly [price: number, size: number];

/** What every market-data payload carries (SURFACE.md). */
export interface MarketRef {
  /** Feed instance id from the config (`[feeds.<id>]`). */
  readonly feed: string;
  /** The venue's own instrument id, exactly as the user wrote it (`BTC-USDT-SWAP`, a token id). */
  readonly instrument: string;
  /** Normalized cross-venue key (`BTC-USDT-PERP`), or the instrument itself where none exists. */
  readonly key: string;
  /** Venue time, ms since epoch. */
  readonly tsEvent: number;
  /** Local receive time, ms since epoch. */
  readonly tsRecv: number;
}

/** A whole book. Levels best first. */
export interface BookSnapshot extends MarketRef {
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  /** Venue sequence number after this snapshot, where the venue has one. */
  readonly seq?: number;
  /** Minimum price increment, where known. */
  readonly tickSize?: number;
  /** Where the snapshot came from. */
  readonly source?: "ws" | "rest";
}

/** Changed levels; a size of 0 removes the level. */
export interface BookDelta extends MarketRef {
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  readonly seq?: number;
  readonly prevSeq?: number;
}

/**
 * Every change parsed from one venue frame has been applied to the books and quotes.
 * Strategies evaluate here, never mid-frame (a torn view is the classic false arbitrage).
 */
export interface FrameEnd {
  readonly feed: string;
  /** Instruments whose book or quote changed in this frame. */
  readonly instruments: readonly string[];
  readonly tsRecv: number;
}

/** Normalized top of book. A missing side has price `null` and size 0. */
export interface Quote extends MarketRef {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly bidSize: number;
  readonly askSize: number;
  readonly mid: number | null;
  readonly spreadBps: number | null;
  /** `tsRecv - tsEvent`: how late the venue's data arrived by its own clock. */
  readonly latencyMs: number;
}

export interface Trade extends MarketRef {
  readonly price: number;
  readonly size: number;
  /** Taker side. */
  readonly side: "buy" | "sell" | "unknown";
  readonly tradeId?: string;
}

/** Perp funding: the current rate per interval and the next funding time. */
export interface Funding extends MarketRef {
  readonly rate: number;
  readonly nextFundingTime?: number;
  readonly intervalMs?: number;
  readonly markPrice?: number;
  readonly indexPrice?: number;
}

/** A market appeared (prediction venues). `instrument` is the market id; its tradable instruments are listed. */
export interface MarketNew extends MarketRef {
  readonly question: string;
  readonly slug?: string;
  readonly outcomes: readonly string[];
  readonly instruments: readonly string[];
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface MarketResolved extends MarketRef {
  readonly winningOutcome?: string;
  readonly winningInstrument?: string;
}

export interface TickSizeChange extends MarketRef {
  readonly oldTickSize: number;
  readonly newTickSize: number;
}

/** A reference price (index, oracle, equity): not a book. */
export interface PriceTick extends MarketRef {
  readonly price: number;
  readonly source?: string;
}

/** Feed states (SURFACE.md). */
export type FeedState = "connecting" | "live" | "degraded" | "stale" | "reconnecting" | "stopped" | "faulted";

export interface FeedStatus {
  readonly feed: string;
  readonly state: FeedState;
  readonly prev?: FeedState;
  /** Plain sentences: why the feed is in this state. */
  readonly reasons: readonly string[];
  /** Connection (shard) id the change concerns, when it concerns one. */
  readonly connection?: string;
  readonly ts: number;
}

/** A raw venue frame exactly as received; emitted only while something listens (recorder, redis). */
export interface FrameRaw {
  readonly feed: string;
  readonly connection: string;
  readonly data: string | Uint8Array;
  readonly tsRecv: number;
  /** Receive time in ns (monotonic origin + epoch), where available. */
  readonly tsRecvNs?: bigint;
  /**
   * `performance.now()` on the emitting thread at receive, where available: `tsRecvNs` is then
   * `round(performance.timeOrigin × 1e6) + round(tsRecvPerf × 1e6)` (a listener can skip the BigInt).
   */
  readonly tsRecvPerf?: number;
  /** `ws` frame or a `rest` response used for sync. */
  readonly source: "ws" | "rest";
  /** For REST: the request path. */
  readonly url?: string;
}

export type Severity = "info" | "warning" | "critical";

/** One leg of an opportunity's execution plan. */
export interface OpportunityLeg {
  readonly feed: string;
  readonly instrument: string;
  readonly key: string;
  readonly side: "buy" | "sell";
  /** Base units (shares, coins). */
  readonly size: number;
  /** Volume-weighted average price, fees excluded. */
  readonly vwap: number;
  /** Deepest level from which a positive amount is taken. */
  readonly worstPrice: number;
  /** Taker fees of this leg in USD. */
  readonly feeUsd: number;
  /** Walked notional (price × size), fees excluded. */
  readonly notionalUsd: number;
}

/** An opportunity (SIGNALS.md): identified by strategy + legs. */
export interface Opportunity {
  readonly id: string;
  readonly strategy: string;
  readonly kind: string;
  readonly legs: readonly OpportunityLeg[];
  readonly edgeBps: number;
  readonly sizeUsd: number;
  readonly profitUsd: number;
  readonly peakEdgeBps: number;
  readonly openedAt: number;
  readonly updatedAt: number;
  readonly severity: Severity;
  /** Kind-specific figures (gross bps, funding beside the edge, shares…). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface OpportunityClosed extends Opportunity {
  readonly closedAt: number;
  readonly durationMs: number;
  /** Why it closed: `edge_gone`, or a suppression reason (`stale`, `resyncing`, `crossed`, …). */
  readonly reason: string;
}

export type AlertKind = "opportunity" | "health" | "lifecycle" | "info" | "digest";

/** What goes to notifiers. */
export interface Alert {
  readonly id: string;
  /** Dedupe/cooldown key: the same situation keeps the same key. */
  readonly key: string;
  /** Plugin id that raised it (strategy id, health check id…). */
  readonly source: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly title: string;
  readonly text: string;
  readonly ts: number;
  readonly feed?: string;
  readonly instrument?: string;
  /** Age of the data it is built on, ms: its oldest leg's time since that book or quote last changed (a quiet book is still valid). */
  readonly dataAgeMs?: number;
  readonly url?: string;
  readonly opportunity?: Opportunity;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface AlertDelivered {
  readonly alertId: string;
  readonly notifier: string;
  readonly attempts: number;
  readonly ts: number;
}

export interface AlertFailed {
  readonly alertId: string;
  readonly notifier: string;
  readonly error: string;
  readonly retryable: boolean;
  readonly attempts: number;
  readonly ts: number;
}

export type HealthLevel = "ok" | "degraded" | "down";

/** A health check's transition. */
export interface HealthStatus {
  readonly check: string;
  /** What it is about: a feed id, a notifier id, `bot`. */
  readonly subject: string;
  readonly status: HealthLevel;
  readonly prev: HealthLevel;
  readonly reason: string;
  readonly severity: Severity;
  readonly ts: number;
}

/** A listener, plugin setup or scheduled job threw. */
export interface PluginErrorEvent {
  readonly plugin: string;
  /** The event being delivered, or `setup`, `stop`, `schedule:<action>`. */
  readonly during: string;
  readonly error: unknown;
  readonly ts: number;
}

/** Plugin lifecycle states (per plugin instance). */
export type PluginState = "starting" | "running" | "degraded" | "stopped" | "faulted";

export interface PluginStatus {
  readonly plugin: string;
  readonly kind: string;
  readonly state: PluginState;
  readonly reasons: readonly string[];
  readonly ts: number;
}

/** Mute alerts until `untilMs` (epoch ms); published by chat commands and the HTTP control route. */
export interface ControlMute {
  readonly untilMs: number;
  readonly by: string;
}

export interface ControlUnmute {
  readonly by: string;
}

/** Ask the runtime to re-read and apply the config. */
export interface ControlReload {
  readonly by: string;
}

/** The event map. Extend it by declaration merging (see the file comment). */
export interface EventMap {
  "feed.status": FeedStatus;
  "frame.raw": FrameRaw;
  "book.snapshot": BookSnapshot;
  "book.delta": BookDelta;
  "frame.end": FrameEnd;
  quote: Quote;
  trade: Trade;
  funding: Funding;
  "market.new": MarketNew;
  "market.resolved": MarketResolved;
  "market.tick_size": TickSizeChange;
  "price.tick": PriceTick;
  "opportunity.open": Opportunity;
  "opportunity.update": Opportunity;
  "opportunity.close": OpportunityClosed;
  alert: Alert;
  "alert.delivered": AlertDelivered;
  "alert.failed": AlertFailed;
  "health.status": HealthStatus;
  "plugin.error": PluginErrorEvent;
  "plugin.status": PluginStatus;
  "control.mute": ControlMute;
  "control.unmute": ControlUnmute;
  "control.reload": ControlReload;
}

export type EventName = keyof EventMap;
