import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { okxConfigSchema } from "./config.ts";

const messages = (input: unknown): string[] => {
  const r = v.safeParse(okxConfigSchema, input, { abortEarly: false });
  return r.success ? [] : r.issues.map((i) => i.message);
};

describe("okx config", () => {
  it("does fill the documented defaults", () => {
    const r = v.parse(okxConfigSchema, { instruments: ["BTC-USDT-SWAP"] });
    expect(r).toMatchObject({
      rest_url: "https://www.okx.com",
      channels: ["books"],
      book_snapshot: "auto",
      verify_checksum: true,
      ping_interval_ms: 20_000,
      pong_timeout_ms: 10_000,
      max_per_connection: 10,
      taker_fee_bps: 5,
      maker_fee_bps: 2,
      stale_after_ms: 30_000,
    });
    expect(r.ws_url).toBeUndefined();
  });

  it("does refuse unknown keys, two book channels, slow pings and duplicates", () => {
    expect(messages({ instruments: ["BTC-USDT-SWAP"], instrument: "x" }).join()).toContain("instrument");
    expect(messages({ instruments: ["BTC-USDT-SWAP"], channels: ["books", "bbo-tbt"] })).toEqual([
      "channels has books, bbo-tbt: choose one book/quote channel, they would overwrite each other's book",
    ]);
    expect(messages({ instruments: ["BTC-USDT-SWAP"], ping_interval_ms: 30_000 })).toEqual([
      "ping_interval_ms (30000) must be below 30000: OKX closes a socket silent for 30 s",
    ]);
    expect(messages({ instruments: ["A-B-SWAP", "A-B-SWAP"] })).toEqual(["instruments lists A-B-SWAP more than once"]);
    expect(messages({ instruments: [] }).length).toBe(1);
    expect(messages({ instruments: ["BTC-USDT-SWAP"], channels: ["candle1m"] }).length).toBe(1);
    expect(messages({ instruments: ["BTC-USDT-SWAP"], ws_url: "https://x" }).length).toBe(1);
    expect(messages({ instruments: ["BTC-USDT-SWAP"], api_key: "k" })).toEqual(["set api_key, secret_key and passphrase together (or none of them)"]);
    expect(messages({ instruments: ["BTC-USDT-SWAP"], channels: ["books-l2-tbt"] })).toEqual([
      "books-l2-tbt needs a login: set api_key, secret_key and passphrase (OKX VIP5+ / VIP6+ accounts)",
    ]);
    expect(messages({ instruments: ["BTC-USDT-SWAP"], channels: ["books50-l2-tbt"], api_key: "k", secret_key: "s", passphrase: "p" })).toEqual([]);
  });
});
