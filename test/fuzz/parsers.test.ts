import { describe, expect, it } from "bun:test";
import { baseSeed, budgetMs, fuzzLoop, mutateFrame } from "./mutate.ts";
import { venueParsers } from "./venues.ts";

/** Problems a parser reported instead of events (malformed shapes, wire problems): counted, not thrown. */
function reported(out: unknown): number {
  if (Array.isArray(out)) return out.filter((e) => typeof e === "object" && e !== null && ((e as { kind?: string }).kind === "malformed" || (e as { kind?: string }).kind === "error")).length;
  if (typeof out === "object" && out !== null) {
    const p = (out as { problems?: unknown[]; malformed?: unknown[] }).problems ?? (out as { malformed?: unknown[] }).malformed;
    return Array.isArray(p) ? p.length : 0;
  }
  return 0;
}

describe("venue parsers under mutated frames", () => {
  for (const v of venueParsers()) {
    it(`does count or skip every mutated ${v.venue} frame without throwing`, () => {
      expect(v.frames.length).toBeGreaterThan(0);
      let problems = 0;
      let events = 0;
      const n = fuzzLoop(`parse ${v.venue}`, baseSeed(0x5eed), 20_000, budgetMs(1_500), (rng) => {
        let frame = rng.pick(v.frames);
        for (let k = 1 + rng.int(3); k > 0; k--) frame = mutateFrame(rng, frame);
        const out = v.parse(frame);
        problems += reported(out);
        events += Array.isArray(out) ? out.length : ((out as { events?: unknown[] }).events?.length ?? 0);
      });
      // the mutations must actually reach the error paths, and some frames must still parse
      expect(n).toBeGreaterThanOrEqual(20);
      expect(problems).toBeGreaterThan(0);
      expect(events).toBeGreaterThan(problems / 100);
    });
  }
});
