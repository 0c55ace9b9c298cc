/**
 * perp-spread (SIGNALS.md "Cross-venue perps"): for the same instrument key on two feeds, buy on one's
 * asks and sell on the other's bids, both directions, net of both legs' taker fees, sized on depth.
 * Quote currencies pair only through `quote_rates`; figures are in the buy leg's quote currency.
 * Funding is shown beside the edge (each leg's rate and the annualized difference), never folded in.
 */
import type { Funding } from "../../core/events.ts";
import { parseInstrumentKey, QuoteRates } from "../../core/instruments.ts";
import type { BookView } from "../../core/market.ts";
import type { Subject } from "../../core/signals/subject.ts";
import { createOpportunityTracker } from "../../core/opportunities.ts";
import { defineStrategy } from "../../core/plugin.ts";
import { type BpsFee, bpsFee, feePerUnit } from "../../core/signals/fees.ts";
import { usableLevel } from "../../core/signals/walk.ts";
import { solveTwoVenue } from "../../core/signals/kinds.ts";
import { instrumentFilter, sizeLimits, trackerOptions } from "../../core/signals/knobs.ts";
import { type PerpSpreadConfig, perpSpreadConfig } from "./config.ts";

const YEAR_MS = 365 * 24 * 3_600_000;
const NO_EDGE = { ok: false, reason: "no_edge" } as const;

/** The market a key names apart from its quote currency, and that currency. */
export function marketOf(key: string): { group: string; quote: string | undefined } {
  const p = parseInstrumentKey(key);
  if (p === undefined) return { group: key, quote: undefined };
  return { group: [p.base, p.kind, ...p.extra].join("-"), quote: p.quote };
}

/** Funding per year from a rate per interval. */
export function annualize(rate: number, intervalMs: number): number {
  return (rate * YEAR_MS) / intervalMs;
}

