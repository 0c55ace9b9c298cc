/**
 * The five perp venues in one bot, BTC and ETH on each, against their fakes: ten fresh quotes, every
 * venue's coin keyed as the same market (`BTC-USDT-PERP` on OKX, Binance and Bybit; `BTC-USDC-PERP` on
 * Hyperliquid and Paradex), pairable only through a quote rate.
 */
import { afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { ManualClock } from "../../core/clock.ts";
import { parseInstrumentKey, sameMarketExceptQuote } from "../../core/instruments.ts";
import { binanceFeed } from "../../plugins/feeds/binance/index.ts";
import { bybitFeed } from "../../plugins/feeds/bybit/index.ts";
import { hyperliquidFeed } from "../../plugins/feeds/hyperliquid/index.ts";
import { okxFeed } from "../../plugins/feeds/okx/index.ts";
import { clearOkxInstrumentCache } from "../../plugins/feeds/okx/rest.ts";
import { paradexFeed } from "../../plugins/feeds/paradex/index.ts";
import { FakeBinance } from "../fakes/binance/server.ts";
import { startFeedRig, type FeedRig } from "../fakes/binance/feed-rig.ts";
import { FakeBybit } from "../fakes/bybit/server.ts";
import { FakeHyperliquid } from "../fakes/hyperliquid/fake-hyperliquid.ts";
import { FakeOkx } from "../fakes/okx/fake-okx.ts";
import { FakeParadex } from "../fakes/paradex/server.ts";

const stops: (() => void)[] = [];
let rig: FeedRig | undefined;
afterEach(async () => {
  await rig?.stop();
  for (const s of stops.splice(0)) s();
  rig = undefined;
  clearOkxInstrumentCache();
});

describe("five perp venues in one bot", () => {
  setDefaultTimeout(30_000);

  it("shows ten fresh BTC and ETH quotes, one key per coin and quote currency", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const okx = new FakeOkx({ clock, mode: "checksum0" });
    const hl = new FakeHyperliquid({ clock });
    const pdx = new FakeParadex({ clock, markets: ["BTC-USD-PERP", "ETH-USD-PERP"] });
    const bnc = new FakeBinance({ clock, symbols: ["BTCUSDT", "ETHUSDT"] });
    const byb = new FakeBybit({ clock, symbols: ["BTCUSDT", "ETHUSDT"] });
    stops.push(() => okx.stop(), () => hl.stop(), () => pdx.stop(), () => bnc.stop(), () => byb.stop());
    rig = await startFeedRig(
      [okxFeed, hyperliquidFeed, paradexFeed, binanceFeed, bybitFeed],
      "okx",
      `[feeds.okx]
ws_url = "${okx.url}"
rest_url = "${okx.httpUrl}"
instruments = ["BTC-USDT-SWAP", "ETH-USDT-SWAP"]

[feeds.hyperliquid]
ws_url = "${hl.url}"
info_url = "${hl.infoUrl}"
instruments = ["BTC", "ETH"]

[feeds.paradex]
ws_url = "${pdx.url}"
instruments = ["BTC-USD-PERP", "ETH-USD-PERP"]
channels = ["order_book", "funding_data"]

[feeds.binance]
ws_url = "${bnc.url}"
market_ws_url = "${bnc.marketUrl}"
rest_url = "${bnc.restUrl}"
instruments = ["BTCUSDT", "ETHUSDT"]
channels = ["depth", "markPrice"]

[feeds.bybit]
ws_url = "${byb.url}"
instruments = ["BTCUSDT", "ETHUSDT"]
channels = ["orderbook", "tickers"]
`,
      {},
      clock,
    );
    const wanted: [string, string][] = [
      ["okx", "BTC-USDT-SWAP"], ["okx", "ETH-USDT-SWAP"],
      ["hyperliquid", "BTC"], ["hyperliquid", "ETH"],
      ["paradex", "BTC-USD-PERP"], ["paradex", "ETH-USD-PERP"],
      ["binance", "BTCUSDT"], ["binance", "ETHUSDT"],
      ["bybit", "BTCUSDT"], ["bybit", "ETHUSDT"],
    ];
    const store = rig.rt.store;
    const end = Date.now() + 15_000;
    // every venue keeps moving while the bot connects and syncs (Binance's depth sync needs events)
    while (!wanted.every(([f, i]) => store.fresh(f, i).ok)) {
      if (Date.now() > end) throw new Error(`not fresh: ${wanted.filter(([f, i]) => !store.fresh(f, i).ok).map((w) => w.join(":")).join(", ")}`);
      okx.step();
      hl.step();
      for (const m of ["BTC-USD-PERP", "ETH-USD-PERP"]) pdx.change(m);
      for (const s of ["BTCUSDT", "ETHUSDT"]) {
        bnc.depth(s);
        byb.delta(s);
      }
      clock.advance(5);
      await Bun.sleep(3);
    }

    const rows = store.quoteRows().filter((q) => wanted.some(([f, i]) => q.feed === f && q.instrument === i));
    expect(rows).toHaveLength(10);
    for (const q of rows) {
      expect(q.stale).toBe(false);
      expect(q.ask!).toBeGreaterThan(q.bid!);
    }
    const keys = (coin: string) => new Set(rows.filter((q) => parseInstrumentKey(q.key)?.base === coin).map((q) => q.key));
    expect([...keys("BTC")].sort()).toEqual(["BTC-USDC-PERP", "BTC-USDT-PERP"]);
    expect([...keys("ETH")].sort()).toEqual(["ETH-USDC-PERP", "ETH-USDT-PERP"]);
    expect(sameMarketExceptQuote("BTC-USDC-PERP", "BTC-USDT-PERP")).toBe(true);
    const keyOf = (feed: string, inst: string) => rows.find((q) => q.feed === feed && q.instrument === inst)!.key;
    expect([keyOf("okx", "BTC-USDT-SWAP"), keyOf("binance", "BTCUSDT"), keyOf("bybit", "BTCUSDT")]).toEqual(["BTC-USDT-PERP", "BTC-USDT-PERP", "BTC-USDT-PERP"]);
    expect([keyOf("hyperliquid", "BTC"), keyOf("paradex", "BTC-USD-PERP")]).toEqual(["BTC-USDC-PERP", "BTC-USDC-PERP"]);
    expect(rig.rt.view.feeds().map((f) => f.state)).toEqual(["live", "live", "live", "live", "live"]);
  });
});
