/**
 * The Redis bridge's wire format and key names, shared by the `[redis]` sink (writer) and the `redis`
 * feed (reader). docs/scale-out.md documents them for other consumers (dashboards, other languages).
 *
 * Streams hold one entry per venue frame (`t = "frame"`, the frame.end marker with every change of that
 * frame) and one per feed status change (`t = "status"`); `d` is the JSON payload. Every book change
 * carries the bridge's own `seq` per book (1, 2, 3… from the book's first snapshot in this run), so a
 * consumer sees a gap whatever the venue's own numbering is.
 */
import type { FeedState, Level } from "../../../core/events.ts";

/** What every book on the wire carries (a change in a frame, or the cached latest book). */
export interface WireBookFields {
  readonly instrument: string;
  readonly key: string;
  /** The bridge's own per-book sequence (1, 2, 3… from the book's first snapshot in this run). */
  readonly seq: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  readonly tsEvent: number;
  readonly tsRecv: number;
}

/** A whole book (the first change of a book in a run is always one). */
export interface WireSnapshot extends WireBookFields {
  readonly type: "snapshot";
  readonly tickSize?: number | undefined;
}

/** Changed levels (size 0 removes), exactly as the venue's delta applied at the collector. */
export interface WireDelta extends WireBookFields {
  readonly type: "delta";
}

/** The top of a quote-only instrument (no depth at the venue). */
export interface WireTop {
  readonly type: "top";
  readonly instrument: string;
  readonly key: string;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly bidSize: number;
  readonly askSize: number;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

/** The collector's book went resyncing or stale: the consumer's must too. */
export interface WireState {
  readonly type: "resync" | "stale";
  readonly instrument: string;
}

export interface WireTrade {
  readonly type: "trade";
  readonly instrument: string;
  readonly key: string;
  readonly price: number;
  readonly size: number;
  readonly side: "buy" | "sell" | "unknown";
  readonly tradeId?: string | undefined;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

export type WireItem = WireSnapshot | WireDelta | WireTop | WireState | WireTrade;

/** One venue frame: apply every item, then end the frame. */
export interface WireFrame {
  /** Id of the collector's sink run; `n` and book `seq`s restart with a new run. */
  readonly run: string;
  /** Frame number in the run, per feed (duplicates after a retried write are skipped by it). */
  readonly n: number;
  readonly feed: string;
  readonly tsRecv: number;
  readonly items: readonly WireItem[];
}

/** A `feed.status` of the collector's feed. */
export interface WireStatus {
  readonly run: string;
  readonly feed: string;
  readonly state: FeedState;
  readonly reasons: readonly string[];
  readonly ts: number;
}

/** The latest-book cache entry (`<prefix>:book:<feed>:<instrument>`), full depth. */
export interface WireCachedBook extends WireBookFields {
  readonly run: string;
  readonly tickSize?: number | undefined;
}

/** Key and stream names under a prefix. */
export const redisKeys = {
  /** Market-data stream of one feed: frames and statuses. */
  stream: (prefix: string, feed: string): string => `${prefix}:md:${feed}`,
  /** Opportunities and alerts. */
  events: (prefix: string): string => `${prefix}:events`,
  /** Latest full book, with a TTL. */
  book: (prefix: string, feed: string, instrument: string): string => `${prefix}:book:${feed}:${instrument}`,
  /** Latest feed status (no TTL): a consumer that starts late knows the feed's state at once. */
  status: (prefix: string, feed: string): string => `${prefix}:status:${feed}`,
};

/** Fills a channel template: `{prefix}`, `{feed}`, `{instrument}`, `{key}`. */
export function channelName(template: string, parts: { prefix: string; feed?: string; instrument?: string; key?: string }): string {
  return template.replace(/\{(prefix|feed|instrument|key)\}/g, (_, name: "prefix" | "feed" | "instrument" | "key") => parts[name] ?? "");
}

/** Reads a stream entry's field list (`[f1, v1, f2, v2…]`) into an object. */
export function entryFields(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

/** Compares two stream ids (`ms-seq`). */
export function compareIds(a: string, b: string): number {
  const [am = "0", as = "0"] = a.split("-");
  const [bm = "0", bs = "0"] = b.split("-");
  const d = Number(am) - Number(bm);
  return d !== 0 ? Math.sign(d) : Math.sign(Number(as) - Number(bs));
}
