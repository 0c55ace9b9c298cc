import * as v from "valibot";
import { defineFeed } from "../../../core/plugin.ts";
import { FairPath, hash, ladder, prng } from "./walk.ts";

const instrumentSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1), v.description("Instrument id as this demo venue names it.")),
  key: v.optional(v.pipe(v.string(), v.description("Normalized cross-venue key. Default: the id."))),
  start_price: v.pipe(v.number(), v.minValue(0), v.description("Fair price at start.")),
  tick: v.pipe(v.number(), v.minValue(0), v.description("Price increment.")),
});

const configSchema = v.strictObject({
  instruments: v.pipe(v.array(instrumentSchema), v.minLength(1), v.description("Synthetic instruments.")),
  interval_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10), v.description("Time between book updates, ms. Default 250.")), 250),
  levels: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(400), v.description("Levels per side. Default 10.")), 10),
  spread_bps: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Top-of-book spread, bps. Default 2.")), 2),
  vol_bps: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Per-step volatility of the shared fair price, bps. Default 3.")), 3),
  market_seed: v.optional(v.pipe(v.number(), v.integer(), v.description("Seed of the fair-price path; equal on feeds that should agree. Default 1.")), 1),
  seed: v.optional(v.pipe(v.number(), v.integer(), v.description("Seed of this feed's own noise (sizes, dislocation timing). Default: different on every run."))),
  dislocation_every_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Mean time between dislocations of this feed's prices (jittered ±50%, the first within the first half), ms; 0 = never. Default 4000.")),
    4000,
  ),
  dislocation_bps: v.optional(v.pipe(v.number(), v.description("Size of a dislocation, bps (sign = direction). Default 25.")), 25),
  dislocation_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("How long a dislocation lasts, ms. Default 1500.")), 1500),
});

/**
 * A synthetic venue for the offline demo and tests: books that random-walk around a fair price shared
 * by every demo feed with the same `market_seed`, with occasional dislocations that open arbitrage.
 */
export const demoFeed = defineFeed({
  name: "demo",
  description: "Synthetic offline venue (random-walk books with occasional dislocations)",
  config: configSchema,
  setup(ctx) {
    const c = ctx.config;
    const writer = ctx.writer();
    const rand = prng(c.seed ?? (Date.now() ^ hash(ctx.id)));
    const paths = c.instruments.map((i) => new FairPath(c.market_seed ^ hash(i.id), { start: i.start_price, volBps: c.vol_bps }));
    const t0 = ctx.clock.now();
    // Dislocations come at jittered intervals, the first one early so the demo shows a signal soon.
    let nextDislocation = t0 + c.dislocation_every_ms * (0.25 + 0.5 * rand());
    let dislocatedUntil = 0;
    let dislocation = 0;
    let messages = 0;
    let lastAt: number | null = null;

    ctx.bus.emit("feed.status", { feed: ctx.id, state: "live", reasons: [], ts: t0 });

    function tick(): void {
      const now = ctx.clock.now();
      const step = Math.floor((now - t0) / c.interval_ms);
      if (c.dislocation_every_ms > 0 && now >= nextDislocation) {
        dislocation = c.dislocation_bps * (rand() < 0.5 ? -1 : 1);
        dislocatedUntil = now + c.dislocation_ms;
        nextDislocation = dislocatedUntil + c.dislocation_every_ms * (0.5 + rand());
      }
      const shift = now < dislocatedUntil ? dislocation : 0;
      c.instruments.forEach((inst, i) => {
        const fair = paths[i]!.at(step) * (1 + shift / 1e4);
        const { bids, asks } = ladder(fair, c.spread_bps, c.levels, inst.tick, rand);
        writer.snapshot({ feed: ctx.id, instrument: inst.id, key: inst.key ?? inst.id, bids, asks, tsEvent: now, tsRecv: now, tickSize: inst.tick, source: "ws" });
      });
      writer.endFrame(now);
      messages++;
      lastAt = now;
    }

    tick();
    const timer = ctx.clock.setInterval(tick, c.interval_ms);
    return {
      stats: () => ({
        connections: 1,
        messages,
        bytes: 0,
        errors: 0,
        reconnects: 0,
        resyncs: 0,
        lastMessageAgeMs: lastAt === null ? null : ctx.clock.now() - lastAt,
      }),
      stop() {
        ctx.clock.clearInterval(timer);
        ctx.bus.emit("feed.status", { feed: ctx.id, state: "stopped", reasons: ["stopped by the bot"], ts: ctx.clock.now() });
      },
    };
  },
});
