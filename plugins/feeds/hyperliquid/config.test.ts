import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { hlConfigSchema } from "./config.ts";

const messages = (input: unknown): string[] => {
  const r = v.safeParse(hlConfigSchema, input, { abortEarly: false });
  return r.success ? [] : r.issues.map((i) => i.message);
};

describe("hyperliquid config", () => {
  it("does fill the documented defaults", () => {
    expect(v.parse(hlConfigSchema, { instruments: ["BTC"] })).toMatchObject({
      info_url: "https://api.hyperliquid.xyz/info",
      channels: ["l2Book"],
      fast: false,
      book_cadence_ms: 30_000,
      ping_interval_ms: 30_000,
      pong_timeout_ms: 10_000,
      max_per_connection: 100,
      taker_fee_bps: 4.5,
      maker_fee_bps: 1.5,
    });
  });

  it("does refuse unknown keys, both book channels, a lone mantissa and slow pings", () => {
    expect(messages({ instruments: ["BTC"], coin: "BTC" }).join()).toContain("coin");
    expect(messages({ instruments: ["BTC"], channels: ["l2Book", "bbo"] })).toEqual([
      "channels has l2Book, bbo: choose one of l2Book and bbo, they would overwrite each other's book",
    ]);
    expect(messages({ instruments: ["BTC"], mantissa: 2, n_sig_figs: 4 })).toEqual(["mantissa is only allowed with n_sig_figs = 5"]);
    expect(messages({ instruments: ["BTC"], mantissa: 2, n_sig_figs: 5 })).toEqual([]);
    expect(messages({ instruments: ["BTC"], ping_interval_ms: 60_000 })).toEqual([
      "ping_interval_ms (60000) must be between 1 and 59999: the venue closes a socket silent for 60 s",
    ]);
    expect(messages({ instruments: ["BTC"], n_sig_figs: 7 }).length).toBe(1);
  });
});
