/**
 * Binance USD-M local order book procedure ("How to manage a local order book correctly"):
 * buffer the diff-depth events, fetch a REST snapshot, drop every event with `u` < `lastUpdateId`,
 * apply the first event with `U` <= lastUpdateId <= `u`, then require each event's `pu` to equal the
 * previous event's `u`; otherwise start again from the snapshot. The chain check itself is the store's
 * (`prevSeq` = pu must equal the book's `seq` = previous u); this class owns the buffering and bridging.
 */
import type { ApplyResult } from "../../../core/book/book.ts";
import type { BookSnapshot } from "../../../core/events.ts";
import type { BinanceDepthEvent } from "./parse.ts";

/** What the sync needs from the feed: REST snapshots and the store writer. */
export interface DepthSyncHost {
  /** Fetch a snapshot of `symbol` and answer with `onSnapshot(symbol, generation, …)` (or `onSnapshotFailed`). */
  requestSnapshot(symbol: string, generation: number): void;
  applySnapshot(book: BookSnapshot): void;
  /** Applies one event through the writer; a `gap` there sends the book to resync (the host calls `start`). */
  applyDelta(ev: BinanceDepthEvent): ApplyResult;
}

/** Most events buffered per symbol while a snapshot is on its way (the oldest are dropped beyond). */
export const DEPTH_BUFFER_MAX = 10_000;

interface SymbolState {
  phase: "buffering" | "live";
  generation: number;
  buffer: BinanceDepthEvent[];
  requested: boolean;
  /** A snapshot newer than every buffered event: waiting for the event that bridges it. */
  pending: { book: BookSnapshot; lastUpdateId: number } | undefined;
}

/** What happened to a snapshot answer. */
export type SnapshotOutcome = "applied" | "waiting" | "stale" | "ignored";

/**
 * The per-symbol sync state machine.
 *
 * @example
 * const sync = new BinanceDepthSync(host);
 * sync.start("BTCUSDT");                // on (re)subscribe or after a pu gap
 * sync.onEvent(depthEvent);             // every depthUpdate
 * sync.onSnapshot("BTCUSDT", gen, book, lastUpdateId); // the REST answer
 */
export class BinanceDepthSync {
  readonly #host: DepthSyncHost;
  readonly #state = new Map<string, SymbolState>();
  #generation = 0;

  constructor(host: DepthSyncHost) {
    this.#host = host;
  }

  /** (Re)starts the procedure for `symbol` at step 2 (buffer), dropping whatever was buffered. */
  start(symbol: string): void {
    this.#state.set(symbol, { phase: "buffering", generation: ++this.#generation, buffer: [], requested: false, pending: undefined });
  }

  /** Whether `symbol` is applying events directly. */
  live(symbol: string): boolean {
    return this.#state.get(symbol)?.phase === "live";
  }

  /** Events buffered for `symbol` now. */
  buffered(symbol: string): number {
    return this.#state.get(symbol)?.buffer.length ?? 0;
  }

  /** One diff-depth event. Returns what the store did with it, or `buffered`/`dropped`. */
  onEvent(ev: BinanceDepthEvent): ApplyResult | "buffered" | "dropped" {
    let s = this.#state.get(ev.symbol);
    if (s === undefined) {
      this.start(ev.symbol);
      s = this.#state.get(ev.symbol)!;
    }
    if (s.phase === "live") {
      const r = this.#host.applyDelta(ev);
      if (r === "gap" || r === "resyncing" || r === "no_book") {
        // pu broke the chain: initialize again from step 3; this event is the first of the new buffer
        const again = this.#state.get(ev.symbol);
        if (again === undefined || again.phase === "live") this.start(ev.symbol);
        this.#buffer(this.#state.get(ev.symbol)!, ev);
      }
      return r;
    }
    if (s.pending !== undefined) {
      const L = s.pending.lastUpdateId;
      if (ev.u < L) return "dropped";
      if (ev.U <= L) {
        const book = s.pending.book;
        s.pending = undefined;
        this.#goLive(s, book, [ev]);
        return "ok";
      }
      // the snapshot is older than the stream: it cannot be bridged, fetch another
      s.pending = undefined;
      s.requested = false;
    }
    this.#buffer(s, ev);
    return "buffered";
  }

  /** The REST snapshot (`lastUpdateId`) for the procedure started as `generation`. */
  onSnapshot(symbol: string, generation: number, book: BookSnapshot, lastUpdateId: number): SnapshotOutcome {
    const s = this.#state.get(symbol);
    if (s === undefined || s.phase !== "buffering" || s.generation !== generation) return "ignored";
    // step 4: drop any event where u < lastUpdateId
    let i = 0;
    while (i < s.buffer.length && s.buffer[i]!.u < lastUpdateId) i++;
    const rest = s.buffer.slice(i);
    s.buffer = rest;
    const first = rest[0];
    if (first === undefined) {
      s.pending = { book, lastUpdateId };
      return "waiting";
    }
    // step 5: the first processed event must have U <= lastUpdateId AND u >= lastUpdateId
    if (first.U > lastUpdateId) {
      s.requested = false;
      this.#request(s, symbol);
      return "stale";
    }
    s.buffer = [];
    this.#goLive(s, book, rest);
    return "applied";
  }

  /** The REST request failed: the host retries with `retry(symbol)` when it sees fit. */
  onSnapshotFailed(symbol: string, generation: number): void {
    const s = this.#state.get(symbol);
    if (s !== undefined && s.generation === generation) s.requested = false;
  }

  /** Requests the snapshot again if `symbol` is still waiting for one. */
  retry(symbol: string): void {
    const s = this.#state.get(symbol);
    if (s !== undefined && s.phase === "buffering" && s.pending === undefined && s.buffer.length > 0) this.#request(s, symbol);
  }

  /**
   * Asks for the snapshot now if `symbol` is still waiting for its first event (a quiet or unknown
   * symbol: the answer either starts the book once an event bridges it, or names the symbol unknown).
   */
  requestNow(symbol: string): void {
    const s = this.#state.get(symbol);
    if (s !== undefined && s.phase === "buffering" && !s.requested && s.pending === undefined) this.#request(s, symbol);
  }

  /** Forgets `symbol` (unsubscribed). */
  forget(symbol: string): void {
    this.#state.delete(symbol);
  }

  #buffer(s: SymbolState, ev: BinanceDepthEvent): void {
    s.buffer.push(ev);
    if (s.buffer.length > DEPTH_BUFFER_MAX) s.buffer.shift();
    this.#request(s, ev.symbol);
  }

  #request(s: SymbolState, symbol: string): void {
    if (s.requested) return;
    s.requested = true;
    this.#host.requestSnapshot(symbol, s.generation);
  }

  #goLive(s: SymbolState, book: BookSnapshot, events: readonly BinanceDepthEvent[]): void {
    s.phase = "live";
    s.pending = undefined;
    s.buffer = [];
    this.#host.applySnapshot(book);
    for (const ev of events) {
      const r = this.#host.applyDelta(ev);
      if (r === "gap" || r === "resyncing" || r === "no_book") {
        const idx = events.indexOf(ev);
        this.start(ev.symbol);
        const fresh = this.#state.get(ev.symbol)!;
        for (const later of events.slice(idx)) this.#buffer(fresh, later);
        return;
      }
    }
  }
}
