import { describe, expect, it } from "bun:test";
import type { Level } from "../events.ts";
import { L2Book } from "./book.ts";
import { Fill, walkBook } from "./walk.ts";

function book(bids: Level[], asks: Level[]): L2Book {
  const b = new L2Book("f", "X", "K");
  b.applySnapshot({ feed: "f", instrument: "X", key: "K", tsEvent: 0, tsRecv: 0, bids, asks });
  return b;
}

function close(got: number, want: number): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
}

describe("walkBook", () => {
  const b = book([[99, 1], [98, 2], [97, 3]], [[100, 1], [101, 2], [103, 3]]);

  it("buys a base size across levels with a partial last level", () => {
    const f = walkBook(b, "buy", 2.5, "base");
    // 1 @ 100 + 1.5 @ 101 = 251.5
    close(f.filled, 2.5);
    close(f.notional, 251.5);
    close(f.vwap, 251.5 / 2.5);
    expect(f.worstPrice).toBe(101);
    expect(f.levels).toBe(2);
    expect(f.complete).toBe(true);
  });

  it("sells a base size into the bids", () => {
    const f = walkBook(b, "sell", 4, "base");
    // 1 @ 99 + 2 @ 98 + 1 @ 97 = 392
    close(f.notional, 392);
    close(f.vwap, 98);
    expect(f.worstPrice).toBe(97);
  });

  it("buys a USD amount, solving the fraction inside the last level", () => {
    const f = walkBook(b, "buy", 250, "quote");
    // 100 (1 @ 100) + 150 of 202 at 101 → 150/101 base
    close(f.notional, 250);
    close(f.filled, 1 + 150 / 101);
    close(f.vwap, 250 / (1 + 150 / 101));
    expect(f.worstPrice).toBe(101);
    expect(f.complete).toBe(true);
  });

  it("stops at the depth of the side and says it is incomplete", () => {
    const f = walkBook(b, "buy", 10, "base");
    close(f.filled, 6);
    close(f.notional, 100 + 202 + 309);
    expect(f.worstPrice).toBe(103);
    expect(f.complete).toBe(false);
    const g = walkBook(b, "sell", 1e6, "quote");
    close(g.notional, 99 + 196 + 291);
    expect(g.complete).toBe(false);
  });

  it("reports nothing filled on an empty side", () => {
    const empty = book([[1, 1]], []);
    const f = walkBook(empty, "buy", 5, "base");
    expect(f.filled).toBe(0);
    expect(f.notional).toBe(0);
    expect(f.vwap).toBeNaN();
    expect(f.worstPrice).toBeNaN();
    expect(f.complete).toBe(false);
  });

  it("ignores zero-size levels, which never enter the book", () => {
    const z = book([], [[0.4, 0], [0.5, 10], [0.6, 0], [0.7, 10]]);
    const f = walkBook(z, "buy", 15, "base");
    close(f.notional, 5 + 3.5);
    expect(f.worstPrice).toBe(0.7);
    expect(f.levels).toBe(2);
  });

  it("ignores a zero-size level served by another BookView", () => {
    const prices = [0.4, 0.5, 0.7];
    const sizes = [0, 10, 10];
    const view = {
      ...book([], []),
      levels: () => 3,
      price: (_s: string, i: number) => prices[i]!,
      size: (_s: string, i: number) => sizes[i]!,
    } as unknown as L2Book;
    const f = walkBook(view, "buy", 12, "base");
    close(f.notional, 5 + 1.4);
    expect(f.worstPrice).toBe(0.7);
    expect(f.levels).toBe(2);
  });

  it("reuses the output object", () => {
    const out = new Fill();
    const f = walkBook(b, "buy", 1, "base", out);
    expect(f).toBe(out);
    walkBook(b, "sell", 1, "base", out);
    expect(out.vwap).toBe(99);
  });

  it("treats a zero amount as complete with nothing filled", () => {
    const f = walkBook(b, "buy", 0, "base");
    expect(f.filled).toBe(0);
    expect(f.complete).toBe(true);
    expect(f.worstPrice).toBeNaN();
  });
});
