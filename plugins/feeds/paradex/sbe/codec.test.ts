import { describe, expect, it } from "bun:test";
import { formatDecimal, SbeDecodeError, type SbeValue } from "./codec.ts";
import { paradexCodec } from "./paradex-schema.ts";
import type { SbeField, SbeMessage } from "./schema.ts";
import vectors from "../fixtures/sbe_paradex_py_codec_vectors.json";

const codec = paradexCodec();
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "hex"));

/** paradex-py's view of a value: decimals as 8/12-dp strings, µs → ms, NON_REPRESENTABLE → null, address as hex. */
function sdkView(f: SbeField | undefined, v: SbeValue): unknown {
  if (v === null || f === undefined) return v;
  const c = f.codec;
  if (c.kind === "decimal") return formatDecimal(v as bigint, c.exponent);
  if (c.kind === "enum") return v === "NON_REPRESENTABLE" ? null : v;
  if (c.kind === "bytes") {
    const n = BigInt(`0x${Buffer.from(v as Uint8Array).toString("hex")}`);
    return n === 0n ? "0x0" : `0x${n.toString(16)}`;
  }
  return typeof v === "bigint" ? Number(v) : v;
}

const CHANNEL: Record<string, string> = {
  TradeEvent: "trades",
  BboEvent: "bbo",
  BookEvent: "order_book",
  MarketSummaryEvent: "markets_summary",
  FundingDataEvent: "funding_data",
  OrderEvent: "orders",
  FillEvent: "fills",
};

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function actual(msg: SbeMessage, d: ReturnType<typeof codec.decode>, key: string): unknown {
  switch (key) {
    case "channel":
      return CHANNEL[d.name] === undefined ? null : `${CHANNEL[d.name]}.${d.data.market}`;
    case "timestamp":
      return Math.floor(Number(d.fields.ts) / 1000);
    case "seq_no":
      return Number(d.fields.seq);
    case "created_at":
      return Math.floor(Number(d.fields.createdAt) / 1000);
  }
  const name = camel(key);
  if (name in d.data) return d.data[name];
  const group = msg.groups.find((g) => g.name === name);
  if (group !== undefined) {
    return d.groups[name]!.map((e) => group.fields.map((f) => sdkView(f, e[f.name]!)));
  }
  const field = msg.fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`no field ${name} in ${msg.name}`);
  return sdkView(field, d.fields[name]!);
}

