import { describe, expect, it } from "bun:test";
import { parseXml } from "./xml.ts";

describe("parseXml", () => {
  it("reads elements, attributes (with > inside quotes), text and entities, and skips comments", () => {
    const root = parseXml('<?xml version="1.0"?>\n<!-- a <comment> -->\n<a x="1" y=\'a>b\'><b n="&lt;&amp;">4&gt;2</b><c/><!-- x --></a>');
    expect(root.name).toBe("a");
    expect(root.attrs).toEqual({ x: "1", y: "a>b" });
    expect(root.children.map((c) => c.name)).toEqual(["b", "c"]);
    expect(root.children[0]!.attrs.n).toBe("<&");
    expect(root.children[0]!.text).toBe("4>2");
  });

  it("throws on mismatched or unclosed tags instead of guessing", () => {
    expect(() => parseXml("<a><b></a>")).toThrow("unexpected </a>");
    expect(() => parseXml("<a><b>")).toThrow("unclosed <b>");
    expect(() => parseXml("<a/><b/>")).toThrow("second root element");
  });
});
