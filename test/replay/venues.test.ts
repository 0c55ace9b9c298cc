import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { loadConfig } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import { observeSockets } from "../../core/replay/observe.ts";
import { replayConfig } from "../../core/replay/prepare.ts";
import { openRecording } from "../../core/replay/recording.ts";
import { runReplay } from "../../core/replay/session.ts";
import { Runtime } from "../../core/runtime.ts";
import { bunSocketFactory } from "../../core/ws/socket.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { FakeHyperliquid } from "../fakes/hyperliquid/fake-hyperliquid.ts";
import { FakeOkx } from "../fakes/okx/fake-okx.ts";
import { placeHlBook, seeded } from "./fixtures/hl-books.ts";
import { tempDir, until, watchOpportunities, writeConfig } from "./fixtures/session.ts";

describe("record and replay with the venue feeds", () => {
  it("does find the live run's OKX/Hyperliquid opportunities again, across an OKX disconnect", async () => {
    const okx = new FakeOkx({ keepAliveMs: 0, seed: 3 });
    const hl = new FakeHyperliquid({ seed: 5 });
    const rand = seeded(7);
    const dir = tempDir("edgewatch-venues-rec-");
    try {
      const file = writeConfig(
        dir,
        "live.toml",
        `[bot]
log_level = "error"
[health]
max_latency_ms = 60000
heartbeat_timeout_ms = 60000
min_updates_per_s = 0
[feeds.okx]
ws_url = "${okx.url}"
rest_url = "${okx.httpUrl}"
instruments = ["BTC-USDT-SWAP"]
channels = ["books"]
[feeds.hyperliquid]
ws_url = "${hl.url}"
info_url = "${hl.infoUrl}"
instruments = ["BTC"]
[strategies.spread]
plugin = "perp-spread"
feeds = ["okx", "hyperliquid"]
taker_fee_bps = { okx = 5, hyperliquid = 4.5 }
quote_rates = { USDC_USDT = 1.0 }
min_edge_bps = 2
size_usd = 10000
[recorder]
path = "rec.sqlite"
`,
      );
      const runtime = new Runtime(await loadConfig(file, { registry: builtinRegistry }), {
        log: silentLogger,
        schedules: false,
        transport: { sockets: observeSockets(bunSocketFactory, { configFile: file }) },
      });
      const live = watchOpportunities(runtime.bus);
      await runtime.start();
      await until(() => runtime.store.book("okx", "BTC-USDT-SWAP") !== undefined && runtime.store.book("hyperliquid", "BTC") !== undefined, 5_000, "both books");
      for (let s = 0; s < 60; s++) {
        // Hyperliquid 25 bps above or below OKX on every 6th step, near it otherwise
        const jump = s % 6 === 2 ? (s % 12 === 2 ? 25 : -25) : 1.5;
        placeHlBook(hl, "BTC", 80_000 * (1 + jump / 1e4), rand);
        hl.publishBook("BTC");
        okx.step();
        if (s === 30) okx.venue.last().drop();
        await Bun.sleep(25);
      }
      await until(() => runtime.store.feedState("okx") === "live" && okx.venue.live().length === 1 && okx.venue.clients.length >= 2, 5_000, "OKX back after the drop");
      await Bun.sleep(100);
      await runtime.stop();

      const recording = join(dir, "rec.sqlite");
      const config = await replayConfig(openRecording(recording), { registry: builtinRegistry });
      const report = await runReplay({ file: recording, config, speed: "max" });
      expect(live.length).toBeGreaterThanOrEqual(6);
      expect(report.transport.sockets).toBeGreaterThanOrEqual(3); // OKX reconnected after the drop
      expect(report.opportunities.map((o) => o.id)).toEqual(live.map((o) => o.id));
      report.opportunities.forEach((o, i) => {
        expect(o.edgeBps).toBeCloseTo(live[i]!.edgeBps, 3);
        expect(o.closeReason).toBe(live[i]!.closeReason);
      });
    } finally {
      okx.venue.stop();
      hl.stop();
    }
  }, 30_000);
});
