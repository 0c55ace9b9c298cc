import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Level, MarketNew } from "../../core/events.ts";
import { type RefLeg, refBuyAll, testStrategy, type StrategyHarness } from "../../core/testing.ts";
import { crossPlatform } from "./index.ts";

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
const T0 = 1_700_000_000_000;

/** Kalshi-like feed "ks" (curve 0.07), Polymarket-like "pm" (fees off), Predict-like "pf" (min_side 0.02). */
const KS_FEE = (p: number) => 0.07 * p * (1 - p);
const PF_FEE = (p: number) => 0.02 * Math.min(p, 1 - p);
const NO_FEE = () => 0;

const dirs: string[] = [];
function registry(groups: string): string {
  const dir = mkdtempSync(join(tmpdir(), "edgewatch-xplat-"));
  dirs.push(dir);
  writeFileSync(join(dir, "equivalences.toml"), groups);
  return dir;
}

function group(opts: { inverted?: boolean; expires?: string; third?: boolean; name?: string } = {}): string {
  return `[[groups]]
name = "${opts.name ?? "fed"}"
resolution = "FOMC statement"
expires = ${opts.expires ?? "2030-01-01T00:00:00Z"}
[[groups.markets]]
feed = "pm"
market = "0xM"
[[groups.markets]]
feed = "ks"
market = "FED-T4"
inverted = ${opts.inverted === true}
${opts.third === true ? '[[groups.markets]]\nfeed = "pf"\nmarket = "77"\n' : ""}`;
}

let harness: StrategyHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Polls (real time) until `cond` holds: the registry reload reads the file asynchronously. */
async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

async function start(toml: string, extra: Record<string, unknown> = {}): Promise<{ h: StrategyHarness; dir: string }> {
  const dir = registry(toml);
  const h = (harness = await testStrategy(crossPlatform, { feeds: ["pm", "ks", "pf"], watch_registry: false, ...extra }, { live: ["pm", "ks", "pf"], configDir: dir, start: T0 }));
  const news: MarketNew[] = [
    { feed: "pm", instrument: "0xM", key: "0xM", tsEvent: T0, tsRecv: T0, question: "Fed cut?", outcomes: ["Yes", "No"], instruments: ["PY", "PN"], meta: { feesEnabled: false } },
    { feed: "ks", instrument: "FED-T4", key: "FED-T4", tsEvent: T0, tsRecv: T0, question: "Fed cut?", outcomes: ["Yes", "No"], instruments: ["FED-T4:yes", "FED-T4:no"], meta: { feeModel: { kind: "curve", rate: 0.07, exponent: 1 } } },
    { feed: "pf", instrument: "77", key: "77", tsEvent: T0, tsRecv: T0, question: "Fed cut?", outcomes: ["Yes", "No"], instruments: ["77:yes", "77:no"], meta: { feeModel: { kind: "min_side", rate: 0.02 }, minOrderSize: 1 } },
  ];
  for (const m of news) h.emit("market.new", m);
  return { h, dir };
}

const book = (h: StrategyHarness, feed: string, instrument: string, asks: readonly Level[], bids: readonly Level[] = []) => h.book(feed, instrument, { bids, asks });
/** All four books of pm and ks; the "other" direction is priced out. */
function pmKs(h: StrategyHarness, pmYes: readonly Level[], ksNo: readonly Level[]) {
  book(h, "pm", "PN", [[0.7, 100]]);
  book(h, "ks", "FED-T4:yes", [[0.7, 100]]);
  book(h, "pm", "PY", pmYes);
  book(h, "ks", "FED-T4:no", ksNo);
}
const YES: Level[] = [[0.4, 100], [0.45, 100]];
const NO: Level[] = [[0.5, 50], [0.52, 200]];
const suppressed = (h: StrategyHarness) => h.emitted("signal.suppressed").map((s) => s.reason);

