// Signal math and the opportunity path: exact q* per kind on real-shaped books (solves per second), and
// frame → evaluate → tracker through the real store, bus and tracker (frames per second, per strategy).
import type { Level } from "../core/events.ts";
import { bpsFee, curveFee } from "../core/signals/fees.ts";
import { solveBuyAll, solveSplitSell, solveTwoVenue } from "../core/signals/kinds.ts";
import { levelBook } from "../core/signals/level-book.ts";
import { testStrategy } from "../core/testing.ts";
import { perpSpread } from "../strategies/perp-spread/index.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";

function ladder(start: number, step: number, n: number, size: number): Level[] {
  return Array.from({ length: n }, (_, i) => [start + i * step, size * (1 + (i % 3))] as const);
}

const fee = curveFee(0.04, 1);
const yes = levelBook({ bids: [], asks: ladder(0.4, 0.01, 50, 100) });
const no = levelBook({ bids: [], asks: ladder(0.5, 0.01, 50, 120) });
const binary = [
  { book: yes, side: "buy" as const, fee },
  { book: no, side: "buy" as const, fee },
];
const negRisk = Array.from({ length: 20 }, (_, i) => ({
  book: levelBook({ bids: [], asks: ladder(0.04 + (i % 4) * 0.001, 0.002, 50, 200) }),
  side: "buy" as const,
  fee,
}));
const split = [
  { book: levelBook({ bids: ladder(0.62, -0.01, 50, 100), asks: [] }), side: "sell" as const, fee },
  { book: levelBook({ bids: ladder(0.45, -0.01, 50, 100), asks: [] }), side: "sell" as const, fee },
];
const perpBuy = { book: levelBook({ bids: [], asks: ladder(60_000, 0.5, 400, 0.2) }), side: "buy" as const, fee: bpsFee(5) };
const perpSell = { book: levelBook({ bids: ladder(60_100, -0.5, 400, 0.2), asks: [] }), side: "sell" as const, fee: bpsFee(4.5) };

const N = 20_000;
const rows: string[][] = [];
const cases: [string, string, () => unknown][] = [
  ["binary YES+NO", "2 × 50", () => solveBuyAll(binary, { minEdgeBps: 10 })],
  ["negRisk event", "20 × 50", () => solveBuyAll(negRisk, { minEdgeBps: 10 })],
  ["split and sell", "2 × 50", () => solveSplitSell(split, { minEdgeBps: 10 })],
  ["perp two venues", "2 × 400", () => solveTwoVenue(perpBuy, perpSell, { minEdgeBps: 2 })],
  ["perp, size_usd cap", "2 × 400", () => solveTwoVenue(perpBuy, perpSell, { minEdgeBps: 2, sizeUsd: 50_000 })],
];
for (const [name, shape, fn] of cases) {
  const r = fn() as { ok: boolean; signal?: { binding: string } };
  const rates = opsPerSecond(5, N, () => {
    for (let i = 0; i < N; i++) fn();
  });
  const m = median(rates);
  rows.push([name, shape, r.ok ? r.signal!.binding : "none", fmtRate(m), `${(1e6 / m).toFixed(2)} µs`]);
}
console.log("## q* solvers (exact, all legs walked together)\n");
console.log(table(["kind", "legs × levels", "binds on", "solves", "per solve"], rows));

// Through the real path: a snapshot frame on feed b → store → frame.end → perp-spread (both directions) →
// tracker (gating, update rule).
const frameRates: number[] = [];
for (let run = 0; run < 5; run++) {
  const h = await testStrategy(perpSpread, { feeds: ["a", "b"], taker_fee_bps: { a: 5, b: 4.5 }, min_edge_bps: 2 }, { live: ["a", "b"] });
  h.book("a", "X", { bids: ladder(59_999.5, -0.5, 50, 0.2), asks: ladder(60_000, 0.5, 50, 0.2) }, { key: "BTC-USDT-PERP" });
  const books = Array.from({ length: 16 }, (_, k) => ({ bids: ladder(60_100 + k, -0.5, 50, 0.2), asks: ladder(60_100.5 + k, 0.5, 50, 0.2) }));
  const F = 20_000;
  const t0 = Bun.nanoseconds();
  for (let i = 0; i < F; i++) h.book("b", "X", books[i % 16]!, { key: "BTC-USDT-PERP" });
  frameRates.push((F * 1e9) / (Bun.nanoseconds() - t0));
  if (h.opened.length !== 1) throw new Error("the bench books should hold one open opportunity");
  await h.stop();
}
const fm = median(frameRates);
console.log("\n## frame → perp-spread → tracker (real store and bus, 50-level books, both directions)\n");
console.log(table(["frames", "per frame"], [[fmtRate(fm), `${(1e6 / fm).toFixed(2)} µs`]]));
