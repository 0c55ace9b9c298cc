/**
 * Keeps OKX incremental books (`books`, `books-l2-tbt`, `books50-l2-tbt`) in sync, in both of the venue's
 * modes (okx.md):
 * - legacy: the first push after the subscribe ack is a `snapshot` (checksum real, or 0 after 2026-06);
 * - 2026: no WS snapshot; buffer the updates, fetch `GET /api/v5/market/books`, retry while the REST
 *   `seqId` is older than the first buffered `prevSeqId`, drop buffered updates with `seqId <= S`, and
 *   bridge with the first update where `prevSeqId <= S < seqId`.
 * Sequencing is the store's (`prevSeqId` must equal the book's `seq`; keep-alive `prevSeqId == seqId` and
 * the maintenance reset `seqId < prevSeqId` both satisfy it); frames without seq fields are applied
 * unchecked. A gap, a checksum mismatch or a crossed book resyncs: resubscribe when the venue sends WS
 * snapshots, else a new REST sync.
 */
import type { FeedWriter } from "../../../core/book/writer.ts";
import type { BookDelta, BookSnapshot } from "../../../core/events.ts";
import { OkxLevelStrings } from "./checksum.ts";
import type { OkxBookData } from "./messages.ts";
import type { OkxBookEvent } from "./parse.ts";

/** Most updates buffered while a REST snapshot is in flight; beyond it the sync starts over. */
const MAX_BUFFER = 5_000;

type Phase = "subscribing" | "waiting" | "buffering" | "live";

interface SyncState {
  phase: Phase;
  /** Bumped on every (re)subscription and every new sync; stale REST answers carry an older one. */
  gen: number;
  buffer: OkxBookEvent[];
  readonly strings: OkxLevelStrings;
  /** REST snapshot seq waiting for its bridging update. */
  bridge: number | undefined;
  /** This subscription delivered a WS snapshot (the venue still sends them). */
  wsSnapshots: boolean;
}

export interface BookSyncOptions {
  readonly writer: FeedWriter;
  readonly mode: "auto" | "rest";
  readonly verifyChecksum: boolean;
  /** Fetch a REST snapshot; answer with `onRest(instId, gen, …)`. */
  readonly requestSnapshot: (instId: string, gen: number, retry: boolean) => void;
  /** Unsubscribe + subscribe the book channel (a fresh WS snapshot follows). */
  readonly resubscribe: (instId: string) => void;
}

/** The incremental-book state of every subscribed instrument of one feed. */
export class OkxBookSync {
  readonly #o: BookSyncOptions;
  readonly #states = new Map<string, SyncState>();

  constructor(options: BookSyncOptions) {
    this.#o = options;
  }

  /** The venue strings of a book (the checksum hook reads them). */
  strings(instId: string): OkxLevelStrings | undefined {
    return this.#states.get(instId)?.strings;
  }

  /** Subscribe frames for these instruments are going out: pushes until the ack belong to the old subscription. */
  subscribing(instIds: readonly string[]): void {
    for (const id of instIds) {
      const st = this.#state(id);
      st.phase = "subscribing";
      st.gen++;
      st.buffer = [];
      st.bridge = undefined;
      st.wsSnapshots = false;
    }
  }

  /** The venue acknowledged the book subscription. */
  onAck(instId: string): void {
    const st = this.#states.get(instId);
    if (st !== undefined && st.phase === "subscribing") st.phase = "waiting";
  }

  /** The instrument left the feed (rejected or unsubscribed). */
  forget(instId: string): void {
    this.#states.delete(instId);
  }

  /** True while sync `gen` of the instrument still waits for its REST snapshot (retries stop otherwise). */
  awaiting(instId: string, gen: number): boolean {
    const st = this.#states.get(instId);
    return st !== undefined && st.gen === gen && st.phase === "buffering";
  }

  /** Phase of an instrument (tests, diagnostics). */
  phase(instId: string): Phase | undefined {
    return this.#states.get(instId)?.phase;
  }