describe("cross-platform", () => {
  it("does open YES on one platform + NO on the other with each venue's fee, exactly as the reference", async () => {
    const { h } = await start(group(), { size_usd: 60, min_edge_bps: 10 });
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(1);
    const o = h.opened[0]!;
    const want = refBuyAll([{ levels: YES, feeAt: NO_FEE }, { levels: NO, feeAt: KS_FEE }] satisfies RefLeg[], { minEdgeBps: 10, sizeUsd: 60 })!;
    near(o.edgeBps, want.edgeBps);
    near(o.sizeUsd, want.sizeUsd);
    near(o.profitUsd, want.profitUsd);
    near(o.details!.shares as number, want.size);
    expect(o.kind).toBe("cross_platform");
    expect(o.legs.map((l) => [l.feed, l.instrument, l.side])).toEqual([["pm", "PY", "buy"], ["ks", "FED-T4:no", "buy"]]);
    expect(o.details).toMatchObject({ group: "fed", yesOn: "pm", noOn: "ks", resolution: "FOMC statement" });
    near(o.legs[1]!.feeUsd, o.legs[1]!.size > 50 ? 50 * KS_FEE(0.5) + (o.legs[1]!.size - 50) * KS_FEE(0.52) : o.legs[1]!.size * KS_FEE(0.5));
  });

  it("does follow the orientation: an inverted market's NO book is the group's YES", async () => {
    const { h } = await start(group({ inverted: true }));
    book(h, "pm", "PN", [[0.7, 100]]);
    book(h, "ks", "FED-T4:no", [[0.7, 100]]);
    book(h, "pm", "PY", YES);
    book(h, "ks", "FED-T4:yes", NO); // group NO on ks = its YES
    expect(h.opened).toHaveLength(1);
    expect(h.opened[0]!.legs.map((l) => l.instrument)).toEqual(["PY", "FED-T4:yes"]);
  });

  it("does not open just below the threshold, and does at it", async () => {
    const best = refBuyAll([{ levels: YES, feeAt: NO_FEE }, { levels: NO, feeAt: KS_FEE }], { minEdgeBps: -9999 })!;
    const top = (1e4 * (1 - 0.4 - 0.5 - KS_FEE(0.5))) / (0.4 + 0.5 + KS_FEE(0.5));
    expect(best.size).toBeGreaterThan(0);
    const below = await start(group(), { min_edge_bps: top + 1e-6 });
    pmKs(below.h, YES, NO);
    expect(below.h.opened).toHaveLength(0);
    await below.h.stop();
    const at = await start(group(), { min_edge_bps: top });
    pmKs(at.h, YES, NO);
    expect(at.h.opened).toHaveLength(1);
    near(at.h.opened[0]!.details!.shares as number, 50);
  });

  it("does find nothing when the fees eat the gross edge", async () => {
    const { h } = await start(group(), { fees: { pm: { model: "curve", rate: 0.5 } } });
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toEqual([]);
  });

  it("does size on the thinner leg's depth", async () => {
    const { h } = await start(group());
    pmKs(h, [[0.3, 20]], [[0.4, 500]]);
    expect(h.opened[0]!.details!.shares).toBe(20);
    expect(h.opened[0]!.details!.binding).toBe("depth");
  });

  it("does suppress a stale leg and close what was open", async () => {
    const { h } = await start(group());
    pmKs(h, YES, NO);
    h.frame("ks", (w) => w.markStale("FED-T4:no"));
    expect(h.closed.map((c) => c.reason)).toEqual(["stale"]);
    book(h, "ks", "FED-T4:no", NO);
    expect(h.opened).toHaveLength(2);
    expect(suppressed(h)).toContain("stale");
  });

  it("does suppress a resyncing leg and a crossed book", async () => {
    const { h } = await start(group());
    pmKs(h, YES, NO);
    h.resync("pm", "PY");
    h.delta("ks", "FED-T4:no", { asks: [[0.5, 60]] });
    expect(h.closed.map((c) => c.reason)).toEqual(["resyncing"]);
    book(h, "pm", "PY", YES, [[0.41, 10]]); // bid above its own ask
    expect(h.opened).toHaveLength(1);
    expect(suppressed(h)).toContain("crossed");
  });

  it("does open, update and close with its duration", async () => {
    const { h } = await start(group(), { min_duration_ms: 200 });
    pmKs(h, YES, NO);
    h.advance(200);
    expect(h.opened).toHaveLength(1);
    h.advance(300);
    book(h, "ks", "FED-T4:no", [[0.45, 50], [0.52, 200]]);
    expect(h.updated).toHaveLength(1);
    expect(h.updated[0]!.peakEdgeBps).toBeGreaterThan(h.opened[0]!.edgeBps);
    h.advance(500);
    book(h, "ks", "FED-T4:no", [[0.61, 500]]);
    expect(h.closed).toHaveLength(1);
    expect(h.closed[0]!.durationMs).toBe(800);
    expect(h.closed[0]!.reason).toBe("edge_gone");
  });

  it("does evaluate every pair of a three-platform group with each venue's fee model", async () => {
    const { h } = await start(group({ third: true }));
    book(h, "pm", "PY", [[0.9, 100]]);
    book(h, "pm", "PN", [[0.9, 100]]);
    book(h, "ks", "FED-T4:yes", [[0.9, 100]]);
    book(h, "ks", "FED-T4:no", [[0.9, 100]]);
    book(h, "pf", "77:no", [[0.9, 100]]);
    book(h, "pf", "77:yes", [[0.35, 40], [0.38, 100]]);
    book(h, "ks", "FED-T4:no", [[0.55, 80]]);
    expect(h.opened).toHaveLength(1);
    const o = h.opened[0]!;
    expect(o.legs.map((l) => `${l.feed}:${l.instrument}`)).toEqual(["ks:FED-T4:no", "pf:77:yes"]);
    const want = refBuyAll([{ levels: [[0.55, 80]], feeAt: KS_FEE }, { levels: [[0.35, 40], [0.38, 100]], feeAt: PF_FEE }], { minEdgeBps: 0 })!;
    near(o.edgeBps, want.edgeBps);
    near(o.sizeUsd, want.sizeUsd);
  });

  it("does agree with the reference on random books and mixed fee models", async () => {
    let r = 11;
    const rnd = () => ((r = (r * 16807) % 2147483647) - 1) / 2147483646;
    let signals = 0;
    for (let t = 0; t < 40; t++) {
      const ladder = (start: number): Level[] => {
        let p = start;
        return Array.from({ length: 4 }, () => [Math.round((p += 0.01 * (0.5 + rnd())) * 1e4) / 1e4, Math.round(10 + rnd() * 100)] as const);
      };
      const yes = ladder(0.3 + rnd() * 0.2);
      const no = ladder(0.42 + rnd() * 0.12);
      const limits = { min_edge_bps: rnd() * 300, size_usd: 20 + rnd() * 100 };
      const { h } = await start(group({ third: true }), limits);
      book(h, "pm", "PY", [[0.99, 100]]);
      book(h, "pm", "PN", [[0.99, 100]]);
      book(h, "ks", "FED-T4:yes", [[0.99, 100]]);
      book(h, "pf", "77:no", [[0.99, 100]]);
      h.frame("ks", (w) => w.snapshot({ feed: "ks", instrument: "FED-T4:no", key: "k", tsEvent: T0, tsRecv: T0, bids: [], asks: no }));
      h.frame("pf", (w) => w.snapshot({ feed: "pf", instrument: "77:yes", key: "p", tsEvent: T0, tsRecv: T0, bids: [], asks: yes }));
      const want = refBuyAll([{ levels: no, feeAt: KS_FEE }, { levels: yes, feeAt: PF_FEE, minOrderSize: 1 }], { minEdgeBps: limits.min_edge_bps, sizeUsd: limits.size_usd });
      if (want === null) expect(h.opened).toHaveLength(0);
      else {
        signals++;
        const o = h.opened.at(-1)!;
        near(o.edgeBps, want.edgeBps);
        near(o.sizeUsd, want.sizeUsd);
        near(o.details!.shares as number, want.size);
      }
      await h.stop();
      harness = undefined;
    }
    expect(signals).toBeGreaterThan(4);
    expect(signals).toBeLessThan(36);
  });
});

