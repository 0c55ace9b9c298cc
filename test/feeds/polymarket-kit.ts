/**
 * Runs the Polymarket feed in a real Runtime (registry built here, config from TOML text) on a
 * ManualClock against the fake CLOB/Gamma on 127.0.0.1. Timers move only with the clock; network events
 * are real and awaited between clock steps.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { loadConfigSource } from "../../core/config/load.ts";
import type { EventMap, EventName } from "../../core/events.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import type { AnyPlugin } from "../../core/plugin.ts";
import { createRegistry } from "../../core/registry.ts";
import { Runtime } from "../../core/runtime.ts";
import type { PolymarketFeedHandle } from "../../plugins/feeds/polymarket/index.ts";
import { polymarketFeed } from "../../plugins/feeds/polymarket/index.ts";
import { FakeClob, type FakeClobOptions } from "../fakes/polymarket/clob.ts";
import { FakeGamma } from "../fakes/polymarket/gamma.ts";
import type { FakeMarket } from "../fakes/polymarket/model.ts";

export interface PolyKit {
  clock: ManualClock;
  clob: FakeClob;
  gamma: FakeGamma;
  rt: Runtime;
  feed: PolymarketFeedHandle;
  log: MemorySink;
  seen<K extends EventName>(name: K): EventMap[K][];
  /** Advances the clock in steps, letting the network run after each, until `done()` or `maxMs` of clock. */
  drive(done: () => boolean, what: string, maxMs?: number, stepMs?: number): Promise<void>;
  /** Lets the network run without moving the clock. */
  settle(ms?: number): Promise<void>;
  /** True when the feed's book of `token` is live and equals the fake's book. */
  matches(m: FakeMarket, token: string): boolean;
  allLive(tokens: readonly string[]): boolean;
  stop(): Promise<void>;
}

export interface PolyKitOptions extends FakeClobOptions {
  /** Called after the fakes exist and before the feed starts (add markets, Gamma events). */
  readonly prepare?: (clob: FakeClob, gamma: FakeGamma) => void;
  readonly env?: Readonly<Record<string, string>>;
  /** More plugins in the registry (a strategy reading the feed). */
  readonly plugins?: readonly AnyPlugin[];
  /** TOML appended after the feed's table (`[strategies.x]` …). */
  readonly tail?: string;
}

/** Starts the fakes and the feed; `feedToml` returns the lines of `[feeds.pm]` given the fake's urls. */
export async function startPoly(feedToml: (urls: { ws: string; http: string }) => string, o: PolyKitOptions = {}): Promise<PolyKit> {
  const clock = new ManualClock(Date.parse("2026-11-24T08:00:00Z"));
  const clob = new FakeClob({ ...o, clock });
  const gamma = new FakeGamma(clob.venue, () => clock.now());
  o.prepare?.(clob, gamma);
  const source = `[bot]
data_dir = "${mkdtempSync(join(tmpdir(), "edgewatch-poly-")).replaceAll("\\", "/")}"
[feeds.pm]
plugin = "polymarket"
${feedToml({ ws: clob.wsUrl, http: clob.httpUrl })}
${o.tail ?? ""}
`;
  const registry = createRegistry([polymarketFeed, ...(o.plugins ?? [])]);
  const log = new MemorySink();
  const cfg = await loadConfigSource(source, join(import.meta.dir, "poly.toml"), { registry, env: o.env ?? {} });
  const rt = new Runtime(cfg, { clock, log: createLogger({ sink: log, level: "debug" }), schedules: false });
  const events: { name: EventName; payload: unknown }[] = [];
  for (const name of ["market.new", "market.resolved", "market.tick_size", "trade", "feed.status", "opportunity.open"] as const) {
    rt.bus.on(name, (p) => void events.push({ name, payload: p }), "kit");
  }
  await rt.start();
  const feed = rt.instances().get("pm")!.handle as PolymarketFeedHandle;
  const settle = async (ms = 3): Promise<void> => {
    await Bun.sleep(ms);
  };
  return {
    clock,
    clob,
    gamma,
    rt,
    feed,
    log,
    seen: <K extends EventName>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as EventMap[K]),
    settle,
    async drive(done, what, maxMs = 60_000, stepMs = 100) {
      const end = clock.now() + maxMs;
      const wallEnd = Date.now() + 20_000;
      for (;;) {
        await settle(1);
        if (done()) return;
        if (clock.now() >= end || Date.now() > wallEnd) throw new Error(`timed out driving until ${what}`);
        clock.advance(stepMs);
      }
    },
    matches(m, token) {
      const book = rt.store.book("pm", token);
      if (book === undefined || book.state !== "live") return false;
      return JSON.stringify(book.depth(1_000)) === JSON.stringify(m.levels(token));
    },
    allLive(tokens) {
      return tokens.every((t) => rt.store.book("pm", t)?.state === "live");
    },
    async stop() {
      await rt.stop();
      clob.stop();
    },
  };
}

/** Config lines pointing every endpoint at the fakes. */
export function fakeUrls(u: { ws: string; http: string }): string {
  return `ws_url = "${u.ws}"\nrest_url = "${u.http}"\ngamma_url = "${u.http}"`;
}