  /**
   * One parsed book push. Returns true when it belongs to the current subscription (the book is
   * progressing), false when it was ignored (a push of a subscription being replaced, an unknown id).
   */
  onBook(ev: OkxBookEvent): boolean {
    const st = this.#states.get(ev.instId);
    if (st === undefined) return false;
    if (ev.action === "snapshot") {
      st.wsSnapshots = true;
      if (this.#o.mode === "rest") {
        // 2026 procedure: the stream's snapshot is ignored; the REST one is authoritative.
        if (st.phase === "subscribing") st.phase = "waiting";
        return true;
      }
      st.gen++;
      st.buffer = [];
      st.bridge = undefined;
      st.phase = "live";
      st.strings.load(ev.rawBids, ev.rawAsks);
      this.#o.writer.snapshot(ev.snapshot!, this.#checksum(ev.checksum));
      return true;
    }
    switch (st.phase) {
      case "subscribing":
        return false; // a push of the subscription being replaced
      case "waiting":
        st.phase = "buffering";
        st.buffer = [ev];
        this.#o.requestSnapshot(ev.instId, st.gen, false);
        return true;
      case "buffering":
        if (st.buffer.length >= MAX_BUFFER) {
          st.gen++;
          st.buffer = [ev];
          this.#o.requestSnapshot(ev.instId, st.gen, false);
          return true;
        }
        st.buffer.push(ev);
        return true;
      case "live":
        this.#applyUpdate(st, ev);
        return true;
    }
  }

  /**
   * A REST snapshot arrived for sync `gen`. Returns `retry` when it is older than the stream (ask again),
   * `stale` when the sync it belonged to is over, `ok` when applied.
   */
  onRest(instId: string, gen: number, book: BookSnapshot, raw: OkxBookData): "ok" | "retry" | "stale" {
    const st = this.#states.get(instId);
    if (st === undefined || st.gen !== gen || st.phase !== "buffering") return "stale";
    const s = book.seq;
    const first = st.buffer[0];
    if (s !== undefined && first?.prevSeqId !== undefined && s < first.prevSeqId) return "retry";
    const buffered = st.buffer;
    st.buffer = [];
    st.phase = "live";
    st.bridge = s;
    st.strings.load(raw.bids, raw.asks);
    if (this.#o.writer.snapshot(book) !== "ok") return "ok";
    for (const ev of buffered) {
      if (st.phase !== "live" || st.gen !== gen) break;
      this.#applyUpdate(st, ev);
    }
    return "ok";
  }

  /**
   * The book must be rebuilt (`gap`, `checksum`, `crossed` from the store, or the feed's own finding).
   * Resubscribes while the venue sends WS snapshots; otherwise the next update starts a REST sync.
   */
  resync(instId: string): void {
    const st = this.#states.get(instId);
    if (st === undefined) return;
    st.buffer = [];
    st.bridge = undefined;
    st.gen++;
    if (this.#o.mode === "auto" && st.wsSnapshots) {
      st.phase = "subscribing";
      st.wsSnapshots = false;
      this.#o.resubscribe(instId);
    } else {
      st.phase = "waiting";
    }
  }

  #applyUpdate(st: SyncState, ev: OkxBookEvent): void {
    let delta = ev.delta!;
    if (st.bridge !== undefined) {
      const s = st.bridge;
      if (ev.seqId !== undefined && ev.seqId <= s) return; // already in the REST snapshot
      if (ev.prevSeqId !== undefined && ev.prevSeqId > s) {
        // the stream moved past the snapshot without a bridging update: a gap
        st.bridge = undefined;
        this.#o.writer.resync(ev.instId, "gap");
        this.resync(ev.instId);
        return;
      }
      st.bridge = undefined;
      delta = withPrevSeq(delta, s);
    }
    st.strings.apply(ev.rawBids, ev.rawAsks);
    const r = this.#o.writer.delta(delta, this.#checksum(ev.checksum));
    // gap/checksum: the writer already called onResync (which calls resync()). A refused update means the
    // book was sent to resyncing by someone else (crossed at the last frame end): start over.
    if (r === "resyncing" || r === "no_book") this.resync(ev.instId);
  }

  #checksum(value: number | undefined): number | undefined {
    return this.#o.verifyChecksum && value !== undefined && value !== 0 ? value : undefined;
  }

  #state(id: string): SyncState {
    let st = this.#states.get(id);
    if (st === undefined) {
      st = { phase: "subscribing", gen: 0, buffer: [], strings: new OkxLevelStrings(), bridge: undefined, wsSnapshots: false };
      this.#states.set(id, st);
    }
    return st;
  }
}

function withPrevSeq(d: BookDelta, prevSeq: number): BookDelta {
  return { ...d, prevSeq };
}
