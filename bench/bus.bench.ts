// Bus emits/s with 1 and 10 listeners (issue: goal ≥ 20M/s with one listener on this machine).
import { Bus } from "../core/bus.ts";
import type { Trade } from "../core/events.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";

const trade: Trade = { feed: "f", instrument: "X", key: "X", tsEvent: 1, tsRecv: 2, price: 1, size: 1, side: "buy" };
const N = 5_000_000;
const rows: string[][] = [];
for (const listeners of [1, 10]) {
  const bus = new Bus();
  let sink = 0;
  for (let i = 0; i < listeners; i++) bus.on("trade", (t) => (sink += t.size));
  const rates = opsPerSecond(7, N, () => {
    for (let i = 0; i < N; i++) bus.emit("trade", trade);
  });
  if (sink === 0) throw new Error("listeners did not run");
  rows.push([`${listeners}`, fmtRate(median(rates)), fmtRate(Math.min(...rates)), fmtRate(Math.max(...rates))]);
}
console.log("### Bus\n");
console.log(table(["listeners", "emits/s (median of 7)", "min", "max"], rows));