/** Cross-venue perp spreads, both directions, ranked by profit, funding beside. */
export const perpSpread = defineStrategy<PerpSpreadConfig>({
  name: "perp-spread",
  description: "Buy on one venue, sell on another: net bps after both taker fees, sized on depth, funding beside",
  config: perpSpreadConfig,
  setup(ctx) {
    const c = ctx.config;
    const limits = sizeLimits(c);
    const opps = createOpportunityTracker(ctx, trackerOptions(c));
    const rates = new QuoteRates(c.quote_rates, ctx.store);
    const feeds = new Set(c.feeds);
    const wants = instrumentFilter(c.instruments);
    /** group → members by `feed\0instrument`. */
    const groups = new Map<string, Map<string, { feed: string; instrument: string }>>();
    const funding = new Map<string, Funding>();
    // Parsed once per key and one subject object per ordered pair: this runs on every frame of every book.
    const markets = new Map<string, { group: string; quote: string | undefined }>();
    const subjects = new WeakMap<BookView, WeakMap<BookView, Subject>>();

    function market(key: string): { group: string; quote: string | undefined } {
      let m = markets.get(key);
      if (m === undefined) {
        m = marketOf(key);
        markets.set(key, m);
      }
      return m;
    }

    function subjectFor(buy: BookView, sell: BookView): Subject {
      let bySell = subjects.get(buy);
      if (bySell === undefined) {
        bySell = new WeakMap();
        subjects.set(buy, bySell);
      }
      let s = bySell.get(sell);
      if (s === undefined) {
        s = {
          kind: "perp_spread",
          legs: [
            { feed: buy.feed, instrument: buy.instrument, side: "buy" as const },
            { feed: sell.feed, instrument: sell.instrument, side: "sell" as const },
          ],
        };
        bySell.set(sell, s);
      }
      return s;
    }

    function fundingBeside(buy: BookView, sell: BookView): Record<string, number> {
      const fb = funding.get(`${buy.feed}\u0000${buy.instrument}`);
      const fs = funding.get(`${sell.feed}\u0000${sell.instrument}`);
      if (fb === undefined || fs === undefined) return {};
      const ab = annualize(fb.rate, fb.intervalMs ?? c.funding_interval_ms);
      const as = annualize(fs.rate, fs.intervalMs ?? c.funding_interval_ms);
      // Long the buy leg pays its funding, short the sell leg receives its own.
      return { fundingBuy: fb.rate, fundingSell: fs.rate, fundingAnnualizedDiff: as - ab };
    }

    const fees = new Map<string, BpsFee>();
    /** The taker fee of a feed: the strategy's entry, else the feed's own `taker_fee_bps`, else unknown. */
    function feeOf(feed: string): BpsFee | undefined {
      let f = fees.get(feed);
      if (f === undefined) {
        const bps = c.taker_fee_bps[feed] ?? ctx.view.feedInfo?.(feed)?.takerFeeBps;
        if (bps === undefined) {
          ctx.log.once(`fee:${feed}`, "warn", "no taker fee known for a feed: its pairs give no signal (fee_unknown); set taker_fee_bps on the feed or in this strategy", { feed });
          return undefined;
        }
        f = bpsFee(bps);
        fees.set(feed, f);
      }
      return f;
    }

    /**
     * The solver's first step, done before allocating anything: when even the best ask and the best bid
     * give no edge after fees, no size does (deeper levels are only worse), and the solver would answer
     * `no_edge`. Most frames end here. Unusable tops fall through to the solver.
     */
    function topHasNoEdge(buy: BookView, sell: BookView, buyFee: BpsFee, sellFee: BpsFee, rate: number): boolean {
      if (buy.levels("ask") === 0 || sell.levels("bid") === 0) return false;
      const pb = buy.price("ask", 0);
      const ps = sell.price("bid", 0);
      if (!usableLevel(pb, buy.size("ask", 0)) || !usableLevel(ps, sell.size("bid", 0))) return false;
      const netBuy = pb + feePerUnit(buyFee, pb);
      const netSell = rate * ps - rate * feePerUnit(sellFee, ps);
      // margin far above the solver's 1e-13 tolerance: anything near the threshold goes to the solver
      return netSell - netBuy - (limits.minEdgeBps / 1e4) * pb < -1e-9 * pb;
    }

    function evaluate(buy: BookView, sell: BookView): void {
      const subject = subjectFor(buy, sell);
      const qb = market(buy.key).quote;
      const qs = market(sell.key).quote;
      const rate = qb === qs ? 1 : qb === undefined || qs === undefined ? undefined : rates.rate(qs, qb);
      if (rate === undefined) {
        // A configured live rate that is missing or not fresh: nothing can be said, close what was open.
        opps.evaluate(subject, { ok: false, reason: "no_book" });
        return;
      }
      const buyFee = feeOf(buy.feed);
      const sellFee = feeOf(sell.feed);
      if (buyFee === undefined || sellFee === undefined) {
        opps.suppress(subject, "fee_unknown");
        return;
      }
      if (topHasNoEdge(buy, sell, buyFee, sellFee, rate)) {
        opps.evaluate(subject, NO_EDGE);
        return;
      }
      const result = solveTwoVenue({ book: buy, side: "buy", fee: buyFee }, { book: sell, side: "sell", fee: sellFee, rate }, limits);
      if (!result.ok) return opps.evaluate(subject, result);
      const s = result.signal;
      const details = {
        key: buy.key,
        grossBps: s.grossBps,
        feesUsd: s.feesUsd,
        baseSize: s.size,
        quote: qb ?? buy.key,
        ...(rate === 1 ? {} : { quoteRate: rate }),
        binding: s.binding,
        ...fundingBeside(buy, sell),
      };
      opps.evaluate(subject, result, { details });
    }

    function pairable(a: string, b: string): boolean {
      const qa = market(a).quote;
      const qb = market(b).quote;
      if (qa === qb) return true;
      if (qa !== undefined && qb !== undefined && rates.has(qa, qb)) return true;
      ctx.log.once(`quote:${a}:${b}`, "info", "not pairing different quote currencies without a quote_rates entry", { a, b });
      return false;
    }

    ctx.bus.on("funding", (f) => {
      if (feeds.has(f.feed)) funding.set(`${f.feed}\u0000${f.instrument}`, f);
    });

    ctx.bus.on("frame.end", (f) => {
      if (!feeds.has(f.feed)) return;
      for (const inst of f.instruments) {
        const book = ctx.store.book(f.feed, inst);
        if (book === undefined) continue;
        if (!wants(inst, book.key)) continue;
        const { group } = market(book.key);
        let members = groups.get(group);
        if (members === undefined) {
          members = new Map();
          groups.set(group, members);
        }
        const member = `${f.feed}\u0000${inst}`;
        if (!members.has(member)) members.set(member, { feed: f.feed, instrument: inst });
        for (const { feed, instrument } of members.values()) {
          if (feed === f.feed) continue;
          const other = ctx.store.book(feed, instrument);
          if (other === undefined || !pairable(book.key, other.key)) continue;
          evaluate(book, other);
          evaluate(other, book);
        }
      }
    });

    return {};
  },
});
