/**
 * Every venue parser that exists, with its captured frames (the `ws_*` fixtures of each feed, minified as
 * they come off the wire; Paradex data frames are SBE-encoded from the published schema), behind one
 * `parse(frame)` each. Lookups accept any id, so a mutated id still reaches the parsing code. Shared by
 * the parser fuzz tests and bench/parse.bench.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { binanceKey, parseBinanceFrame } from "../../plugins/feeds/binance/parse.ts";
import { bybitKey, parseBybitFrame } from "../../plugins/feeds/bybit/parse.ts";
import { hlCoin } from "../../plugins/feeds/hyperliquid/coins.ts";
import { parseHlFrame } from "../../plugins/feeds/hyperliquid/parse.ts";
import { parseKalshiFrame } from "../../plugins/feeds/kalshi/parse.ts";
import { okxKey, type OkxInstrument } from "../../plugins/feeds/okx/instruments.ts";
import { parseOkxFrame } from "../../plugins/feeds/okx/parse.ts";
import { paradexKey, parseParadexFrame } from "../../plugins/feeds/paradex/parse.ts";
import { paradexCodec } from "../../plugins/feeds/paradex/sbe/paradex-schema.ts";
import { parseClobFrame } from "../../plugins/feeds/polymarket/parse.ts";
import { parseRtdsFrame } from "../../plugins/feeds/polymarket-rtds/parse.ts";

/** One venue's parser and frames. */
export interface VenueParser {
  readonly venue: string;
  /** Captured frames, market data first. */
  readonly frames: readonly (string | Uint8Array)[];
  /** Market-data frames only (books, quotes, trades, prices): what the throughput figure uses. */
  readonly dataFrames: readonly (string | Uint8Array)[];
  parse(frame: string | Uint8Array): unknown;
}

const root = join(import.meta.dir, "..", "..", "plugins", "feeds");
const TS = 1_700_000_000_000;
const DATA = /book|bbo|trade|price|depth|orderbook|ticker|l2|mids|chainlink|equity_update|funding|asset/i;
const NOT_DATA = /subscribe|request|response|error|login|notice|conn_count|auth|pong|schema|ack/i;

function fixtureFrames(venue: string): { all: string[]; data: string[] } {
  const dir = join(root, venue, "fixtures");
  const all: string[] = [];
  const data: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.startsWith("ws_") || !name.endsWith(".json")) continue;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(join(dir, name), "utf8"));
    } catch {
      continue; // a transcript, not one frame
    }
    const frame = JSON.stringify(value);
    all.push(frame);
    if (DATA.test(name) && !NOT_DATA.test(name)) data.push(frame);
  }
  return { all, data };
}

function okxInstrument(id: string): OkxInstrument | undefined {
  // the feed's lookup is a Map: a non-string id from a mangled frame simply is not found
  if (typeof id !== "string") return undefined;
  return { instrument: id, key: okxKey(id), instType: id.endsWith("-SWAP") ? "SWAP" : "SPOT", ctVal: id.endsWith("-SWAP") ? 0.01 : 1, inverse: id.includes("-USD-"), tickSize: 0.1 };
}

function paradexFrames(): Uint8Array[] {
  const codec = paradexCodec();
  const ts = 1_718_267_837_300_000;
  const bids = Array.from({ length: 20 }, (_, i) => ({ price: 67_629.7 - i * 0.1, size: 0.5 + i / 10 }));
  const asks = Array.from({ length: 20 }, (_, i) => ({ price: 67_630.1 + i * 0.1, size: 0.7 + i / 10 }));
  return [
    codec.encode("BookEvent", { ts, seq: 1, pkgType: "SNAPSHOT", bids, asks, market: "BTC-USD-PERP" }),
    codec.encode("BookEvent", { ts, seq: 2, pkgType: "DELTA", bids: [{ price: 67_629.7, size: 0 }], asks: [{ price: 67_630.1, size: 1.5 }], market: "BTC-USD-PERP" }),
    codec.encode("BboEvent", { ts, seq: 3, bidPrice: 67_629.6, bidSize: 0.992, askPrice: 67_630.1, askSize: 1.5, market: "BTC-USD-PERP" }),
    codec.encode("TradeEvent", { ts, seq: 4, tradeId: 77, side: "SELL", price: 67_629.6, size: 0.01, createdAt: ts, tradeType: "FILL", market: "BTC-USD-PERP" }),
  ];
}

/** The parsers of every venue feed in plugins/feeds with a pure parse.ts. */
export function venueParsers(): VenueParser[] {
  const okx = fixtureFrames("okx");
  const hl = fixtureFrames("hyperliquid");
  const pm = fixtureFrames("polymarket");
  const rtds = fixtureFrames("polymarket-rtds");
  const bn = fixtureFrames("binance");
  const by = fixtureFrames("bybit");
  const px = fixtureFrames("paradex");
  const ks = fixtureFrames("kalshi");
  const codec = paradexCodec();
  const sbe = paradexFrames();
  return [
    { venue: "okx", frames: okx.all, dataFrames: okx.data, parse: (f) => parseOkxFrame(String(f), "okx", TS, okxInstrument) },
    { venue: "hyperliquid", frames: hl.all, dataFrames: hl.data, parse: (f) => parseHlFrame(String(f), "hl", TS, (c) => hlCoin(c)) },
    { venue: "polymarket", frames: pm.all, dataFrames: pm.data, parse: (f) => parseClobFrame(String(f), TS, "pm") },
    { venue: "polymarket-rtds", frames: rtds.all, dataFrames: rtds.data, parse: (f) => parseRtdsFrame(String(f), TS, "rtds") },
    { venue: "binance", frames: bn.all, dataFrames: bn.data, parse: (f) => parseBinanceFrame(String(f), "bn", TS, (s) => ({ instrument: s, key: binanceKey(s) })) },
    { venue: "bybit", frames: by.all, dataFrames: by.data, parse: (f) => parseBybitFrame(String(f), "by", TS, (s) => ({ instrument: s, key: bybitKey(s) })) },
    { venue: "kalshi", frames: ks.all, dataFrames: ks.data, parse: (f) => parseKalshiFrame(String(f)) },
    {
      venue: "paradex",
      frames: [...sbe, ...px.all],
      dataFrames: sbe,
      parse: (f) => parseParadexFrame(f, "px", TS, (m) => ({ instrument: m, key: paradexKey(m) }), codec),
    },
  ];
}
