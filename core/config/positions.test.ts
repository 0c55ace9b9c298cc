import { describe, expect, it } from "bun:test";
import { parse } from "smol-toml";
import { type KeyPositions, type SourcePos, scanPositions } from "./positions.ts";

const CONFIG = `#:schema ../schema/edgewatch.schema.json

[bot]
name = "demo"
log_level = "info"            # debug | info | warn | error

[http]                        # absent = no HTTP server
listen = "127.0.0.1:8787"
token = "\${EDGEWATCH_TOKEN}"

[feeds.alpha]                 # table key = instance id
plugin = "alpha"
ws_url = "wss://ws.alpha.example:8443/ws/v5/public"
channels = ["books"]
instruments = [
  "BTC-USDT-SWAP",   # first
  "ETH-USDT-SWAP",   # second, trailing comma below
  "SOL-USDT-SWAP",
]

[strategies.perp_spread]
plugin = "perp-spread"
feeds = ["alpha", "beta"]
quote_rates = { USDC_USDT = 1.0, EUR_USD = "alpha:EUR-USD" }
min_edge_bps = 5

[notifiers.tg]
plugin = "telegram"
chat_ids = [-1001234567890]

[[alerts.routes]]
strategies = ["perp_spread"]
notifiers = ["tg", "console"]
cooldown_ms = 60000

[[alerts.routes]]
min_severity = "critical"
notifiers = ["tg"]

[[schedules]]
cron = "0 */5 * * * *"
run = "beta.discover"
`;

const FRUITS = [
  "[[fruits]]",
  'name = "apple"',
  "[fruits.physical]",
  'color = "red"',
  "[[fruits.varieties]]",
  'name = "red delicious"',
  "[[fruits.varieties]]",
  'name = "granny smith"',
  "[[fruits]]",
  'name = "banana"',
  "[[fruits.varieties]]",
  'name = "plantain"',
  "[fruits.varieties.notes]",
  'text = "starchy"',
].join("\n");

const STRINGS = [
  'a = """',
  'has "quotes" and # hash and [brackets] = signs \\""" still inside',
  'x = "not a key"',
  '"""',
  "b = '''it's [not] = a # key'''",
  'c = "esc \\" [x] # y = 1"',
  "d = 'lit [x] = # \"y'",
  'e = """x""""',
  "f = ''''quoted''''",
  'g = """line \\',
  '  continued"""',
  "h = [\"]\", '[', \"\"\"\n]\"\"\", '''#'''] # ]",
  "j = [\"\"\"q\"\"\"\", '''r''''', 5]",
  "i = 1",
].join("\n");

const SCALARS = [
  "d1 = 1979-05-27 07:32:00Z",
  "n = -1_000.5e+3",
  "t = true",
  "d2 = 1979-05-27T00:32:00.999999-07:00",
  "inf = -inf",
  "arr = [1979-05-27 07:32:00, 0x1F, nan, 07:32:00, 1979-05-27]",
  "next = 2",
].join("\n");

const INLINE = `t = { a = 1, b = { c = 2 }, d.e = 3 }\npoints = [ { x = 1, y = 2 }, { x = 7, y = { z = 9 } } ]\nafter = 0`;
const UNICODE = `t = { s = "🚀🚀", k = 1 }\n"日本" = "値"\nname = "héllo wörld" # ünï\nw = 1`;

/** The character at a position, read back independently of the scanner (columns in code points). */
function charAt(source: string, at: SourcePos | undefined): string {
  if (at === undefined) return "";
  const line = source.replace(/^\uFEFF/, "").split("\n")[at.line - 1] ?? "";
  return [...line][at.col - 1] ?? "";
}

