/**
 * One side of an L2 book: price levels in one interleaved Float64Array `[key0, size0, key1, size1, …]`,
 * sorted ascending by key with the BEST level at the END.
 *
 * The key is the price for bids and the negated price for asks, so both sides sort the same way and
 * "better" is always "greater key". Keeping the best level last makes the common case (updates at or
 * near the top) an in-place write or a short `copyWithin` of the few levels above the insertion point;
 * deep inserts and removes shift at most the levels that are better than them. Negation is exact in
 * IEEE arithmetic, so prices round-trip bit for bit.
 *
 * Measured against alternatives in bench/book.bench.ts. No allocation on update except when capacity
 * doubles.
 */
export class BookSideLevels {
  /** Interleaved key/size pairs; only the first `2 × count` entries are meaningful. */
  buf: Float64Array;
  /** Number of levels. */
  count = 0;
  /** +1 for bids (key = price), −1 for asks (key = −price). */
  readonly sign: 1 | -1;

  constructor(sign: 1 | -1, capacity = 8) {
    this.sign = sign;
    this.buf = new Float64Array(Math.max(2, capacity) * 2);
  }

  /** Price of level `i`, 0 = best; NaN when out of range. */
  price(i: number): number {
    if (i < 0 || i >= this.count) return Number.NaN;
    return this.sign * this.buf[(this.count - 1 - i) * 2]!;
  }

  /** Size of level `i`, 0 = best; 0 when out of range. */
  size(i: number): number {
    if (i < 0 || i >= this.count) return 0;
    return this.buf[(this.count - 1 - i) * 2 + 1]!;
  }

  /** Removes every level (keeps the buffer). */
  clear(): void {
    this.count = 0;
  }

  /**
   * Sets the size at `price`: replaces an existing level, inserts a new one, or removes it when
   * `size` is 0. Returns the index from the best (0 = top) that changed, or −1 when nothing changed
   * (removing an absent level).
   */
  set(price: number, size: number): number {
    const key = this.sign * price;
    const buf = this.buf;
    const n = this.count;
    // Fast paths: the top level, or a new best.
    if (n > 0) {
      const topKey = buf[(n - 1) * 2]!;
      if (key === topKey) {
        if (size === 0) this.count = n - 1;
        else buf[(n - 1) * 2 + 1] = size;
        return 0;
      }
      if (key > topKey) {
        if (size === 0) return -1;
        this.#insertAt(n, key, size);
        return 0;
      }
    } else {
      if (size === 0) return -1;
      this.#insertAt(0, key, size);
      return 0;
    }
    // Binary search for the first index whose key ≥ key, in [0, n − 1).
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (buf[mid * 2]! < key) lo = mid + 1;
      else hi = mid;
    }
    if (buf[lo * 2] === key) {
      if (size === 0) {
        buf.copyWithin(lo * 2, lo * 2 + 2, n * 2);
        this.count = n - 1;
      } else {
        buf[lo * 2 + 1] = size;
      }
      return n - 1 - lo;
    }
    if (size === 0) return -1;
    this.#insertAt(lo, key, size);
    return n - lo;
  }

  /**
   * Replaces the whole side from `[price, size]` levels in any order. Zero sizes are skipped; a price
   * given twice keeps its last size.
   */
  load(levels: readonly (readonly [number, number])[]): void {
    const len = levels.length;
    if (this.buf.length < len * 2) this.buf = new Float64Array(capacityFor(len) * 2);
    const buf = this.buf;
    let n = 0;
    let ascending = true;
    let descending = true;
    for (let i = 0; i < len; i++) {
      const level = levels[i]!;
      const size = level[1];
      if (size === 0) continue;
      const key = this.sign * level[0];
      if (n > 0) {
        const prev = buf[(n - 1) * 2]!;
        if (key <= prev) ascending = false;
        if (key >= prev) descending = false;
      }
      buf[n * 2] = key;
      buf[n * 2 + 1] = size;
      n++;
    }
    this.count = n;
    if (ascending) return;
    if (descending) {
      // Best-first input (the usual wire order): reverse the pairs in place.
      for (let i = 0, j = n - 1; i < j; i++, j--) {
        const k = buf[i * 2]!;
        const s = buf[i * 2 + 1]!;
        buf[i * 2] = buf[j * 2]!;
        buf[i * 2 + 1] = buf[j * 2 + 1]!;
        buf[j * 2] = k;
        buf[j * 2 + 1] = s;
      }
      return;
    }
    // Unordered or with duplicates: rebuild level by level (rare: snapshots only).
    this.count = 0;
    for (let i = 0; i < len; i++) {
      const level = levels[i]!;
      this.set(level[0], level[1]);
    }
  }

  #insertAt(i: number, key: number, size: number): void {
    const n = this.count;
    if ((n + 1) * 2 > this.buf.length) {
      const grown = new Float64Array(capacityFor(n + 1) * 2);
      grown.set(this.buf.subarray(0, n * 2));
      this.buf = grown;
    }
    const buf = this.buf;
    if (i < n) buf.copyWithin(i * 2 + 2, i * 2, n * 2);
    buf[i * 2] = key;
    buf[i * 2 + 1] = size;
    this.count = n + 1;
  }
}

function capacityFor(n: number): number {
  let c = 8;
  while (c < n) c *= 2;
  return c;
}
