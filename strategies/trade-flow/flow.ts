/** Taker buy and sell notional over a sliding time window (a queue with running sums). */
export class FlowWindow {
  #t: number[] = [];
  #n: number[] = [];
  #head = 0;
  buy = 0;
  sell = 0;

  /** Adds a trade's notional; `sign` +1 for a taker buy, −1 for a taker sell. */
  push(t: number, notional: number, sign: 1 | -1): void {
    this.#t.push(t);
    this.#n.push(sign * notional);
    if (sign > 0) this.buy += notional;
    else this.sell += notional;
  }

  /** Forgets trades older than `since`. */
  evict(since: number): void {
    while (this.#head < this.#t.length && this.#t[this.#head]! < since) {
      const n = this.#n[this.#head++]!;
      if (n > 0) this.buy -= n;
      else this.sell += n;
    }
    if (this.#head === this.#t.length) {
      // Empty: reset exactly, so rounding in the running sums never accumulates.
      this.#t = [];
      this.#n = [];
      this.#head = 0;
      this.buy = 0;
      this.sell = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#t.length) {
      this.#t = this.#t.slice(this.#head);
      this.#n = this.#n.slice(this.#head);
      this.#head = 0;
    }
  }

  /** `(buy − sell) / (buy + sell)`, 0 when empty. */
  imbalance(): number {
    const total = this.buy + this.sell;
    return total > 0 ? (this.buy - this.sell) / total : 0;
  }
}