describe("cross-platform registry", () => {
  it("does trade nothing from commented-out (unconfirmed) entries", async () => {
    const commented = group().split("\n").map((l) => (l === "" ? l : `# ${l}`)).join("\n");
    const { h } = await start(commented);
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(0);
  });

  it("does skip an expired group and close what it had open when it expires", async () => {
    const { h } = await start(group({ expires: "2023-11-14T22:13:21Z" })); // T0 + 1 s
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(1);
    h.advance(1_000);
    book(h, "ks", "FED-T4:no", NO);
    expect(h.closed.map((c) => c.reason)).toEqual(["expired"]);
    expect(h.logs.some((l) => l.includes("equivalence group expired"))).toBe(true);
  });

  it("does trade only the groups named by instruments (a group name or one of its market ids)", async () => {
    const other = await start(group(), { instruments: ["some-other-group"] });
    pmKs(other.h, YES, NO);
    expect(other.h.opened).toHaveLength(0);
    await other.h.stop();
    for (const pick of ["fed", "FED-T4"]) {
      const { h } = await start(group(), { instruments: [pick] });
      pmKs(h, YES, NO);
      expect(h.opened).toHaveLength(1);
      await h.stop();
      harness = undefined;
    }
  });

  it("does suppress a pair whose fee nobody knows", async () => {
    const { h } = await start(group());
    h.emit("market.new", { feed: "pm", instrument: "0xM", key: "0xM", tsEvent: T0, tsRecv: T0, question: "Fed cut?", outcomes: ["Yes", "No"], instruments: ["PY", "PN"], meta: { feesEnabled: true } });
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toContain("fee_unknown");
  });

  it("does reload by itself when the registry file changes on disk", async () => {
    const { h, dir } = await start("# nothing confirmed yet\n", { watch_registry: true });
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(0);
    writeFileSync(join(dir, "equivalences.toml"), group());
    await until(() => h.opened.length > 0, "the edited registry reloaded by the watcher");
    expect(h.opened).toHaveLength(1);
    expect(h.logs.filter((l) => l.includes("equivalence registry loaded")).length).toBeGreaterThanOrEqual(2);
  });

  it("does warn once about a group market on a feed the strategy does not read", async () => {
    const { h } = await start(group().replace('feed = "pm"', 'feed = "elsewhere"') + '[[groups.markets]]\nfeed = "pm"\nmarket = "0xM"\n');
    expect(h.logs.filter((l) => l.includes("names feeds this strategy does not read"))).toHaveLength(1);
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(1);
  });

  it("does reload on control.reload, keep the last good registry on a bad edit, and close unlisted groups", async () => {
    const { h, dir } = await start(group());
    pmKs(h, YES, NO);
    expect(h.opened).toHaveLength(1);
    writeFileSync(join(dir, "equivalences.toml"), group().replace('market = "0xM"', 'markt = "0xM"'));
    h.emit("control.reload", { by: "test" });
    await until(() => h.ctx.health.state === "degraded", "the bad edit reported");
    expect(h.ctx.health.reasons[0]).toMatch(/equivalences\.toml:\d+:\d+: groups\[0\]\.markets\[0\]/);
    expect(h.closed).toHaveLength(0);
    writeFileSync(join(dir, "equivalences.toml"), "# all withdrawn\n");
    h.emit("control.reload", { by: "test" });
    await until(() => h.ctx.health.state === "running" && h.closed.length > 0, "the withdrawn registry applied");
    expect(h.closed.map((c) => c.reason)).toEqual(["unlisted"]);
  });
});
