/**
 * One latency trial against okx-paced-server.ts, in its own process: `bun bench/lib/latency-client.ts
 * <port>` prints one JSON line. The runtime runs two `okx` feeds (book a streams, book b stays) and
 * `perp-spread` between them. The socket factory is Bun's own, wrapped to stamp `Bun.nanoseconds()` when
 * a frame reaches JavaScript; an `opportunity.open` / `opportunity.update` listener reads the clock again.
 * The whole path in between (ws connection, parse, seqId + CRC32 checks, store, frame.end, strategy,
 * tracker, bus) is synchronous, so the frame that produced the event is the last one stamped.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigSource } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import { createRegistry } from "../../core/registry.ts";
import { Runtime } from "../../core/runtime.ts";
import { bunSocketFactory, type SocketFactory } from "../../core/ws/socket.ts";
import { okxFeed } from "../../plugins/feeds/okx/index.ts";
import { perpSpread } from "../../strategies/perp-spread/index.ts";

/** Latency percentiles of one trial, µs. */
export interface LatencyResult {
  readonly samples: number;
  readonly frames: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

const port = process.argv[2] ?? "0";
const base = `127.0.0.1:${port}`;
const plan = (await (await fetch(`http://${base}/bench/plan`)).json()) as { frames: number };
const WARMUP = 500;

let stampNs = 0;
const stamped: SocketFactory = (url, handlers, options) =>
  bunSocketFactory(
    url,
    {
      ...handlers,
      onMessage(data) {
        stampNs = Bun.nanoseconds();
        handlers.onMessage(data);
      },
    },
    options,
  );

const source = `[bot]
data_dir = "${mkdtempSync(join(tmpdir(), "ew-lat-")).replaceAll("\\", "/")}"
[feeds.a]
plugin = "okx"
ws_url = "ws://${base}/ws/v5/public?book=a"
rest_url = "http://${base}"
instruments = ["BTC-USDT-SWAP"]
[feeds.b]
plugin = "okx"
ws_url = "ws://${base}/ws/v5/public?book=b"
rest_url = "http://${base}"
instruments = ["BTC-USDT-SWAP"]
[strategies.spread]
plugin = "perp-spread"
feeds = ["a", "b"]
taker_fee_bps = { a = 5, b = 5 }
min_edge_bps = 2
size_usd = 10000
`;
const rt = new Runtime(await loadConfigSource(source, "latency.toml", { registry: createRegistry([okxFeed, perpSpread]), env: {} }), {
  log: silentLogger,
  schedules: false,
  transport: { sockets: stamped },
});
const lat = new Float64Array(plan.frames + 10);
let n = 0;
let events = 0;
function onOpportunity(): void {
  const dt = Bun.nanoseconds() - stampNs;
  events++;
  if (events > WARMUP && n < lat.length) lat[n++] = dt / 1e3;
}
rt.bus.on("opportunity.open", onOpportunity);
rt.bus.on("opportunity.update", onOpportunity);
let frames = 0;
rt.bus.on("frame.end", (f) => {
  if (f.feed === "a" && f.instruments.length > 0) frames++;
});
await rt.start();
const deadline = Date.now() + 60_000;
while (frames < plan.frames + 1 && Date.now() < deadline) await Bun.sleep(50);
await rt.stop();
if (n < plan.frames / 2) throw new Error(`only ${n} opportunity events for ${frames} frames: the path is not exercised`);
const s = Array.from(lat.subarray(0, n)).sort((a, b) => a - b);
const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
const result: LatencyResult = { samples: n, frames, p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: s[s.length - 1]! };
console.log(JSON.stringify(result));
process.exit(0);
