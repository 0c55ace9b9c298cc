/**
 * cross-platform (SIGNALS.md "Cross-platform prediction markets"): for every confirmed group of the
 * equivalence registry and every two of its markets on different feeds, buy the group's YES on one and
 * its NO on the other when the pair costs less than 1 after each venue's own fee and on the books'
 * depth. A market's `inverted = true` swaps which of its books is the group's YES. Only what the
 * registry lists is traded: the matcher's proposals stay comments until a person confirms them.
 */
import { isAbsolute, join } from "node:path";
import { ConfigError, describeError, formatProblem } from "../../core/errors.ts";
import type { EquivalenceGroup, EquivalenceRegistry, EquivalentMarket } from "../../core/equivalence/registry.ts";
import { loadEquivalences, watchFile } from "../../core/equivalence/registry.ts";
import { createOpportunityTracker, type Subject } from "../../core/opportunities.ts";
import { defineStrategy } from "../../core/plugin.ts";
import { solveBuyAll } from "../../core/signals/kinds.ts";
import { sizeLimits, trackerOptions } from "../../core/signals/knobs.ts";
import type { LegInput } from "../../core/signals/walk.ts";
import { type CrossPlatformConfig, crossPlatformConfig } from "./config.ts";
import { configuredFee, type VenueMarket, venueMarketOf } from "./markets.ts";

/** One side of a pair: which market, and whether the leg buys the group's YES or its NO there. */
interface Side {
  readonly market: EquivalentMarket;
  readonly groupYes: boolean;
}

const key = (feed: string, id: string): string => `${feed}\u0000${id}`;

/** The instrument of a market that pays when the group's YES (or NO) happens. */
function instrumentFor(m: EquivalentMarket, info: VenueMarket | undefined, groupYes: boolean): string | undefined {
  const yes = m.yes ?? info?.yes;
  const no = m.no ?? info?.no;
  return groupYes !== m.inverted ? yes : no;
}