/** Walks a parsed document and checks every path has a position whose first character fits its value. */
function checkAgainstParser(source: string, p: KeyPositions, node: unknown, path: (string | number)[]): number {
  let checked = 0;
  const entries: [string | number, unknown][] = Array.isArray(node)
    ? node.map((v, i) => [i, v])
    : Object.entries(node as Record<string, unknown>);
  for (const [k, v] of entries) {
    const child = [...path, k];
    const value = p.value(child);
    const isTable = typeof v === "object" && v !== null && !(v instanceof Date) && !Array.isArray(v);
    const isTableArray =
      Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === "object" && !Array.isArray(e) && !(e instanceof Date));
    if (typeof v === "string") expect(["\"", "'"]).toContain(charAt(source, value));
    else if (typeof v === "number" || typeof v === "boolean" || v instanceof Date)
      expect(charAt(source, value)).toMatch(/[-+0-9a-z]/);
    else if (Array.isArray(v) && value !== undefined) expect(charAt(source, value)).toBe("[");
    else if (isTable && value !== undefined) expect(charAt(source, value)).toBe("{");
    else if (!isTable && !isTableArray) throw new Error(`no value position for ${JSON.stringify(child)}`);
    if (value === undefined) expect(p.key(child)).toBeDefined();
    checked++;
    if (typeof v === "object" && v !== null && !(v instanceof Date)) checked += checkAgainstParser(source, p, v, child);
  }
  return checked;
}

function pos(line: number, col: number): { line: number; col: number } {
  return { line, col };
}

