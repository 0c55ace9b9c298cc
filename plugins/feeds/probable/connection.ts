/**
 * The Probable feed: REST polling (its socket has no documented wire format). Every `poll_interval_ms`
 * each market's two outcome books are requested back to back, paced to `max_requests_per_s`, and written
 * in one frame, so a market's YES and NO books always come from the same round. A book that misses
 * `stale_after_polls` rounds is marked stale. The feed reports itself `live` with the reason "polled …",
 * so `/health` shows the cadence its freshness is measured against.
 */
import type { BookSnapshot, FeedState } from "../../../core/events.ts";
import type { FeedHandle, FeedStats, PluginContext } from "../../../core/plugin.ts";
import { type ProbableConfig } from "./config.ts";
import { parseProbableBook, parseProbableMarket, type ProbableMarketInfo } from "./parse.ts";

/**
 * Starts the poller and returns its handle.
 *
 * @example
 * setup(ctx) { return startProbableFeed(ctx); }
 */
export function startProbableFeed(ctx: PluginContext<ProbableConfig>): FeedHandle {
  const c = ctx.config;
  const markets = new Map<string, ProbableMarketInfo>();
  const refreshed = new Map<string, number>();
  const counters = { messages: 0, bytes: 0, errors: 0, resyncs: 0, lastAt: Number.NaN };
  const spacingMs = 1000 / c.max_requests_per_s;
  const staleMs = c.poll_interval_ms * c.stale_after_polls;
  const polled = `polled over REST every ${c.poll_interval_ms} ms (no documented socket protocol)`;
  let state: FeedState | undefined;
  let reason = "";
  let nextSlot = 0;
  const w = ctx.writer({
    onResync() {
      counters.resyncs++; // a crossed book: the next round replaces it
    },
  });

  function status(next: FeedState, why: string): void {
    if (next === state && why === reason) return;
    const prev = state;
    state = next;
    reason = why;
    ctx.bus.emit("feed.status", { feed: ctx.id, state: next, ...(prev === undefined ? {} : { prev }), reasons: why === "" ? [] : [why], ts: ctx.clock.now() });
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (ctx.signal.aborted) return resolve();
      const h = ctx.clock.setTimeout(resolve, ms);
      ctx.signal.addEventListener("abort", () => (ctx.clock.clearTimeout(h), resolve()), { once: true });
    });
  }

  async function get(url: string): Promise<unknown> {
    const now = ctx.clock.now();
    const wait = Math.max(0, nextSlot - now);
    nextSlot = Math.max(now, nextSlot) + spacingMs;
    if (wait > 0) await sleep(wait);
    if (ctx.signal.aborted) throw new Error("stopped");
    const res = await ctx.fetch(url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(c.request_timeout_ms)]) });
    const text = await res.text();
    counters.messages++;
    counters.bytes += text.length;
    counters.lastAt = ctx.clock.now();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return JSON.parse(text) as unknown;
  }

  function failed(what: string, key: string, error: unknown): void {
    if (ctx.signal.aborted) return;
    counters.errors++;
    ctx.log.once(`probable:${key}:${String(error).slice(0, 40)}`, "warn", `probable ${what} failed`, { key, error: String(error) });
  }

  async function resolveMarket(id: string): Promise<ProbableMarketInfo | undefined> {
    try {
      const info = parseProbableMarket(await get(`${c.market_api_url.replace(/\/$/, "")}/public/api/v1/markets/${id}`));
      if (typeof info === "string") return failed("market lookup", id, info), undefined;
      markets.set(id, info);
      const now = ctx.clock.now();
      ctx.bus.emit("market.new", {
        feed: ctx.id,
        instrument: info.id,
        key: info.id,
        tsEvent: now,
        tsRecv: now,
        question: info.question,
        ...(info.slug === undefined ? {} : { slug: info.slug }),
        outcomes: info.outcomes,
        instruments: info.tokens,
        meta: {
          venue: "probable",
          feeModel: { kind: "min_side", rate: c.taker_fee_bps / 1e4 },
          polledEveryMs: c.poll_interval_ms,
          ...(info.endDate === undefined ? {} : { endDate: info.endDate }),
          ...(info.conditionId === undefined ? {} : { conditionId: info.conditionId }),
        },
      });
      return info;
    } catch (error) {
      failed("market lookup", id, error);
      return undefined;
    }
  }

  /** One round: both books of every market; true when at least one book answered. */
  async function round(): Promise<boolean> {
    let any = false;
    for (const id of c.markets) {
      if (ctx.signal.aborted) return any;
      const m = markets.get(id) ?? (await resolveMarket(id));
      if (m === undefined) continue;
      const books: BookSnapshot[] = [];
      for (const token of m.tokens) {
        try {
          const raw = await get(`${c.rest_url.replace(/\/$/, "")}/public/api/v1/book?token_id=${encodeURIComponent(token)}`);
          const snap = parseProbableBook(raw, ctx.id, token, token, ctx.clock.now());
          if (typeof snap === "string") failed("book", token, snap);
          else books.push(snap);
        } catch (error) {
          failed("book request", token, error);
        }
      }
      if (ctx.signal.aborted) return any;
      const now = ctx.clock.now();
      for (const b of books) {
        w.snapshot(b);
        refreshed.set(b.instrument, now);
        any = true;
      }
      const old = m.tokens.filter((t) => now - (refreshed.get(t) ?? Number.NEGATIVE_INFINITY) > staleMs);
      if (old.length > 0) w.markStale(old);
      w.endFrame(now);
    }
    return any;
  }

  async function loop(): Promise<void> {
    status("connecting", polled);
    if (c.poll_interval_ms >= ctx.settings.health.heartbeatTimeoutMs) {
      ctx.log.warn("poll_interval_ms is not below [health] heartbeat_timeout_ms: the feed will read as silent between polls", { poll_interval_ms: c.poll_interval_ms, heartbeat_timeout_ms: ctx.settings.health.heartbeatTimeoutMs });
    }
    let lastGood = ctx.clock.now();
    while (!ctx.signal.aborted) {
      const t0 = ctx.clock.now();
      const ok = await round();
      if (ctx.signal.aborted) break;
      const now = ctx.clock.now();
      if (ok) {
        lastGood = now;
        status("live", polled);
      } else if (now - lastGood > staleMs && state === "live") {
        status("stale", `no book answered for ${now - lastGood} ms (${polled})`);
      }
      await sleep(Math.max(0, c.poll_interval_ms - (now - t0)));
    }
  }

  void loop();
  return {
    stop() {
      status("stopped", "");
    },
    stats(): FeedStats {
      return {
        connections: 0,
        messages: counters.messages,
        bytes: counters.bytes,
        errors: counters.errors,
        reconnects: 0,
        resyncs: counters.resyncs,
        lastMessageAgeMs: Number.isNaN(counters.lastAt) ? null : ctx.clock.now() - counters.lastAt,
      };
    },
  };
}
