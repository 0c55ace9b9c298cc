// Cross-platform prediction markets: the matcher on a fake catalog of 500 markets per venue (three venues),
// Kalshi frames parsed and kept as YES/NO books (deltas per second), Predict.fun whole-book pushes parsed
// into both books, and one cross-platform evaluation (two legs, two fee models) per second.
import { proposePairs } from "../core/equivalence/match.ts";
import type { Level } from "../core/events.ts";
import { curveFee, minSideFee } from "../core/signals/fees.ts";
import { solveBuyAll } from "../core/signals/kinds.ts";
import { levelBook } from "../core/signals/level-book.ts";
import { KalshiBookState, kalshiDeltas } from "../plugins/feeds/kalshi/book-state.ts";
import { parseKalshiFrame } from "../plugins/feeds/kalshi/parse.ts";
import { parsePredictFrame, predictBooks } from "../plugins/feeds/predictfun/parse.ts";
import { fakeCatalog } from "../test/equivalence/fake-catalog.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";

const rows: string[][] = [];

// the matcher: wall time of one full proposal run
const catalog = fakeCatalog({ perVenue: 500, shared: 60, pairs: 150 });
const times: number[] = [];
let found = 0;
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  found = proposePairs(catalog).length;
  times.push(performance.now() - t0);
}
rows.push(["matcher: 3 × 500 markets", `${median(times).toFixed(0)} ms per run`, `${found} pairs`]);

// Kalshi: parse + signed delta → absolute levels of both books
const ticker = "KXBTC-26DEC31-T100000";
const frames: string[] = [];
for (let i = 0; i < 10_000; i++) {
  const side = i % 2 === 0 ? "yes" : "no";
  const price = (3000 + 100 * (i % 15)) / 10_000;
  frames.push(JSON.stringify({ type: "orderbook_delta", sid: 2, seq: i + 2, msg: { market_ticker: ticker, price_dollars: price.toFixed(4), delta_fp: "10.00", side, ts_ms: 1_700_000_000_000 + i } }));
}
const state = new KalshiBookState();
state.snapshot([{ price: 3000, count: 1e8 }], [{ price: 3500, count: 1e8 }]);
const kalshiRate = median(
  opsPerSecond(5, frames.length, () => {
    for (const frame of frames) {
      for (const ev of parseKalshiFrame(frame)) {
        if (ev.kind !== "delta") continue;
        const books = state.apply(ev.side, ev.price, ev.delta);
        if (books !== "negative") kalshiDeltas({ feed: "ks", ticker, tsEvent: 0, tsRecv: 0, seq: ev.seq }, books);
      }
    }
  }),
);
rows.push(["kalshi delta: parse + counts + 2 books", fmtRate(kalshiRate), "1 level per delta"]);

// Predict.fun: a whole book of 20 + 20 levels → YES and NO snapshots
const levels = (start: number, step: number): [number, number][] => Array.from({ length: 20 }, (_, i) => [Math.round((start + i * step) * 100) / 100, 100 + i]);
const push = JSON.stringify({ type: "M", topic: "predictOrderbook/123", data: { marketId: 123, updateTimestampMs: 1, asks: levels(0.51, 0.01), bids: levels(0.49, -0.01) } });
const predictRate = median(
  opsPerSecond(5, 20_000, () => {
    for (let i = 0; i < 20_000; i++) for (const ev of parsePredictFrame(push)) if (ev.kind === "book") predictBooks("pf", ev.market, ev.book, 2, 1, "ws");
  }),
);
rows.push(["predictfun push: parse + YES/NO books", fmtRate(predictRate), "20 + 20 levels"]);

// one cross-platform evaluation: two legs, curve and min_side fees, 50 levels each
const ladder = (start: number, n: number): Level[] => Array.from({ length: n }, (_, i) => [start + i * 0.005, 50 + (i % 5) * 20] as const);
const legs = [
  { book: levelBook({ bids: [], asks: ladder(0.4, 50) }), side: "buy" as const, fee: curveFee(0.07, 1) },
  { book: levelBook({ bids: [], asks: ladder(0.5, 50) }), side: "buy" as const, fee: minSideFee(0.02) },
];
const solveRate = median(
  opsPerSecond(5, 20_000, () => {
    for (let i = 0; i < 20_000; i++) solveBuyAll(legs, { minEdgeBps: 10, sizeUsd: 5_000 });
  }),
);
rows.push(["cross-platform solve (2 × 50 levels)", fmtRate(solveRate), "curve + min_side fees"]);

console.log(table(["case", "median", "note"], rows));
