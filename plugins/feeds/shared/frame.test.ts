import { describe, expect, it } from "bun:test";
import { frameText, malformed, readJsonObject, takerSide } from "./frame.ts";

describe("malformed", () => {
  it("does keep the first 120 characters by default", () => {
    const text = "x".repeat(200);
    expect(malformed("no topic", text)).toEqual({ kind: "malformed", shape: "no topic", detail: "x".repeat(120) });
  });

  it("does keep as many characters as asked", () => {
    expect(malformed("bad", "abcdef", 3).detail).toBe("abc");
  });
});

describe("readJsonObject", () => {
  it("does return the object of a JSON object frame", () => {
    expect(readJsonObject('{"a":1}')).toEqual({ object: { a: 1 } });
  });

  it("does refuse text that is not JSON as `not json`", () => {
    expect(readJsonObject("pong{")).toEqual({ malformed: { kind: "malformed", shape: "not json", detail: "pong{" } });
  });

  it("does refuse null, scalars and arrays as `not an object`", () => {
    for (const text of ["null", "3", '"s"', "[1,2]"]) {
      expect(readJsonObject(text)).toEqual({ malformed: { kind: "malformed", shape: "not an object", detail: text } });
    }
  });

  it("does cut the detail at the length asked", () => {
    const read = readJsonObject(`[${"1,".repeat(100)}1]`, 160);
    expect("malformed" in read && read.malformed.detail.length).toBe(160);
  });
});

describe("takerSide", () => {
  it("does map exactly the venue's literals and nothing else", () => {
    expect(takerSide("BUY", "BUY", "SELL")).toBe("buy");
    expect(takerSide("SELL", "BUY", "SELL")).toBe("sell");
    expect(takerSide("buy", "BUY", "SELL")).toBe("unknown");
    expect(takerSide(undefined, "B", "A")).toBe("unknown");
  });
});

describe("frameText", () => {
  it("does pass text frames through and decode binary ones as UTF-8", () => {
    expect(frameText('{"a":1}')).toBe('{"a":1}');
    expect(frameText(new TextEncoder().encode("pong é"))).toBe("pong é");
    expect(frameText(new Uint8Array([0x70, 0xff]))).toBe("p\uFFFD");
  });
});
