/**
 * One end-to-end trial against the stream server (okx-stream-server.ts), in its own process:
 * `bun bench/lib/e2e-client.ts <edgewatch|edgewatch-feed|ccxt> <port> <books|bbo-tbt>` prints one JSON result
 * line (`edgewatch-feed`: the same without the strategy).
 *
 * edgewatch: the runtime with the real `okx` feed (sockets, parse, seqId check, CRC32 check, store writer)
 * and the `perp-spread` strategy pairing every OKX book with a quiet `demo` feed on the same keys (two
 * solves per frame). ccxt: `ccxt.pro.okx` `watchOrderBook` per symbol (seqId/prevSeqId checked by ccxt).
 * The clock runs from the first book frame to the moment every instrument has its last seqId; both
 * clients must end on the venue's final top of book.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigSource } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import type { FeedHandle } from "../../core/plugin.ts";
import { Runtime } from "../../core/runtime.ts";
import { createRegistry } from "../../core/registry.ts";
import { demoFeed } from "../../plugins/feeds/demo/index.ts";
import { okxFeed } from "../../plugins/feeds/okx/index.ts";
import { perpSpread } from "../../strategies/perp-spread/index.ts";
import { okxKey } from "../../plugins/feeds/okx/instruments.ts";
import type { StreamPlan } from "./okx-frames.ts";

/** What one trial reports. */
export interface TrialResult {
  readonly client: string;
  readonly updates: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly checksumsVerified?: number;
  readonly opportunities?: number;
}

const [client = "edgewatch", portText = "0", channel = "books"] = process.argv.slice(2);
const base = `127.0.0.1:${portText}`;
const plans = (await (await fetch(`http://${base}/bench/plan?channel=${channel}`)).json()) as StreamPlan[];
const total = plans.reduce((s, p) => s + p.updates, 0);
const DEADLINE_MS = Number(process.env.E2E_DEADLINE_MS ?? 120_000);

function check(name: string, got: { bid: number | undefined; ask: number | undefined }, plan: StreamPlan): void {
  if (got.bid !== plan.bestBid || got.ask !== plan.bestAsk) {
    throw new Error(`${name}: ${plan.instId} ended on ${got.bid}/${got.ask}, the venue on ${plan.bestBid}/${plan.bestAsk}`);
  }
}

async function runEdgewatch(withStrategy: boolean): Promise<TrialResult> {
  const ref = plans.map((p) => `{ id = "${p.instId}", key = "${okxKey(p.instId)}", start_price = ${(p.bestBid + p.bestAsk) / 2}, tick = 0.01 }`);
  const source = `[bot]
data_dir = "${mkdtempSync(join(tmpdir(), "ew-e2e-")).replaceAll("\\", "/")}"
[feeds.okx]
plugin = "okx"
ws_url = "ws://${base}/ws/v5/public"
rest_url = "http://${base}"
instruments = [${plans.map((p) => `"${p.instId}"`).join(", ")}]
channels = ["${channel}"]
verify_checksum = true
[feeds.ref]
plugin = "demo"
seed = 1
interval_ms = 1000
levels = 20
instruments = [${ref.join(", ")}]
`;
  const strategy = `[strategies.spread]
plugin = "perp-spread"
feeds = ["okx", "ref"]
taker_fee_bps = { okx = 5, ref = 5 }
min_edge_bps = 0
`;
  const rt = new Runtime(await loadConfigSource(withStrategy ? source + strategy : source, "e2e.toml", { registry: createRegistry([okxFeed, demoFeed, perpSpread]), env: {} }), { log: silentLogger, schedules: false });
  const seen = new Map<string, number>(plans.map((p) => [p.instId, 0]));
  const target = new Map<string, number>(plans.map((p) => [p.instId, p.updates + (channel === "books" ? 1 : 0)]));
  let remaining = plans.length;
  let first = 0;
  let last = 0;
  let opportunities = 0;
  const done = Promise.withResolvers<void>();
  rt.bus.on("frame.end", (f) => {
    if (f.feed !== "okx") return;
    for (const inst of f.instruments) {
      const n = seen.get(inst);
      if (n === undefined) continue;
      if (first === 0) first = Bun.nanoseconds();
      seen.set(inst, n + 1);
      // books: the snapshot frame comes on top of the updates
      if (n + 1 === target.get(inst) && --remaining === 0) {
        last = Bun.nanoseconds();
        done.resolve();
      }
    }
  });
  rt.bus.on("opportunity.open", () => opportunities++);
  rt.bus.on("opportunity.update", () => opportunities++);
  await rt.start();
  const timer = setTimeout(() => done.reject(new Error(`edgewatch: not done in ${DEADLINE_MS} ms: ${JSON.stringify([...seen])}`)), DEADLINE_MS);
  await done.promise;
  clearTimeout(timer);
  for (const p of plans) {
    const q = rt.store.quote("okx", p.instId);
    check("edgewatch", { bid: q?.bid ?? undefined, ask: q?.ask ?? undefined }, p);
  }
  const stats = (rt.instances().get("okx")?.handle as FeedHandle | undefined)?.stats?.();
  if (stats !== undefined && stats.resyncs > 0) throw new Error(`edgewatch resynced ${stats.resyncs} times: the stream is not clean`);
  await rt.stop();
  const seconds = (last - first) / 1e9;
  return { client: withStrategy ? "edgewatch" : "edgewatch-feed", updates: total, seconds, perSecond: total / seconds, opportunities };
}

async function runCcxt(): Promise<TrialResult> {
  const { pro } = await import("ccxt");
  const ex = new pro.okx({ enableRateLimit: false, options: { fetchMarkets: { types: ["swap"] }, watchOrderBook: { depth: channel } } });
  ex.urls.api = { ...(ex.urls.api as Record<string, string>), rest: `http://${base}`, ws: `ws://${base}/ws/v5` };
  await ex.loadHttpProxyAgent();
  await ex.loadMarkets();
  const symbols = plans.map((p) => ex.safeSymbol(p.instId));
  let first = 0;
  let last = 0;
  const books = await Promise.all(
    plans.map(async (p, i) => {
      for (;;) {
        const ob = await ex.watchOrderBook(symbols[i]!);
        if (first === 0) first = Bun.nanoseconds();
        if (channel === "books" ? ob.nonce === p.lastSeqId : ob.timestamp === p.lastTs) {
          last = Bun.nanoseconds();
          return { bid: ob.bids[0]?.[0], ask: ob.asks[0]?.[0] };
        }
      }
    }),
  );
  plans.forEach((p, i) => check("ccxt", books[i]!, p));
  await ex.close();
  const seconds = (last - first) / 1e9;
  return { client: "ccxt", updates: total, seconds, perSecond: total / seconds };
}

const result = client === "ccxt" ? await runCcxt() : await runEdgewatch(client !== "edgewatch-feed");
console.log(JSON.stringify(result));
process.exit(0);
