/**
 * The fake Polymarket CLOB + Gamma (test/fakes/polymarket) with 5,000 binary markets = 10,000 assets, in
 * its own process so the client's RSS is the client's alone: `bun bench/lib/clob-server.ts` prints
 * `{"wsUrl":…,"httpUrl":…}` when ready.
 */
import { systemClock } from "../../core/clock.ts";
import { FakeClob } from "../../test/fakes/polymarket/clob.ts";
import { FakeGamma } from "../../test/fakes/polymarket/gamma.ts";

const markets = Number(process.argv[2] ?? 5_000);
const clob = new FakeClob({ clock: systemClock, burstLimit: 1_000 });
const gamma = new FakeGamma(clob.venue, () => Date.now());
for (let i = 0; i < markets; i++) {
  const market = clob.addMarket();
  market.seed(0.5, 5);
  gamma.add({ id: String(i), markets: [{ market }] });
}
console.log(JSON.stringify({ wsUrl: clob.wsUrl, httpUrl: clob.httpUrl }));
