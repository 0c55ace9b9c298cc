/**
 * Binance USD-M routes market streams by URL path: `/public` carries high-frequency data (`@depth`,
 * `@bookTicker`), `/market` the regular streams (`@aggTrade`, `@markPrice`), and a stream on the wrong
 * path is accepted but never delivered. The feed therefore runs one set of shards per tier; this file
 * makes them one feed again: a single `feed.status` (the tiers' states merged) and summed counters.
 */
import type { EventMap, FeedState, FeedStatus } from "../../../core/events.ts";
import type { FeedStats } from "../../../core/plugin.ts";
import type { ShardsBus } from "../../../core/ws/shards.ts";
import { RawFrame } from "../../../core/ws/raw-frame.ts";

/** The stream tiers, by URL path. */
export type BinanceTier = "public" | "market";

/** Which tier a stream name belongs to (`@aggTrade` and `@markPrice` are `/market`; the rest `/public`). */
export function binanceTierOf(stream: string): BinanceTier {
  return stream.includes("@aggTrade") || stream.includes("@markPrice") ? "market" : "public";
}

const RANK: Readonly<Record<FeedState, number>> = { live: 0, degraded: 1, connecting: 2, reconnecting: 3, stale: 4, stopped: 5, faulted: 6 };

/** Merges the tiers' `feed.status` into one per feed; `frame.raw` passes through under the feed's id. */
export class TierStatus {
  readonly #feed: string;
  readonly #bus: ShardsBus;
  readonly #last = new Map<BinanceTier, FeedStatus>();
  #emitted: { state: FeedState; reasons: string } | undefined;

  constructor(feed: string, bus: ShardsBus) {
    this.#feed = feed;
    this.#bus = bus;
  }

  /** The bus a tier's shards publish on. */
  busFor(tier: BinanceTier): ShardsBus {
    const self = this;
    return {
      emit<K extends "feed.status" | "frame.raw">(name: K, payload: EventMap[K]): void {
        if (name === "feed.status") self.#onStatus(tier, payload as FeedStatus);
        else {
          const raw = payload as EventMap["frame.raw"];
          self.#bus.emit("frame.raw", raw instanceof RawFrame ? raw.withFeed(self.#feed) : { ...raw, feed: self.#feed });
        }
      },
      listenerCount: (name) => self.#bus.listenerCount(name),
    };
  }

  #onStatus(tier: BinanceTier, s: FeedStatus): void {
    this.#last.set(tier, s);
    const all = [...this.#last.values()];
    const states = all.map((x) => x.state);
    let state: FeedState;
    if (states.includes("faulted")) state = "faulted";
    else if (states.every((x) => x === states[0])) state = states[0]!;
    else if (states.some((x) => x === "live" || x === "degraded")) state = "degraded";
    else state = states.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    const reasons = all.flatMap((x) => (x.state === "live" ? [] : x.reasons));
    const key = reasons.join("\n");
    if (this.#emitted !== undefined && this.#emitted.state === state && this.#emitted.reasons === key) return;
    const prev = this.#emitted?.state;
    this.#emitted = { state, reasons: key };
    this.#bus.emit("feed.status", { feed: this.#feed, state, prev, reasons, connection: s.connection, ts: s.ts });
  }
}

/** The feed's counters: the tiers' summed, the most recent message across them. */
export function sumStats(list: readonly FeedStats[]): FeedStats {
  const out: FeedStats = { connections: 0, messages: 0, bytes: 0, errors: 0, reconnects: 0, resyncs: 0, lastMessageAgeMs: null };
  for (const s of list) {
    out.connections += s.connections;
    out.messages += s.messages;
    out.bytes += s.bytes;
    out.errors += s.errors;
    out.reconnects += s.reconnects;
    out.resyncs += s.resyncs;
    if (s.lastMessageAgeMs !== null && (out.lastMessageAgeMs === null || s.lastMessageAgeMs < out.lastMessageAgeMs)) out.lastMessageAgeMs = s.lastMessageAgeMs;
  }
  return out;
}
