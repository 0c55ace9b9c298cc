/**
 * binary-arb (SIGNALS.md "Binary YES + NO"): buy YES + NO for less than 1, mint-and-sell when the bids
 * sum above 1, and negRisk events (buy every outcome's YES for less than 1). Sized on book depth with the
 * market's fee curve. Markets come from the config (`markets`, `events`) and from the feeds'
 * `market.new` metadata (see meta.ts), so a feed's catalog can supply them.
 */
import { createOpportunityTracker, type Subject } from "../../core/opportunities.ts";
import { defineStrategy } from "../../core/plugin.ts";
import { type FeeModel, curveFee } from "../../core/signals/fees.ts";
import { solveBuyAll, solveSplitSell } from "../../core/signals/kinds.ts";
import { sizeLimits, trackerOptions } from "../../core/signals/knobs.ts";
import type { LegInput } from "../../core/signals/walk.ts";
import type { BookView } from "../../core/market.ts";
import { type BinaryArbConfig, binaryArbConfig } from "./config.ts";
import { type MarketInfo, marketFromNew } from "./meta.ts";

/** One outcome of a negRisk event: its YES token. */
interface Outcome {
  readonly token: string;
  readonly fee: FeeModel | undefined;
  readonly minOrderSize: number;
  readonly other: boolean;
}

interface EventInfo {
  readonly id: string;
  readonly feed: string;
  readonly name: string;
  readonly outcomes: Map<string, Outcome>;
  size: number | undefined;
  augmented: boolean;
}

function configFee(rate: number | undefined, exponent: number | undefined, c: BinaryArbConfig): FeeModel | undefined {
  if (rate !== undefined) return curveFee(rate, exponent ?? c.fee_exponent);
  return c.fee_rate === undefined ? undefined : curveFee(c.fee_rate, c.fee_exponent);
}

