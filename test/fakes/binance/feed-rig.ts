/**
 * Runs one perp feed plugin (Paradex, Binance, Bybit) in a real `Runtime` on a ManualClock against its
 * fake venue on 127.0.0.1: real sockets and REST, timers only when the test advances the clock. Shared by
 * test/feeds/{paradex,binance,bybit}.test.ts.
 */
import { join } from "node:path";
import { ManualClock } from "../../../core/clock.ts";
import { loadConfigSource } from "../../../core/config/load.ts";
import type { Level } from "../../../core/events.ts";
import { createLogger, MemorySink } from "../../../core/log.ts";
import type { BookView } from "../../../core/market.ts";
import type { AnyPlugin, FeedRow } from "../../../core/plugin.ts";
import { createRegistry } from "../../../core/registry.ts";
import { Runtime } from "../../../core/runtime.ts";
import { waitFor } from "../fake-venue.ts";
import { bookText, type TruthHistory } from "./book-truth.ts";

export interface FeedRig {
  readonly rt: Runtime;
  readonly clock: ManualClock;
  readonly log: MemorySink;
  readonly feed: string;
  /** The store's book of `instrument`, best first, at most `depth` levels per side. */
  depth(instrument: string, depth?: number): { bids: Level[]; asks: Level[] } | undefined;
  book(instrument: string): BookView | undefined;
  /** `store.fresh(...).ok`. */
  fresh(instrument: string): boolean;
  row(): FeedRow;
  /** Waits (real time, network) until `cond` holds. */
  until(cond: () => boolean, what: string, ms?: number): Promise<void>;
  /** Waits until `cond` holds, nudging the clock by `stepMs` between polls (zero-delay timers, handshakes). */
  settle(cond: () => boolean, what: string, stepMs?: number, ms?: number): Promise<void>;
  /** Advances the clock in steps, letting the network run between them. */
  run(totalMs: number, stepMs?: number): Promise<void>;
  /** Log lines (JSON) containing `text`. */
  logged(text: string): string[];
  stop(): Promise<void>;
}

/**
 * Starts `plugin` as `[feeds.<feed>]` with the TOML body `table`.
 *
 * @example
 * const rig = await startFeedRig(binanceFeed, "binance", `ws_url = "${fake.url}"\ninstruments = ["BTCUSDT"]`);
 */
export async function startFeedRig(
  plugins: readonly AnyPlugin[],
  feed: string,
  tables: string,
  env: Record<string, string> = {},
  clock: ManualClock = new ManualClock(1_700_000_000_000),
): Promise<FeedRig> {
  const log = new MemorySink();
  const dataDir = join(import.meta.dir, "..", "..", "output", `perp-${feed}`).replaceAll("\\", "/");
  const source = `[bot]\nname = "perp-test"\ndata_dir = "${dataDir}"\nlog_format = "json"\n\n${tables}\n`;
  const config = await loadConfigSource(source, join(import.meta.dir, "perp.toml"), { registry: createRegistry(plugins), env });
  const rt = new Runtime(config, { clock, log: createLogger({ sink: log, level: "debug", format: "json" }), schedules: false });
  await rt.start();
  const rig: FeedRig = {
    rt,
    clock,
    log,
    feed,
    depth: (instrument, depth = 1000) => rt.store.book(feed, instrument)?.depth(depth),
    book: (instrument) => rt.store.book(feed, instrument),
    fresh: (instrument) => rt.store.fresh(feed, instrument).ok,
    row: () => rt.view.feeds().find((r) => r.id === feed)!,
    until: (cond, what, ms = 5_000) => waitFor(cond, what, ms),
    async settle(cond, what, stepMs = 5, ms = 5_000) {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        clock.advance(stepMs);
        await Bun.sleep(2);
      }
    },
    async run(totalMs, stepMs = 250) {
      for (let t = 0; t < totalMs; t += stepMs) {
        clock.advance(Math.min(stepMs, totalMs - t));
        await Bun.sleep(1);
      }
    },
    logged: (text) => log.lines.filter((l) => l.includes(text)),
    async stop() {
      await rt.stop();
    },
  };
  return rig;
}

export { levelsText } from "./book-truth.ts";

/** What `watchFreshness` saw: books judged at `frame.end`, and the fresh ones that differed from the venue. */
export interface FreshnessWatch {
  checked: number;
  wrong: string[];
}

/**
 * At every `frame.end`, each listed instrument the store calls fresh must equal the venue's book at the
 * book's own seq (never fresh while wrong: a strategy evaluating there would trade on a bad book).
 */
export function watchFreshness(rig: FeedRig, history: TruthHistory, instruments: readonly string[], depth = Number.POSITIVE_INFINITY): FreshnessWatch {
  const w: FreshnessWatch = { checked: 0, wrong: [] };
  rig.rt.bus.on("frame.end", (f) => {
    if (f.feed !== rig.feed) return;
    for (const inst of f.instruments) {
      if (!instruments.includes(inst) || !rig.rt.store.fresh(rig.feed, inst).ok) continue;
      const book = rig.rt.store.book(rig.feed, inst)!;
      const d = book.depth(depth);
      const want = history.at(inst, book.seq ?? -1);
      w.checked++;
      if (want !== bookText(d.bids, d.asks)) w.wrong.push(`${inst}@${book.seq}`);
    }
  });
  return w;
}
