import { describe, expect, it } from "bun:test";
import type { BookDelta, BookSnapshot, Level } from "../events.ts";
import { type ChecksumHook, L2Book } from "./book.ts";

const ref = { feed: "f", instrument: "X", key: "X-USD-PERP", tsEvent: 1000, tsRecv: 1005 };

function snap(bids: Level[], asks: Level[], extra: Partial<BookSnapshot> = {}): BookSnapshot {
  return { ...ref, bids, asks, ...extra };
}

function delta(bids: Level[], asks: Level[], extra: Partial<BookDelta> = {}): BookDelta {
  return { ...ref, bids, asks, ...extra };
}

function sides(book: L2Book): { bids: Level[]; asks: Level[] } {
  return book.depth(Number.MAX_SAFE_INTEGER);
}

/** A tiny reference book: maps sorted on read. */
class RefBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  set(side: "bid" | "ask", p: number, s: number): void {
    const m = side === "bid" ? this.bids : this.asks;
    if (s === 0) m.delete(p);
    else m.set(p, s);
  }
  view(): { bids: Level[]; asks: Level[] } {
    const bids = [...this.bids].sort((a, b) => b[0] - a[0]) as Level[];
    const asks = [...this.asks].sort((a, b) => a[0] - b[0]) as Level[];
    return { bids, asks };
  }
}