describe("SbeCodec (Paradex schema)", () => {
  it("lays the messages out as the schema says (89-byte BookEvent block, 107-byte FillEvent at 1:0)", () => {
    expect(codec.schema.id).toBe(1);
    expect(codec.schema.byName.get("BookEvent")!.blockLength).toBe(89);
    expect(codec.schema.byName.get("TradeEvent")!.blockLength).toBe(50);
    const fill = codec.schema.byName.get("FillEvent")!;
    expect(fill.fields.filter((f) => f.sinceVersion === 0).reduce((n, f) => n + f.size, 0)).toBe(107);
  });

  for (const v of vectors.frames) {
    it(`decodes paradex-py's ${v.name} vector as its test asserts (${v.assertedIn})`, () => {
      const d = codec.decode(hex(v.hex), { exact: true });
      const msg = codec.schema.messages.get(d.templateId)!;
      for (const [key, want] of Object.entries(v.expect)) {
        expect({ key, value: actual(msg, d, key) }).toEqual({ key, value: want });
      }
    });

    it(`re-encodes the ${v.name} vector byte for byte`, () => {
      const bytes = hex(v.hex);
      const d = codec.decode(bytes, { exact: true });
      const again = codec.encode(d.name, { ...d.fields, ...d.groups, ...d.data }, { version: d.version });
      expect(Buffer.from(again).toString("hex")).toBe(v.hex);
    });
  }

  for (const e of vectors.errors) {
    it(`refuses the ${e.name} vector with "${e.error}"`, () => {
      expect(() => codec.decode(hex(e.hex))).toThrow(SbeDecodeError);
      expect(() => codec.decode(hex(e.hex))).toThrow(e.error);
    });
  }

  it("decodes decimals as scaled numbers and nulls as null", () => {
    const d = codec.decode(codec.encode("BboEvent", { ts: 1, seq: 2, bidPrice: 67629.7, bidSize: 0.992, askPrice: null, askSize: null, market: "BTC-USD-PERP" }));
    expect(d.fields).toEqual({ ts: 1, seq: 2, bidPrice: 67629.7, bidSize: 0.992, askPrice: null, askSize: null });
    expect(d.data.market).toBe("BTC-USD-PERP");
  });

  it("reads a version 0 frame without the fields appended in 1:1, and a 1:1 frame with them", () => {
    const values = { ts: 1, seq: 1, fundingRate: 0.0001, fundingIndex: 5, createdAt: 1, fundingPremium: 0, fundingRate8h: 0.0001, fundingPeriodHours: 8, impactPremiumRate: 0.00002, market: "ETH-USD-PERP" };
    const v0 = codec.decode(codec.encode("FundingDataEvent", values, { version: 0 }));
    const v1 = codec.decode(codec.encode("FundingDataEvent", values, { version: 1 }));
    expect(v0.fields.impactPremiumRate).toBeNull();
    expect(v1.fields.impactPremiumRate).toBe(0.00002);
    expect(v0.data.market).toBe("ETH-USD-PERP");
    expect(v1.data.market).toBe("ETH-USD-PERP");
  });

  it("skips root-block bytes a newer sender appended (groups and data found through blockLength)", () => {
    const frame = codec.encode("BookEvent", {
      ts: 1, seq: 7, pkgType: "DELTA", bids: [{ price: 100, size: 1 }], asks: [{ price: 101, size: 0 }], market: "SOL-USD-PERP",
    }, { extraBlock: 24 });
    const d = codec.decode(frame);
    expect(d.groups.bids).toEqual([{ price: 100, size: 1 }]);
    expect(d.groups.asks).toEqual([{ price: 101, size: 0 }]);
    expect(d.data.market).toBe("SOL-USD-PERP");
    expect(d.size).toBe(frame.byteLength);
  });

  it("throws a truncated error, never reads past the frame", () => {
    const frame = codec.encode("TradeEvent", { ts: 1, seq: 1, tradeId: 1, side: "BUY", price: 1, size: 1, createdAt: 1, tradeType: "FILL", market: "BTC-USD-PERP" });
    for (const cut of [9, 40, 57, frame.byteLength - 1]) {
      let err: unknown;
      try {
        codec.decode(frame.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SbeDecodeError);
      expect((err as SbeDecodeError).reason).toBe("truncated");
    }
  });

  it("refuses group entries shorter than the layout", () => {
    const frame = codec.encode("BookEvent", { ts: 1, seq: 1, pkgType: "DELTA", bids: [{ price: 1, size: 1 }], asks: [], market: "BTC-USD-PERP" }, { version: 0 });
    const dv = new DataView(frame.buffer);
    dv.setUint16(8 + 89, 0, true); // bids entries of 0 bytes
    expect(() => codec.decode(frame)).toThrow("group blockLength");
  });

  it("survives random frames: every one decodes or throws SbeDecodeError", () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const templates = [...codec.schema.messages.keys()];
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = new Uint8Array(8 + Math.floor(rand() * 200));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      const dv = new DataView(bytes.buffer);
      dv.setUint16(0, Math.floor(rand() * 120), true);
      dv.setUint16(2, templates[Math.floor(rand() * templates.length)]!, true);
      dv.setUint16(4, 1, true);
      dv.setUint16(6, Math.floor(rand() * 3), true);
      try {
        codec.decode(bytes);
        decoded++;
      } catch (e) {
        if (!(e instanceof SbeDecodeError)) throw e;
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });

  it("formats mantissas exactly", () => {
    expect(formatDecimal(4200050000000n, -8)).toBe("42000.50000000");
    expect(formatDecimal(-100000n, -8)).toBe("-0.00100000");
    expect(formatDecimal(100000000n, -12)).toBe("0.000100000000");
  });
});