/** Buy YES + NO, split-and-sell, and negRisk events on prediction markets. */
export const binaryArb = defineStrategy<BinaryArbConfig>({
  name: "binary-arb",
  description: "YES + NO below 1, bids above 1, and negRisk events below 1, sized on depth after fees",
  config: binaryArbConfig,
  setup(ctx) {
    const c = ctx.config;
    const limits = sizeLimits(c);
    const opps = createOpportunityTracker(ctx, trackerOptions(c));
    const feeds = new Set(c.feeds);
    const markets = new Map<string, MarketInfo>();
    const events = new Map<string, EventInfo>();
    /** `feed\0token` → market ids and event ids that read it. */
    const byToken = new Map<string, { markets: Set<string>; events: Set<string> }>();
    const wanted = c.instruments === undefined ? undefined : new Set(c.instruments);

    function index(feed: string, token: string): { markets: Set<string>; events: Set<string> } {
      const k = `${feed}\u0000${token}`;
      let e = byToken.get(k);
      if (e === undefined) {
        e = { markets: new Set(), events: new Set() };
        byToken.set(k, e);
      }
      return e;
    }

    function addMarket(m: MarketInfo): void {
      markets.set(m.id, m);
      index(m.feed, m.yes).markets.add(m.id);
      index(m.feed, m.no).markets.add(m.id);
      const ev = m.event;
      if (ev === undefined || !c.neg_risk) return;
      let e = events.get(ev.id);
      if (e === undefined) {
        e = { id: ev.id, feed: m.feed, name: ev.id, outcomes: new Map(), size: ev.size, augmented: ev.augmented };
        events.set(ev.id, e);
      }
      e.size ??= ev.size;
      e.augmented ||= ev.augmented;
      e.outcomes.set(m.yes, { token: m.yes, fee: m.fee, minOrderSize: m.minOrderSize, other: ev.other });
      index(m.feed, m.yes).events.add(ev.id);
    }

    for (const m of c.markets) {
      const feed = m.feed ?? c.feeds[0]!;
      addMarket({
        id: m.name ?? `${m.yes}/${m.no}`,
        feed,
        name: m.name ?? `${m.yes}/${m.no}`,
        yes: m.yes,
        no: m.no,
        fee: configFee(m.fee_rate, m.fee_exponent, c),
        minOrderSize: m.min_order_size ?? 0,
      });
    }
    if (c.neg_risk) {
      for (const e of c.events) {
        const feed = e.feed ?? c.feeds[0]!;
        const fee = configFee(e.fee_rate, e.fee_exponent, c);
        const outcomes = new Map(e.yes.map((token) => [token, { token, fee, minOrderSize: e.min_order_size ?? 0, other: false }]));
        events.set(e.name, { id: e.name, feed, name: e.name, outcomes, size: e.yes.length, augmented: false });
        for (const token of e.yes) index(feed, token).events.add(e.name);
      }
    }

    function leg(book: BookView, side: "buy" | "sell", fee: FeeModel, minOrderSize: number): LegInput {
      return { book, side, fee, minOrderSize };
    }

    function evaluateMarket(m: MarketInfo): void {
      const y = ctx.store.book(m.feed, m.yes);
      const n = ctx.store.book(m.feed, m.no);
      const ref = (side: "buy" | "sell"): Subject => ({
        kind: side === "buy" ? "buy_both" : "split_sell",
        legs: [
          { feed: m.feed, instrument: m.yes, side },
          { feed: m.feed, instrument: m.no, side },
        ],
      });
      if (m.fee === undefined) {
        // Skipped as a market: counted once, whichever direction would have signalled.
        opps.suppress(ref("buy"), "fee_unknown");
        return;
      }
      const fee = m.fee;
      const sides = c.split_and_sell ? (["buy", "sell"] as const) : (["buy"] as const);
      for (const side of sides) {
        const subject = ref(side);
        if (y === undefined || n === undefined) {
          opps.evaluate(subject, { ok: false, reason: "no_book" });
          continue;
        }
        const legs = [leg(y, side, fee, m.minOrderSize), leg(n, side, fee, m.minOrderSize)];
        const result = side === "buy" ? solveBuyAll(legs, limits) : solveSplitSell(legs, limits);
        const details = result.ok
          ? { market: m.name, shares: result.signal.size, grossBps: result.signal.grossBps, feesUsd: result.signal.feesUsd, binding: result.signal.binding }
          : undefined;
        opps.evaluate(subject, result, details === undefined ? undefined : { details });
      }
    }

    function evaluateEvent(e: EventInfo): void {
      const outcomes = [...e.outcomes.values()];
      if (e.augmented || outcomes.some((o) => o.other)) {
        ctx.log.once(`augmented:${e.id}`, "info", "skipping augmented negRisk event: its outcomes are not exhaustive, so buying every YES guarantees no payout", { event: e.id });
        return;
      }
      const subject: Subject = { kind: "negrisk", legs: outcomes.map((o) => ({ feed: e.feed, instrument: o.token, side: "buy" as const })) };
      const legs: LegInput[] = [];
      let missing = e.size === undefined || outcomes.length < e.size;
      for (const o of outcomes) {
        const book = ctx.store.book(e.feed, o.token);
        if (book === undefined) missing = true;
        else if (o.fee === undefined) return opps.suppress(subject, "fee_unknown");
        else legs.push(leg(book, "buy", o.fee, o.minOrderSize));
      }
      const result = solveBuyAll(legs, limits);
      if (missing) {
        // A missing long shot makes the sum look like an edge: only such a would-be signal counts.
        if (result.ok) opps.suppress(subject, "incomplete_event");
        else opps.evaluate(subject, { ok: false, reason: "no_book" });
        return;
      }
      const details = result.ok
        ? { event: e.name, outcomes: outcomes.length, shares: result.signal.size, grossBps: result.signal.grossBps, feesUsd: result.signal.feesUsd, binding: result.signal.binding }
        : undefined;
      opps.evaluate(subject, result, details === undefined ? undefined : { details });
    }

    ctx.bus.on("market.new", (m) => {
      if (!c.discover || !feeds.has(m.feed)) return;
      const info = marketFromNew(m, configFee(undefined, undefined, c));
      if (info === undefined || markets.has(info.id)) return;
      if (wanted !== undefined && !wanted.has(info.id) && !wanted.has(info.yes) && !wanted.has(info.no)) return;
      addMarket(info);
    });

    ctx.bus.on("market.resolved", (r) => {
      const m = markets.get(r.instrument);
      if (m === undefined || m.feed !== r.feed) return;
      for (const side of ["buy", "sell"] as const) {
        opps.evaluate({ kind: side === "buy" ? "buy_both" : "split_sell", legs: [{ feed: m.feed, instrument: m.yes, side }, { feed: m.feed, instrument: m.no, side }] }, { ok: false, reason: "resolved" });
      }
      markets.delete(m.id);
      index(m.feed, m.yes).markets.delete(m.id);
      index(m.feed, m.no).markets.delete(m.id);
    });

    ctx.bus.on("frame.end", (f) => {
      if (!feeds.has(f.feed)) return;
      const ms = new Set<string>();
      const es = new Set<string>();
      for (const inst of f.instruments) {
        const hit = byToken.get(`${f.feed}\u0000${inst}`);
        if (hit === undefined) continue;
        for (const id of hit.markets) ms.add(id);
        for (const id of hit.events) es.add(id);
      }
      for (const id of ms) evaluateMarket(markets.get(id)!);
      for (const id of es) evaluateEvent(events.get(id)!);
    });

    return {};
  },
});
