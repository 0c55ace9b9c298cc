/**
 * Runs the OKX and Hyperliquid feed plugins the way the bot does (registry → config → Runtime) against
 * fake venues on 127.0.0.1. Every timer runs on one ManualClock shared with the fakes; network events are
 * real and awaited between clock steps.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { loadConfigSource } from "../../core/config/load.ts";
import type { Level } from "../../core/events.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import { createRegistry } from "../../core/registry.ts";
import { Runtime } from "../../core/runtime.ts";
import { hyperliquidFeed } from "../../plugins/feeds/hyperliquid/index.ts";
import { okxFeed } from "../../plugins/feeds/okx/index.ts";

export const T0 = 1_700_000_000_000;

export interface Rig {
  readonly clock: ManualClock;
  readonly runtime: Runtime;
  readonly log: MemorySink;
  /** Advances the clock in `stepMs` steps, letting the network run between steps, until `cond` holds. */
  until(cond: () => boolean, what: string, maxClockMs?: number, stepMs?: number): Promise<void>;
  /** Lets the network run (real time) without moving the clock. */
  flush(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The clock every rig and fake of a test shares. */
export function rigClock(): ManualClock {
  return new ManualClock(T0);
}

/** Starts a runtime for `toml` (feeds only, plus whatever the text adds). */
export async function startRig(clock: ManualClock, toml: string): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), "edgewatch-feeds-"));
  const source = `[bot]\nname = "feeds-test"\ndata_dir = "${dataDir.replaceAll("\\", "/")}"\n${toml}`;
  const registry = createRegistry([okxFeed, hyperliquidFeed]);
  const config = await loadConfigSource(source, join(import.meta.dir, "rig.toml"), { registry, env: {} });
  const log = new MemorySink();
  const runtime = new Runtime(config, { clock, log: createLogger({ sink: log, level: "debug" }), schedules: false });
  await runtime.start();
  const flush = (ms = 3): Promise<void> => Bun.sleep(ms);
  return {
    clock,
    runtime,
    log,
    flush,
    async until(cond, what, maxClockMs = 120_000, stepMs = 50) {
      const realEnd = Date.now() + 15_000;
      for (let t = 0; ; t += stepMs) {
        await flush(2);
        if (cond()) return;
        if (t > maxClockMs || Date.now() > realEnd) throw new Error(`timed out waiting for ${what}`);
        clock.advance(stepMs);
      }
    },
    async stop() {
      try {
        await runtime.stop(5_000);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** The store's book of one instrument, best first, `limit` levels a side. */
export function storeDepth(rig: Rig, feed: string, instrument: string, limit = 400): { bids: Level[]; asks: Level[] } | undefined {
  return rig.runtime.store.book(feed, instrument)?.depth(limit);
}

/** Equal books: same prices, sizes equal to 1e-9 relative. */
export function sameDepth(a: { bids: readonly Level[]; asks: readonly Level[] } | undefined, b: { bids: readonly Level[]; asks: readonly Level[] }): boolean {
  if (a === undefined || a.bids.length !== b.bids.length || a.asks.length !== b.asks.length) return false;
  const eq = (x: readonly Level[], y: readonly Level[]): boolean =>
    x.every((l, i) => l[0] === y[i]![0] && Math.abs(l[1] - y[i]![1]) <= 1e-9 * Math.max(1, Math.abs(y[i]![1])));
  return eq(a.bids, b.bids) && eq(a.asks, b.asks);
}

/** The store's quote of an instrument equals the top of `depth` (price and size of both sides). */
export function quoteMatches(rig: Rig, feed: string, instrument: string, depth: { bids: readonly Level[]; asks: readonly Level[] }): boolean {
  const q = rig.runtime.store.quote(feed, instrument);
  if (q === undefined) return false;
  const b = depth.bids[0];
  const a = depth.asks[0];
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
  return (b === undefined ? q.bid === null : q.bid === b[0] && close(q.bidSize, b[1])) && (a === undefined ? q.ask === null : q.ask === a[0] && close(q.askSize, a[1]));
}