/** Buy YES on one platform and NO on another for less than 1, per the equivalence registry. */
export const crossPlatform = defineStrategy<CrossPlatformConfig>({
  name: "cross-platform",
  description: "The same event priced differently on two platforms: YES here + NO there below 1, after each venue's fees",
  config: crossPlatformConfig,
  actions: ["reload"],
  setup(ctx) {
    const c = ctx.config;
    const limits = sizeLimits(c);
    const opps = createOpportunityTracker(ctx, trackerOptions(c));
    const feeds = new Set(c.feeds);
    /** `instruments`: group names or market ids to trade; omitted = every group of the registry. */
    const wanted = c.instruments === undefined ? undefined : new Set(c.instruments);
    const path = isAbsolute(c.registry) ? c.registry : join(ctx.configDir, c.registry);
    /** Markets seen in `market.new`, by feed + market id. */
    const markets = new Map<string, VenueMarket>();
    let groups: readonly EquivalenceGroup[] = [];
    /** feed + instrument → names of the groups that read it. */
    let byInstrument = new Map<string, Set<string>>();
    /** Subjects each group evaluated, so a group that goes away closes what it opened. */
    const subjects = new Map<string, Subject[]>();

    function instrumentsOf(g: EquivalenceGroup): [string, string][] {
      const out: [string, string][] = [];
      for (const m of g.markets) {
        const info = markets.get(key(m.feed, m.market));
        for (const groupYes of [true, false]) {
          const inst = instrumentFor(m, info, groupYes);
          if (inst !== undefined) out.push([m.feed, inst]);
        }
      }
      return out;
    }

    function reindex(): void {
      byInstrument = new Map();
      for (const g of groups) {
        for (const [feed, inst] of instrumentsOf(g)) {
          const k = key(feed, inst);
          let set = byInstrument.get(k);
          if (set === undefined) byInstrument.set(k, (set = new Set()));
          set.add(g.name);
        }
      }
    }

    function closeGroup(name: string, reason: string): void {
      for (const s of subjects.get(name) ?? []) opps.evaluate(s, { ok: false, reason });
      subjects.delete(name);
    }

    function apply(reg: EquivalenceRegistry): void {
      const next = reg.groups.filter((g) => g.markets.some((m) => feeds.has(m.feed)) && (wanted === undefined || wanted.has(g.name) || g.markets.some((m) => wanted.has(m.market))));
      const names = new Set(next.map((g) => g.name));
      for (const g of groups) if (!names.has(g.name)) closeGroup(g.name, "unlisted");
      for (const g of next) {
        const unknown = g.markets.filter((m) => !feeds.has(m.feed)).map((m) => m.feed);
        if (unknown.length > 0) ctx.log.once(`unknown-feeds:${g.name}:${unknown.join(",")}`, "warn", "equivalence group names feeds this strategy does not read; those markets are left out", { group: g.name, line: g.line, feeds: [...new Set(unknown)] });
      }
      groups = next;
      reindex();
      ctx.health.set("running");
      ctx.log.info("equivalence registry loaded", { file: reg.file, groups: groups.length });
      for (const g of groups) evaluateGroup(g);
    }

    async function reload(): Promise<void> {
      try {
        apply(await loadEquivalences(path));
      } catch (error) {
        // A bad edit never takes the running registry away: report it and keep the last good one.
        const lines = error instanceof ConfigError ? error.problems.map(formatProblem) : [describeError(error)];
        ctx.log.error("equivalence registry rejected; keeping the previous one", { file: path, problems: lines });
        ctx.health.set("degraded", [`equivalence registry rejected: ${lines[0] ?? "unknown error"}`]);
      }
    }

    function leg(side: Side): { ref: Subject["legs"][number]; input?: LegInput; missing?: "no_book" | "fee_unknown" } {
      const info = markets.get(key(side.market.feed, side.market.market));
      const instrument = instrumentFor(side.market, info, side.groupYes) ?? `${side.market.market}:${side.groupYes ? "group-yes" : "group-no"}`;
      const ref = { feed: side.market.feed, instrument, side: "buy" as const };
      const book = ctx.store.book(side.market.feed, instrument);
      if (book === undefined || (info === undefined && side.market.yes === undefined)) return { ref, missing: "no_book" };
      const fee = configuredFee(c, side.market.feed) ?? info?.fee;
      if (fee === undefined) return { ref, missing: "fee_unknown" };
      return { ref, input: { book, side: "buy", fee, minOrderSize: info?.minOrderSize ?? 0 } };
    }

    function evaluatePair(g: EquivalenceGroup, a: Side, b: Side, list: Subject[]): void {
      const la = leg(a);
      const lb = leg(b);
      const subject: Subject = { kind: "cross_platform", legs: [la.ref, lb.ref] };
      list.push(subject);
      if (la.missing === "fee_unknown" || lb.missing === "fee_unknown") return opps.suppress(subject, "fee_unknown");
      if (la.input === undefined || lb.input === undefined) return opps.evaluate(subject, { ok: false, reason: "no_book" });
      const result = solveBuyAll([la.input, lb.input], limits);
      const details = result.ok
        ? {
            group: g.name,
            question: g.question,
            resolution: g.resolution,
            expiresAt: g.expiresAt,
            yesOn: a.groupYes ? a.market.feed : b.market.feed,
            noOn: a.groupYes ? b.market.feed : a.market.feed,
            shares: result.signal.size,
            grossBps: result.signal.grossBps,
            feesUsd: result.signal.feesUsd,
            binding: result.signal.binding,
          }
        : undefined;
      opps.evaluate(subject, result, details === undefined ? undefined : { details, title: `${g.name}: YES on ${details.yesOn} + NO on ${details.noOn} below 1` });
    }

    function evaluateGroup(g: EquivalenceGroup): void {
      if (ctx.clock.now() >= g.expiresAt) {
        ctx.log.once(`expired:${g.name}`, "info", "equivalence group expired; no longer evaluated", { group: g.name, expiresAt: new Date(g.expiresAt).toISOString() });
        closeGroup(g.name, "expired");
        return;
      }
      const list: Subject[] = [];
      const ms = g.markets.filter((m) => feeds.has(m.feed));
      for (let i = 0; i < ms.length; i++) {
        for (let j = i + 1; j < ms.length; j++) {
          const a = ms[i]!;
          const b = ms[j]!;
          if (a.feed === b.feed) continue;
          evaluatePair(g, { market: a, groupYes: true }, { market: b, groupYes: false }, list);
          evaluatePair(g, { market: a, groupYes: false }, { market: b, groupYes: true }, list);
        }
      }
      subjects.set(g.name, list);
    }

    ctx.bus.on("market.new", (m) => {
      if (!feeds.has(m.feed)) return;
      const info = venueMarketOf(m, configuredFee(c, m.feed));
      if (info === undefined) return;
      markets.set(key(m.feed, m.instrument), info);
      const touched = groups.filter((g) => g.markets.some((x) => x.feed === m.feed && x.market === m.instrument));
      if (touched.length === 0) return;
      reindex();
      for (const g of touched) evaluateGroup(g);
    });

    ctx.bus.on("frame.end", (f) => {
      if (!feeds.has(f.feed)) return;
      const hit = new Set<string>();
      for (const inst of f.instruments) for (const name of byInstrument.get(key(f.feed, inst)) ?? []) hit.add(name);
      if (hit.size === 0) return;
      for (const g of groups) if (hit.has(g.name)) evaluateGroup(g);
    });

    ctx.bus.on("control.reload", () => void reload());
    ctx.action("reload", reload);
    const stopWatch = c.watch_registry ? watchFile(path, () => void reload()) : undefined;
    return reload().then(() => ({ stop: () => stopWatch?.() }));
  },
});
