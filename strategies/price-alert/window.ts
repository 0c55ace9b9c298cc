/**
 * Sliding-window minimum and maximum (monotonic deques): O(1) amortized per sample, so a busy
 * instrument's thousands of updates per window cost no scans.
 */
export class MinMaxWindow {
  #minT: number[] = [];
  #minV: number[] = [];
  #maxT: number[] = [];
  #maxV: number[] = [];
  #minHead = 0;
  #maxHead = 0;

  /** Adds a sample at time `t` (non-decreasing). */
  push(t: number, value: number): void {
    while (this.#minV.length > this.#minHead && this.#minV[this.#minV.length - 1]! >= value) {
      this.#minV.pop();
      this.#minT.pop();
    }
    this.#minV.push(value);
    this.#minT.push(t);
    while (this.#maxV.length > this.#maxHead && this.#maxV[this.#maxV.length - 1]! <= value) {
      this.#maxV.pop();
      this.#maxT.pop();
    }
    this.#maxV.push(value);
    this.#maxT.push(t);
  }

  /** Forgets samples older than `since`. */
  evict(since: number): void {
    while (this.#minHead < this.#minT.length && this.#minT[this.#minHead]! < since) this.#minHead++;
    while (this.#maxHead < this.#maxT.length && this.#maxT[this.#maxHead]! < since) this.#maxHead++;
    if (this.#minHead > 1024 && this.#minHead * 2 > this.#minT.length) {
      this.#minT = this.#minT.slice(this.#minHead);
      this.#minV = this.#minV.slice(this.#minHead);
      this.#minHead = 0;
    }
    if (this.#maxHead > 1024 && this.#maxHead * 2 > this.#maxT.length) {
      this.#maxT = this.#maxT.slice(this.#maxHead);
      this.#maxV = this.#maxV.slice(this.#maxHead);
      this.#maxHead = 0;
    }
  }

  /** Least value in the window, NaN when empty. */
  min(): number {
    return this.#minHead < this.#minV.length ? this.#minV[this.#minHead]! : Number.NaN;
  }

  /** Greatest value in the window, NaN when empty. */
  max(): number {
    return this.#maxHead < this.#maxV.length ? this.#maxV[this.#maxHead]! : Number.NaN;
  }
}