/** Seeded PRNG (mulberry32) so the fuzz cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRealistic(source: string): void {
  const p = scanPositions(source);
  expect(p.key(["bot", "name"])).toEqual(pos(4, 1));
  expect(p.value(["bot", "name"])).toEqual(pos(4, 8));
  expect(p.value(["bot", "log_level"])).toEqual(pos(5, 13));
  expect(p.key(["http"])).toEqual(pos(7, 2));
  expect(p.value(["http"])).toBeUndefined();
  expect(p.key(["feeds"])).toEqual(pos(11, 2));
  expect(p.key(["feeds", "alpha"])).toEqual(pos(11, 8));
  expect(p.value(["feeds", "alpha", "instruments"])).toEqual(pos(15, 15));
  expect(p.value(["feeds", "alpha", "instruments", 0])).toEqual(pos(16, 3));
  expect(p.value(["feeds", "alpha", "instruments", 1])).toEqual(pos(17, 3));
  expect(p.value(["feeds", "alpha", "instruments", 2])).toEqual(pos(18, 3));
  expect(p.value(["feeds", "alpha", "instruments", 3])).toBeUndefined();
  expect(p.value(["strategies", "perp_spread", "quote_rates"])).toEqual(pos(24, 15));
  expect(p.key(["strategies", "perp_spread", "quote_rates", "USDC_USDT"])).toEqual(pos(24, 17));
  expect(p.value(["strategies", "perp_spread", "quote_rates", "USDC_USDT"])).toEqual(pos(24, 29));
  expect(p.key(["strategies", "perp_spread", "quote_rates", "EUR_USD"])).toEqual(pos(24, 34));
  expect(p.value(["strategies", "perp_spread", "quote_rates", "EUR_USD"])).toEqual(pos(24, 44));
  expect(p.value(["notifiers", "tg", "chat_ids", 0])).toEqual(pos(29, 13));
  expect(p.key(["alerts"])).toEqual(pos(31, 3));
  expect(p.key(["alerts", "routes"])).toEqual(pos(31, 10));
  expect(p.key(["alerts", "routes", 0])).toEqual(pos(31, 10));
  expect(p.value(["alerts", "routes", 0, "notifiers", 1])).toEqual(pos(33, 20));
  expect(p.key(["alerts", "routes", 1])).toEqual(pos(36, 10));
  expect(p.value(["alerts", "routes", 1, "min_severity"])).toEqual(pos(37, 16));
  expect(p.value(["alerts", "routes", 1, "notifiers", 0])).toEqual(pos(38, 14));
  expect(p.key(["alerts", "routes", 2])).toBeUndefined();
  expect(p.value(["schedules", 0, "run"])).toEqual(pos(42, 7));
}

describe("scanPositions", () => {
  it("positions keys, values and array elements of a realistic config", () => {
    checkRealistic(CONFIG);
  });

  it("gives the same positions for CRLF line endings", () => {
    checkRealistic(CONFIG.replaceAll("\n", "\r\n"));
  });

  it("does not count a UTF-8 byte order mark as a column", () => {
    checkRealistic(`\uFEFF${CONFIG}`);
  });

  it("locates a missing key at its nearest existing ancestor", () => {
    const p = scanPositions(CONFIG);
    expect(p.locate(["bot", "name"])).toEqual(pos(4, 8));
    expect(p.locate(["http"])).toEqual(pos(7, 2));
    expect(p.locate(["alerts", "routes", 1, "cooldown_ms"])).toEqual(pos(36, 10));
    expect(p.locate(["feeds", "alpha", "instruments", 7])).toEqual(pos(15, 15));
    expect(p.locate(["nowhere", "at_all"])).toEqual(pos(1, 1));
    expect(p.locate([])).toEqual(pos(1, 1));
  });

  it("has a fitting position for every path the TOML parser returns", () => {
    const sources = [CONFIG, CONFIG.replaceAll("\n", "\r\n"), FRUITS, STRINGS, SCALARS, INLINE, UNICODE];
    for (const source of sources) {
      const parsed = parse(source);
      expect(checkAgainstParser(source, scanPositions(source), parsed, [])).toBeGreaterThan(3);
    }
  });

  it("ignores keys inside comments", () => {
    const p = scanPositions("# a = 1\nb = 2 # c = 3\n  # [d]\ne = 4");
    expect(p.key(["a"])).toBeUndefined();
    expect(p.key(["c"])).toBeUndefined();
    expect(p.key(["d"])).toBeUndefined();
    expect(p.key(["b"])).toEqual(pos(2, 1));
    expect(p.key(["e"])).toEqual(pos(4, 1));
  });

  it("reads bare, basic and literal quoted keys as single keys", () => {
    const p = scanPositions(`"a.b" = 1\n'lit\\x' = 2\n"q\\"k" = 3\n"\\u00e9t\\u00e9" = 4\n"" = 5\n1234 = 6`);
    expect(p.key(["a.b"])).toEqual(pos(1, 1));
    expect(p.key(["a"])).toBeUndefined();
    expect(p.key(["lit\\x"])).toEqual(pos(2, 1));
    expect(p.key(['q"k'])).toEqual(pos(3, 1));
    expect(p.value(['q"k'])).toEqual(pos(3, 10));
    expect(p.key(["été"])).toEqual(pos(4, 1));
    expect(p.key([""])).toEqual(pos(5, 1));
    expect(p.key(["1234"])).toEqual(pos(6, 1));
  });

  it("positions every segment of dotted keys, spaces around dots included", () => {
    const p = scanPositions(`a.b.c = 1\n"x y".z = 2\nsite . "google.com" = true`);
    expect(p.key(["a"])).toEqual(pos(1, 1));
    expect(p.key(["a", "b"])).toEqual(pos(1, 3));
    expect(p.key(["a", "b", "c"])).toEqual(pos(1, 5));
    expect(p.value(["a", "b", "c"])).toEqual(pos(1, 9));
    expect(p.key(["x y", "z"])).toEqual(pos(2, 7));
    expect(p.value(["x y", "z"])).toEqual(pos(2, 11));
    expect(p.key(["site", "google.com"])).toEqual(pos(3, 8));
    expect(p.value(["site", "google.com"])).toEqual(pos(3, 23));
  });

  it("resolves table headers with quoted and spaced segments", () => {
    const p = scanPositions(`[a."b.c".d]\nx = 1\n[ dog . "tater.man" ]\ntype.name = "pug"`);
    expect(p.key(["a", "b.c"])).toEqual(pos(1, 4));
    expect(p.key(["a", "b.c", "d"])).toEqual(pos(1, 10));
    expect(p.key(["a", "b.c", "d", "x"])).toEqual(pos(2, 1));
    expect(p.key(["dog", "tater.man"])).toEqual(pos(3, 9));
    expect(p.value(["dog", "tater.man", "type", "name"])).toEqual(pos(4, 13));
  });

  it("numbers arrays of tables, sub-tables and nested arrays of tables", () => {
    const p = scanPositions(FRUITS);
    expect(p.key(["fruits", 0])).toEqual(pos(1, 3));
    expect(p.key(["fruits", 0, "physical", "color"])).toEqual(pos(4, 1));
    expect(p.value(["fruits", 0, "varieties", 0, "name"])).toEqual(pos(6, 8));
    expect(p.value(["fruits", 0, "varieties", 1, "name"])).toEqual(pos(8, 8));
    expect(p.key(["fruits", 1])).toEqual(pos(9, 3));
    expect(p.value(["fruits", 1, "name"])).toEqual(pos(10, 8));
    expect(p.value(["fruits", 1, "varieties", 0, "name"])).toEqual(pos(12, 8));
    expect(p.key(["fruits", 1, "varieties", 1])).toBeUndefined();
    expect(p.key(["fruits", 1, "varieties", 0, "notes", "text"])).toEqual(pos(14, 1));
    expect(p.key(["fruits", 2])).toBeUndefined();
  });

  it("positions an array of tables under an ordinary table", () => {
    const p = scanPositions("[a]\nx = 1\n[[a.b]]\ny = 2\n[[a.b]]\ny = 3");
    expect(p.key(["a", "x"])).toEqual(pos(2, 1));
    expect(p.key(["a", "b", 0, "y"])).toEqual(pos(4, 1));
    expect(p.value(["a", "b", 1, "y"])).toEqual(pos(6, 5));
  });

  it("walks nested inline tables and arrays of inline tables", () => {
    const p = scanPositions(INLINE);
    expect(p.value(["t"])).toEqual(pos(1, 5));
    expect(p.key(["t", "a"])).toEqual(pos(1, 7));
    expect(p.value(["t", "b"])).toEqual(pos(1, 18));
    expect(p.key(["t", "b", "c"])).toEqual(pos(1, 20));
    expect(p.value(["t", "b", "c"])).toEqual(pos(1, 24));
    expect(p.key(["t", "d", "e"])).toEqual(pos(1, 31));
    expect(p.value(["points", 0])).toEqual(pos(2, 12));
    expect(p.key(["points", 0, "y"])).toEqual(pos(2, 21));
    expect(p.value(["points", 1])).toEqual(pos(2, 30));
    expect(p.value(["points", 1, "y", "z"])).toEqual(pos(2, 49));
    expect(p.key(["after"])).toEqual(pos(3, 1));
  });

  it("numbers nested arrays and arrays spread over lines with comments", () => {
    const src = "m = [\n  [1, 2], # row 0\n  # a comment line, ] [ \n  [3,\n   4,],\n]\nz = 1";
    const p = scanPositions(src);
    expect(p.value(["m", 0, 1])).toEqual(pos(2, 7));
    expect(p.value(["m", 1])).toEqual(pos(4, 3));
    expect(p.value(["m", 1, 1])).toEqual(pos(5, 4));
    expect(p.value(["m", 2])).toBeUndefined();
    expect(p.key(["z"])).toEqual(pos(7, 1));
  });

  it("is not confused by brackets, hashes, equals and quotes inside strings", () => {
    const p = scanPositions(STRINGS);
    expect(p.key(["x"])).toBeUndefined();
    expect(p.key(["y"])).toBeUndefined();
    for (const [k, line] of [["b", 5], ["c", 6], ["d", 7], ["e", 8], ["f", 9], ["g", 10], ["h", 12]] as const) {
      expect(p.key([k])).toEqual(pos(line, 1));
      expect(p.value([k])).toEqual(pos(line, 5));
    }
    expect(p.value(["h", 1])).toEqual(pos(12, 11));
    expect(p.value(["h", 2])).toEqual(pos(12, 16));
    expect(p.value(["h", 3])).toEqual(pos(13, 7));
    expect(p.value(["h", 4])).toBeUndefined();
    expect(p.value(["j", 2])).toEqual(pos(14, 27));
    expect(p.key(["i"])).toEqual(pos(15, 1));
  });

  it("steps over numbers, dates, times and booleans", () => {
    const p = scanPositions(SCALARS);
    expect(p.value(["d1"])).toEqual(pos(1, 6));
    expect(p.value(["n"])).toEqual(pos(2, 5));
    expect(p.value(["inf"])).toEqual(pos(5, 7));
    expect(p.value(["arr", 0])).toEqual(pos(6, 8));
    expect(p.value(["arr", 1])).toEqual(pos(6, 29));
    expect(p.value(["arr", 2])).toEqual(pos(6, 35));
    expect(p.value(["arr", 3])).toEqual(pos(6, 40));
    expect(p.value(["arr", 4])).toEqual(pos(6, 50));
    expect(p.value(["arr", 5])).toBeUndefined();
    expect(p.key(["next"])).toEqual(pos(7, 1));
  });

  it("counts columns in code points after non-ASCII text", () => {
    const src = `t = { s = "🚀🚀", k = 1 }\n"日本" = "値"; x = 1\nname = "héllo wörld" # ünï\nw = 1`;
    const p = scanPositions(src);
    expect(p.key(["t", "k"])).toEqual(pos(1, 17));
    expect(p.value(["t", "k"])).toEqual(pos(1, 21));
    expect(p.key(["日本"])).toEqual(pos(2, 1));
    expect(p.value(["日本"])).toEqual(pos(2, 8));
    expect(p.key(["x"])).toBeUndefined();
    expect(p.key(["w"])).toEqual(pos(4, 1));
  });

  it("keeps the first definition when a key is duplicated", () => {
    const p = scanPositions("a = 1\na = 2\n[t]\n[t]\nb = 1");
    expect(p.value(["a"])).toEqual(pos(1, 5));
    expect(p.key(["t"])).toEqual(pos(3, 2));
    expect(p.key(["t", "b"])).toEqual(pos(5, 1));
  });

  it("never throws on malformed input and keeps what precedes the damage", () => {
    const broken = [
      "", "[", "[[", "]]", "a", "a =", "a = [", "a = {", 'a = "', "a = '''", "[a.", "= 1", "a.=1", '"', "{", "}",
      "a = [1, 2\nb = 3", "a = { b = 1\nc = 2", "a = 1 2 3", "[a]]\nb=1", "a = \\", "a = [,,]", "a = {,}",
      "[".repeat(50_000), `a = ${"[".repeat(50_000)}`, `a = ${"{ b = ".repeat(20_000)}`, '"\\', "a = \"\\u00",
    ];
    for (const src of broken) {
      expect(() => scanPositions(src).locate(["a", "b", 0])).not.toThrow();
    }
    const p = scanPositions(`${CONFIG.slice(0, CONFIG.indexOf("[strategies"))}x = [1, {`);
    expect(p.value(["feeds", "alpha", "instruments", 2])).toEqual(pos(18, 3));
    expect(p.value(["feeds", "alpha", "x"])).toEqual(pos(21, 5));
  });

  it("survives random truncations and mutations of a config", () => {
    const rand = rng(20261124);
    const noise = ['"', "'", "[", "]", "{", "}", "=", ",", ".", "#", "\n", "\\", "'''", '"""', "🚀", "\r"];
    for (let n = 0; n < 500; n++) {
      let src = CONFIG.slice(0, Math.floor(rand() * (CONFIG.length + 1)));
      for (let m = Math.floor(rand() * 4); m > 0; m--) {
        const at = Math.floor(rand() * (src.length + 1));
        const piece = noise[Math.floor(rand() * noise.length)] ?? "";
        src = rand() < 0.5 ? src.slice(0, at) + piece + src.slice(at) : src.slice(0, at) + src.slice(at + 1);
      }
      const p = scanPositions(src);
      const loc = p.locate(["alerts", "routes", 1, "notifiers", 0]);
      expect(loc.line).toBeGreaterThanOrEqual(1);
      expect(loc.col).toBeGreaterThanOrEqual(1);
    }
  });
});