describe("L2Book", () => {
  it("loads a best-first snapshot and reads levels best first by index", () => {
    const book = new L2Book("f", "X", "X-USD-PERP");
    book.applySnapshot(snap([[100, 1], [99, 2], [98, 3]], [[101, 4], [102, 5]], { seq: 7, tickSize: 0.5 }));
    expect(book.state).toBe("live");
    expect(book.seq).toBe(7);
    expect(book.tickSize).toBe(0.5);
    expect(book.levels("bid")).toBe(3);
    expect(book.price("bid", 0)).toBe(100);
    expect(book.size("bid", 2)).toBe(3);
    expect(book.price("ask", 0)).toBe(101);
    expect(book.price("ask", 1)).toBe(102);
    expect(book.price("ask", 2)).toBeNaN();
    expect(book.size("ask", 5)).toBe(0);
  });

  it("sorts a snapshot given worst first or shuffled, skips zero sizes and keeps the last duplicate", () => {
    const a = new L2Book("f", "X", "K");
    a.applySnapshot(snap([[0.01, 5], [0.02, 6], [0.03, 7]], [[0.99, 1], [0.98, 2], [0.97, 3]]));
    expect(sides(a)).toEqual({ bids: [[0.03, 7], [0.02, 6], [0.01, 5]], asks: [[0.97, 3], [0.98, 2], [0.99, 1]] });
    const b = new L2Book("f", "X", "K");
    b.applySnapshot(snap([[5, 1], [7, 0], [9, 1], [6, 2], [9, 3]], [[12, 1], [10, 2], [11, 0]]));
    expect(sides(b)).toEqual({ bids: [[9, 3], [6, 2], [5, 1]], asks: [[10, 2], [12, 1]] });
  });

  it("inserts, replaces and removes at every position of both sides", () => {
    const base: Level[] = [[10, 1], [9, 1], [8, 1], [7, 1], [6, 1]];
    const asksBase: Level[] = [[11, 1], [12, 1], [13, 1], [14, 1], [15, 1]];
    // Inserts: above best, between each pair, below worst.
    for (const p of [10.5, 9.5, 8.5, 7.5, 6.5, 5.5]) {
      const book = new L2Book("f", "X", "K");
      book.applySnapshot(snap(base, asksBase));
      expect(book.applyDelta(delta([[p, 2]], [[p + 5, 2]]))).toBe("ok");
      const want = new RefBook();
      for (const [q, s] of base) want.set("bid", q, s);
      for (const [q, s] of asksBase) want.set("ask", q, s);
      want.set("bid", p, 2);
      want.set("ask", p + 5, 2);
      expect(sides(book)).toEqual(want.view());
    }
    // Removes and replaces at each index.
    for (let i = 0; i < base.length; i++) {
      const book = new L2Book("f", "X", "K");
      book.applySnapshot(snap(base, asksBase));
      book.applyDelta(delta([[base[i]![0], 0]], [[asksBase[i]![0], 0]]));
      expect(sides(book).bids).toEqual(base.filter((_, j) => j !== i));
      expect(sides(book).asks).toEqual(asksBase.filter((_, j) => j !== i));
      const other = base[(i + 1) % 5]![0];
      book.applyDelta(delta([[other, 9]], []));
      expect(sides(book).bids.find((l) => l[0] === other)).toEqual([other, 9]);
      expect(book.levels("bid")).toBe(4);
    }
  });

  it("ignores removal of an absent level and empties a side completely", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]]));
    expect(book.applyDelta(delta([[5, 0], [10, 0]], [[11, 0], [12, 0]]))).toBe("ok");
    expect(book.levels("bid")).toBe(0);
    expect(book.levels("ask")).toBe(0);
    expect(book.price("bid", 0)).toBeNaN();
    book.applyDelta(delta([[3, 1]], [[4, 1]]));
    expect(sides(book)).toEqual({ bids: [[3, 1]], asks: [[4, 1]] });
  });

  it("matches a reference book over thousands of random deltas that grow past the initial capacity", () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const book = new L2Book("f", "X", "K", 8);
    const want = new RefBook();
    book.applySnapshot(snap([[100, 1]], [[101, 1]], { seq: 0 }));
    want.set("bid", 100, 1);
    want.set("ask", 101, 1);
    for (let n = 1; n <= 5000; n++) {
      const bids: Level[] = [];
      const asks: Level[] = [];
      for (let k = 0; k < 3; k++) {
        const size = rnd() < 0.3 ? 0 : Math.round(rnd() * 100) / 10;
        const off = Math.floor(rnd() * 300) / 10;
        if (rnd() < 0.5) {
          bids.push([100 - off, size]);
          want.set("bid", 100 - off, size);
        } else {
          asks.push([101 + off, size]);
          want.set("ask", 101 + off, size);
        }
      }
      expect(book.applyDelta(delta(bids, asks, { seq: n }))).toBe("ok");
    }
    expect(sides(book)).toEqual(want.view());
    expect(book.levels("bid")).toBeGreaterThan(50);
  });

  it("refuses deltas after a gap until a fresh snapshot", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 5 }));
    expect(book.applyDelta(delta([[10, 2]], [], { seq: 6, prevSeq: 5 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 3]], [], { seq: 9, prevSeq: 8 }))).toBe("gap");
    expect(book.state).toBe("resyncing");
    expect(book.resyncReason).toBe("gap");
    expect(book.applyDelta(delta([[10, 4]], [], { seq: 7, prevSeq: 6 }))).toBe("resyncing");
    expect(book.size("bid", 0)).toBe(2);
    book.applySnapshot(snap([[10, 5]], [[11, 1]], { seq: 20 }));
    expect(book.state).toBe("live");
    expect(book.applyDelta(delta([[10, 6]], [], { seq: 21, prevSeq: 20 }))).toBe("ok");
    expect(book.size("bid", 0)).toBe(6);
  });

  it("treats a replayed update as a duplicate and accepts keep-alives and sequence resets", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 10 }));
    expect(book.applyDelta(delta([[10, 2]], [], { seq: 15, prevSeq: 10 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 2]], [], { seq: 15, prevSeq: 10 }))).toBe("duplicate");
    expect(book.applyDelta(delta([], [], { seq: 15, prevSeq: 15 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 3]], [], { seq: 3, prevSeq: 15 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 4]], [], { seq: 5, prevSeq: 3 }))).toBe("ok");
    expect(book.state).toBe("live");
    expect(book.size("bid", 0)).toBe(4);
  });

  it("checks seq-only deltas for contiguity", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 5 }));
    expect(book.applyDelta(delta([[10, 9]], [], { seq: 4 }))).toBe("duplicate");
    expect(book.applyDelta(delta([[10, 2]], [], { seq: 6 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 9]], [], { seq: 6 }))).toBe("duplicate");
    expect(book.size("bid", 0)).toBe(2);
    expect(book.applyDelta(delta([[10, 3]], [], { seq: 8 }))).toBe("gap");
  });

  it("sends an out-of-order old update to resync instead of ignoring it forever", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 1 }));
    expect(book.applyDelta(delta([[10, 2]], [], { seq: 2 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 3]], [], { seq: 3 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 9]], [], { seq: 2 }))).toBe("gap");
    const other = new L2Book("f", "X", "K");
    other.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 15 }));
    expect(other.applyDelta(delta([[10, 2]], [], { seq: 16, prevSeq: 15 }))).toBe("ok");
    // A sequence reset (15 → 3) was missed: the next update must not be dropped as old.
    expect(other.applyDelta(delta([[10, 3]], [], { seq: 5, prevSeq: 3 }))).toBe("gap");
  });

  it("bridges a REST snapshot into a buffered stream: drops older updates, accepts the overlapping one", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 100, source: "rest" }));
    expect(book.applyDelta(delta([[10, 7]], [], { seq: 95, prevSeq: 90 }))).toBe("duplicate");
    expect(book.applyDelta(delta([[10, 8]], [], { seq: 100, prevSeq: 95 }))).toBe("duplicate");
    expect(book.size("bid", 0)).toBe(1);
    expect(book.applyDelta(delta([[10, 2]], [], { seq: 104, prevSeq: 100 - 2 }))).toBe("ok");
    expect(book.applyDelta(delta([[10, 3]], [], { seq: 106, prevSeq: 104 }))).toBe("ok");
    // Once bridged, the strict rule applies again.
    expect(book.applyDelta(delta([[10, 4]], [], { seq: 110, prevSeq: 105 }))).toBe("gap");
    const late = new L2Book("f", "X", "K");
    late.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 100 }));
    // The stream already moved past the snapshot: the first update does not reach back to it.
    expect(late.applyDelta(delta([[10, 2]], [], { seq: 110, prevSeq: 105 }))).toBe("gap");
  });

  it("refuses deltas before any snapshot", () => {
    const book = new L2Book("f", "X", "K");
    expect(book.applyDelta(delta([[10, 1]], []))).toBe("no_book");
    expect(book.levels("bid")).toBe(0);
  });

  it("goes to resyncing when the checksum hook reports a mismatch", () => {
    const topSum: ChecksumHook = (b, expected) => b.price("bid", 0) + b.price("ask", 0) === expected;
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]]));
    expect(book.applyDelta(delta([[10.5, 1]], []), topSum, 21.5)).toBe("ok");
    expect(book.applyDelta(delta([[10.6, 1]], []), topSum, 999)).toBe("checksum");
    expect(book.state).toBe("resyncing");
    expect(book.resyncReason).toBe("checksum");
  });

  it("detects its own crossing", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]]));
    expect(book.crossed()).toBe(false);
    book.applyDelta(delta([[11, 1]], []));
    expect(book.crossed()).toBe(true);
  });

  it("keeps its levels when the tick size changes", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[0.5, 10], [0.49, 3]], [[0.51, 4]], { tickSize: 0.01 }));
    book.setTickSize(0.001);
    expect(book.tickSize).toBe(0.001);
    expect(sides(book)).toEqual({ bids: [[0.5, 10], [0.49, 3]], asks: [[0.51, 4]] });
    expect(book.applyDelta(delta([[0.495, 2]], []))).toBe("ok");
    expect(book.price("bid", 1)).toBe(0.495);
  });

  it("goes stale on the watchdog and back to live on an in-sequence update", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1]], [[11, 1]], { seq: 1 }));
    book.markStale();
    expect(book.state).toBe("stale");
    expect(book.applyDelta(delta([[10, 2]], [], { seq: 2, prevSeq: 1 }))).toBe("ok");
    expect(book.state).toBe("live");
  });

  it("replaces the book with one level per side from a top of book", () => {
    const book = new L2Book("f", "X", "K");
    book.applySnapshot(snap([[10, 1], [9, 1]], [[11, 1]], { seq: 3 }));
    book.applyTop({ ...ref, bid: 10.2, ask: null, bidSize: 5, askSize: 0 });
    expect(sides(book)).toEqual({ bids: [[10.2, 5]], asks: [] });
    expect(book.seq).toBeUndefined();
    expect(book.state).toBe("live");
  });
});
