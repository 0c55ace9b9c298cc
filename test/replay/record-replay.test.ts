import { beforeAll, describe, expect, it } from "bun:test";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { openRecording } from "../../core/replay/recording.ts";
import { replayConfig } from "../../core/replay/prepare.ts";
import { reportJson, type ReplayReport } from "../../core/replay/report.ts";
import { runReplay } from "../../core/replay/session.ts";
import { recordSession } from "./fixtures/record.ts";
import type { SeenOpportunity } from "./fixtures/session.ts";
import type { Alert } from "../../core/events.ts";

let file: string;
let live: SeenOpportunity[];
let liveAlerts = 0;
let sent: readonly Alert[] = [];

describe("record and replay", () => {
  beforeAll(async () => {
    const session = await recordSession();
    file = session.file;
    live = session.live;
    liveAlerts = session.liveAlerts;
    sent = session.sent;
  }, 30_000);

  it("does record frames, REST answers and socket lifecycle with the config", () => {
    const rec = openRecording(file);
    try {
      expect(rec.feedIds).toEqual(["a", "b"]);
      expect(rec.hasLifecycle).toBe(true);
      expect([...rec.restAnswers.values()].reduce((x, y) => x + y, 0)).toBe(2);
      expect(rec.meta.configSource).toContain("[recorder]");
      const kinds = new Map<string, number>();
      for (const r of rec.rows()) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
      expect(kinds.get("open")).toBeGreaterThanOrEqual(3); // a twice (the drop), b once
      expect(kinds.get("close")).toBeGreaterThanOrEqual(1);
      expect(kinds.get("ws")).toBeGreaterThan(90);
    } finally {
      rec.close();
    }
  });

  it("does find the live run's opportunities again when replayed", async () => {
    expect(live.length).toBeGreaterThan(2);
    const config = await replayConfig(openRecording(file), { registry: builtinRegistry });
    const report = await runReplay({ file, config, speed: "max" });
    expect(report.transport.restMissing).toBe(0);
    const replayed = report.opportunities.map((o) => ({ id: o.id, edgeBps: o.edgeBps, closeReason: o.closeReason, openedAt: Date.parse(o.openedAt) }));
    expect(replayed.map((o) => o.id)).toEqual(live.map((o) => o.id));
    replayed.forEach((o, i) => {
      expect(o.edgeBps).toBeCloseTo(live[i]!.edgeBps, 3);
      // replay stamps an opportunity at its frame's recorded receive time; live reads the clock again
      // after parsing, which is the same or a few ms later on a busy machine
      expect(live[i]!.openedAt - o.openedAt).toBeGreaterThanOrEqual(0);
      expect(live[i]!.openedAt - o.openedAt).toBeLessThan(50);
    });
    expect(replayed.map((o) => o.closeReason)).toEqual(live.map((o) => o.closeReason));
    expect(report.alerts.length).toBe(liveAlerts);
    // the router's dedupe and cooldown decide the same way on the virtual clock
    const subject = (id: string): string => id.replace(/:\d+$/, ""); // ids end with the (1 ms later live) time
    expect(report.alerts.filter((x) => x.deliveredTo.includes("mem")).map((x) => subject(x.id))).toEqual(sent.map((x) => subject(x.id)));
  }, 30_000);

  it("does give byte-identical reports on every run and the same opportunities at any speed", async () => {
    const run = async (speed: number | "max"): Promise<ReplayReport> => {
      const config = await replayConfig(openRecording(file), { registry: builtinRegistry });
      return runReplay({ file, config, speed });
    };
    const first = reportJson(await run("max"));
    const second = reportJson(await run("max"));
    expect(second).toBe(first);
    const paced = await run(10);
    expect(reportJson(paced)).toBe(first);
  }, 30_000);

  it("does report only the --from/--to window while earlier rows still build the books", async () => {
    const config = await replayConfig(openRecording(file), { registry: builtinRegistry });
    const full = await runReplay({ file, config, speed: "max" });
    const mid = Date.parse(full.opportunities[Math.floor(full.opportunities.length / 2)]!.openedAt);
    const later = await runReplay({ file, config: await replayConfig(openRecording(file), { registry: builtinRegistry }), speed: "max", from: mid });
    expect(later.opportunities.length).toBeGreaterThan(0);
    expect(later.opportunities.length).toBeLessThan(full.opportunities.length);
    expect(later.opportunities.map((o) => o.id + o.openedAt)).toEqual(full.opportunities.filter((o) => Date.parse(o.openedAt) >= mid).map((o) => o.id + o.openedAt));
  }, 30_000);
});
