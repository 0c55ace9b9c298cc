/**
 * Both perp venues in one bot, on BTC and ETH, against their fakes: the store's quote rows (what
 * `/api/quotes` serves) are fresh, carry latency and spread, and are keyed so that perp-spread can pair
 * OKX `BTC-USDT-PERP` with Hyperliquid `BTC-USDC-PERP` — only through an explicit quote rate.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { loadConfigSource } from "../../core/config/load.ts";
import { ConfigError } from "../../core/errors.ts";
import { QuoteRates, quoteCurrency, sameMarketExceptQuote } from "../../core/instruments.ts";
import { createRegistry } from "../../core/registry.ts";
import { hyperliquidFeed } from "../../plugins/feeds/hyperliquid/index.ts";
import { okxFeed } from "../../plugins/feeds/okx/index.ts";
import { clearOkxInstrumentCache } from "../../plugins/feeds/okx/rest.ts";
import { FakeHyperliquid } from "../fakes/hyperliquid/fake-hyperliquid.ts";
import { FakeOkx } from "../fakes/okx/fake-okx.ts";
import { rigClock, startRig, type Rig } from "./okx-hyperliquid-rig.ts";

let okx: FakeOkx | undefined;
let hl: FakeHyperliquid | undefined;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  okx?.stop();
  hl?.stop();
  rig = okx = hl = undefined;
  clearOkxInstrumentCache();
});

describe("okx + hyperliquid in one bot", () => {
  it("does show fresh BTC and ETH quotes of both venues with latency and spread, keyed for pairing", async () => {
    const clock = rigClock();
    okx = new FakeOkx({ clock, mode: "checksum0", latencyMs: 12 });
    hl = new FakeHyperliquid({ clock, latencyMs: 40 });
    rig = await startRig(
      clock,
      `[feeds.okx]
ws_url = "${okx.url}"
rest_url = "${okx.httpUrl}"
instruments = ["BTC-USDT-SWAP", "ETH-USDT-SWAP"]
channels = ["books", "funding-rate"]

[feeds.hyperliquid]
ws_url = "${hl.url}"
info_url = "${hl.infoUrl}"
instruments = ["BTC", "ETH"]
channels = ["l2Book", "activeAssetCtx"]
taker_fee_bps = 3.5
`,
    );
    const store = rig.runtime.store;
    const wanted: [string, string][] = [
      ["okx", "BTC-USDT-SWAP"],
      ["okx", "ETH-USDT-SWAP"],
      ["hyperliquid", "BTC"],
      ["hyperliquid", "ETH"],
    ];
    await rig.until(() => wanted.every(([f, i]) => store.fresh(f, i).ok), "fresh books on both venues");
    for (let i = 0; i < 20; i++) {
      okx.step();
      hl.step();
    }
    await rig.flush(10);

    const rows = store.quoteRows().filter((q) => wanted.some(([f, i]) => q.feed === f && q.instrument === i));
    expect(rows).toHaveLength(4);
    for (const q of rows) {
      expect(q.stale).toBe(false);
      expect(q.bid).not.toBeNull();
      expect(q.ask!).toBeGreaterThan(q.bid!);
      expect(q.spreadBps!).toBeGreaterThan(0);
      expect(q.mid).toBeCloseTo((q.bid! + q.ask!) / 2, 9);
    }
    const row = (feed: string, instrument: string) => rows.find((q) => q.feed === feed && q.instrument === instrument)!;
    expect(row("okx", "BTC-USDT-SWAP").latencyMs).toBe(12);
    expect(row("hyperliquid", "BTC").latencyMs).toBe(40);

    // keys: the same market apart from the quote currency, never equated
    const okxBtc = row("okx", "BTC-USDT-SWAP").key;
    const hlBtc = row("hyperliquid", "BTC").key;
    expect([okxBtc, hlBtc]).toEqual(["BTC-USDT-PERP", "BTC-USDC-PERP"]);
    expect(sameMarketExceptQuote(okxBtc, hlBtc)).toBe(true);
    expect(sameMarketExceptQuote(row("okx", "ETH-USDT-SWAP").key, row("hyperliquid", "ETH").key)).toBe(true);
    expect(sameMarketExceptQuote(okxBtc, row("hyperliquid", "ETH").key)).toBe(false);
    const rates = new QuoteRates({ USDC_USDT: 1.0002 });
    const hlMidInUsdt = rates.convert(row("hyperliquid", "BTC").mid!, quoteCurrency(hlBtc)!, quoteCurrency(okxBtc)!)!;
    expect(hlMidInUsdt).toBeCloseTo(row("hyperliquid", "BTC").mid! * 1.0002, 6);
    expect(new QuoteRates({}).convert(1, "USDC", "USDT")).toBeUndefined();

    // fee config is validated and frozen with the feed's table (perp-spread reads it there)
    const feeOf = (id: string) => (rig!.runtime.config.instances.find((x) => x.id === id)!.config as { taker_fee_bps: number; maker_fee_bps: number });
    expect(feeOf("okx")).toMatchObject({ taker_fee_bps: 5, maker_fee_bps: 2 });
    expect(feeOf("hyperliquid")).toMatchObject({ taker_fee_bps: 3.5, maker_fee_bps: 1.5 });
    expect(rig.runtime.view.feeds().map((f) => [f.id, f.state])).toEqual([
      ["okx", "live"],
      ["hyperliquid", "live"],
    ]);
  });
});

describe("okx + hyperliquid config", () => {
  it("does refuse a bad config with one positioned sentence per problem", async () => {
    const src = `[feeds.okx]\ninstruments = ["BTC-USDT-SWAP"]\nchannels = ["books", "tickers"]\nping_interval_ms = 40000\n\n[feeds.hl]\nplugin = "hyperliquid"\ninstruments = ["BTC"]\nchanels = ["bbo"]\n`;
    const error = await loadConfigSource(src, "perp.toml", { registry: createRegistry([okxFeed, hyperliquidFeed]), env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => `${p.line}: ${p.path}: ${p.message}`)).toEqual([
      "1: feeds.okx: channels has books, tickers: choose one book/quote channel, they would overwrite each other's book",
      "1: feeds.okx: ping_interval_ms (40000) must be below 30000: OKX closes a socket silent for 30 s",
      '9: feeds.hl.chanels: expected a known key, found unknown key "chanels" (did you mean "channels"?)',
    ]);
  });
});
