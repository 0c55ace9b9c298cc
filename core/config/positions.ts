/**
 * Source positions for TOML keys and values. The TOML parser returns plain objects (only syntax errors
 * carry positions), so config errors find their `file:LINE:COL` here: a small lexer for TOML 1.0 that walks
 * headers, dotted keys, arrays, inline tables and every string form, and records where each key path is
 * defined. It never throws: on malformed input it records what it could (the parser reports the syntax error).
 *
 * Lines and columns are 1-based; columns count Unicode code points (a tab is one column, a UTF-8 BOM is not
 * counted). Paths are arrays: table keys are strings, array indices (static arrays and `[[arrays of tables]]`)
 * are numbers: `["alerts", "routes", 0, "notifiers", 1]`. Every segment of a dotted key or header is recorded
 * at its own token, first definition wins: in `[feeds.x]`, `["feeds"]` is at column 2 and `["feeds", "x"]` at 8;
 * `["alerts", "routes", 1]` is the `routes` token of the second `[[alerts.routes]]` header.
 */

/** A 1-based line and column; the column counts Unicode code points. */
export interface SourcePos {
  line: number;
  col: number;
}

/** Positions of every key path of one TOML source. */
export interface KeyPositions {
  /** Position of the KEY token that defines path (for a table header: the header's key). */
  key(path: readonly (string | number)[]): SourcePos | undefined;
  /** Position of the VALUE for path (first char of the value), or undefined for tables. */
  value(path: readonly (string | number)[]): SourcePos | undefined;
  /** Best position for a path: value if known, else key, else the nearest existing ancestor's position, else {line:1,col:1}. */
  locate(path: readonly (string | number)[]): SourcePos;
}

interface Segment {
  name: string;
  at: number;
}

/** Deeper nesting than this is skipped (not recorded) so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 100;
const ESCAPES: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", e: "\x1b", '"': '"', "\\": "\\" };
const DATE_ONLY = /^\d{4}-\d\d-\d\d$/;

/** Scans a TOML source and returns the positions of its keys and values. Never throws. */
export function scanPositions(source: string): KeyPositions {
  const scanner = new Scanner(source);
  scanner.run();
  return new Positions(source, scanner.keys, scanner.values);
}

/**
 * A path's map id, built one segment at a time: `,"feeds","x",0`. Strings are JSON-quoted (control characters
 * escaped), numbers are bare, so two different paths never share an id.
 */
function childId(parent: string, segment: string | number): string {
  if (typeof segment === "number") return `${parent},${segment}`;
  return /^[\w -]*$/.test(segment) ? `${parent},"${segment}"` : `${parent},${JSON.stringify(segment)}`;
}

function pathId(path: readonly (string | number)[]): string {
  let id = "";
  for (const segment of path) id = childId(id, segment);
  return id;
}

/** ASCII lookup: BARE_KEY = may appear in a bare key, SCALAR = in a number, boolean, date or time. */
const BARE_KEY = 1;
const SCALAR = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_-]/.test(ch)) CHAR_CLASS[c] = BARE_KEY | SCALAR;
  else if (/[+.:]/.test(ch)) CHAR_CLASS[c] = SCALAR;
}

function isClass(s: string, i: number, mask: number): boolean {
  return ((CHAR_CLASS[s.charCodeAt(i)] ?? 0) & mask) !== 0;
}

function unescapeBasic(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^])/g, (whole: string, e: string) => {
    if (e.length > 1) {
      const cp = Number.parseInt(e.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return ESCAPES[e] ?? whole;
  });
}

class Scanner {
  /** Path id → offset of the key token / of the value's first character; the first definition wins. */
  readonly keys = new Map<string, number>();
  readonly values = new Map<string, number>();
  /** Resolved path id of each array of tables → how many elements it has so far. */
  private readonly arrays = new Map<string, number>();
  private table = "";
  private i: number;

  constructor(private readonly s: string) {
    this.i = s.startsWith("\uFEFF") ? 1 : 0;
  }

  run(): void {
    const s = this.s;
    while (this.i < s.length) {
      this.skipBlank();
      if (this.i >= s.length) break;
      if (s[this.i] === "[") this.header(s[this.i + 1] === "[");
      else this.keyValue(this.table, 0);
      this.skipLine();
    }
  }

  private mark(map: Map<string, number>, id: string, at: number): void {
    if (!map.has(id)) map.set(id, at);
  }

  /** `[a.b]` or `[[a.b]]`: resolves earlier arrays of tables to their latest element. */
  private header(isArray: boolean): void {
    this.i += isArray ? 2 : 1;
    const segments = this.dottedKey();
    if (segments.length === 0) return;
    let id = "";
    segments.forEach((seg, k) => {
      id = childId(id, seg.name);
      this.mark(this.keys, id, seg.at);
      const count = this.arrays.get(id);
      if (isArray && k === segments.length - 1) {
        this.arrays.set(id, (count ?? 0) + 1);
        id = childId(id, count ?? 0);
        this.mark(this.keys, id, seg.at);
      } else if (count !== undefined) {
        id = childId(id, count - 1);
      }
    });
    this.table = id;
  }

  /** `key = value` relative to base; false when no `=` follows a key. */
  private keyValue(base: string, depth: number): boolean {
    const segments = this.dottedKey();
    if (segments.length === 0 || this.s[this.i] !== "=") return false;
    this.i++;
    let id = base;
    for (const seg of segments) {
      id = childId(id, seg.name);
      this.mark(this.keys, id, seg.at);
    }
    this.skipSpaces();
    this.value(id, depth);
    return true;
  }

  /** One or more simple keys joined by dots (whitespace allowed around the dots). */
  private dottedKey(): Segment[] {
    const segments: Segment[] = [];
    for (;;) {
      this.skipSpaces();
      const at = this.i;
      const name = this.simpleKey();
      if (name === undefined) return segments;
      segments.push({ name, at });
      this.skipSpaces();
      if (this.s[this.i] !== ".") return segments;
      this.i++;
    }
  }

  private simpleKey(): string | undefined {
    const s = this.s;
    const c = s[this.i];
    if (c === '"' || c === "'") {
      const start = this.i;
      this.string();
      const raw = s.slice(start + 1, s[this.i - 1] === c && this.i - 1 > start ? this.i - 1 : this.i);
      return c === '"' ? unescapeBasic(raw) : raw;
    }
    const start = this.i;
    while (isClass(s, this.i, BARE_KEY)) this.i++;
    return this.i > start ? s.slice(start, this.i) : undefined;
  }

  private value(id: string, depth: number): void {
    const c = this.s[this.i];
    if (c === undefined || "\r\n#,]}".includes(c)) return;
    this.mark(this.values, id, this.i);
    if (c === '"' || c === "'") this.string();
    else if ((c === "[" || c === "{") && depth >= MAX_DEPTH) this.skipNested();
    else if (c === "[") this.array(id, depth);
    else if (c === "{") this.inlineTable(id, depth);
    else this.scalar();
  }

  private array(id: string, depth: number): void {
    let index = 0;
    this.items("]", () => this.value(childId(id, index++), depth + 1));
  }

  private inlineTable(id: string, depth: number): void {
    this.items("}", () => this.keyValue(id, depth + 1));
  }

  /** Items of an array or inline table (the cursor is on its opener) up to `close`; always advances. */
  private items(close: string, item: () => void): void {
    this.i++;
    for (;;) {
      this.skipBlank();
      const c = this.s[this.i];
      if (c === undefined) return;
      if (c === close || c === ",") {
        this.i++;
        if (c === close) return;
        continue;
      }
      const before = this.i;
      item();
      if (this.i === before) this.i++;
    }
  }

  /** Skips a too-deep array or inline table without recording, still honouring strings. */
  private skipNested(): void {
    let open = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"' || c === "'") {
        this.string();
        continue;
      }
      if (c === "[" || c === "{") open++;
      else if (c === "]" || c === "}") open--;
      this.i++;
      if (open === 0) return;
    }
  }

  /** Numbers, booleans, dates and times (`1979-05-27 07:32:00Z` included); always advances. */
  private scalar(): void {
    const s = this.s;
    const start = this.i;
    while (isClass(s, this.i, SCALAR)) this.i++;
    if (DATE_ONLY.test(s.slice(start, this.i)) && s[this.i] === " " && /\d/.test(s[this.i + 1] ?? "")) {
      this.i++;
      while (isClass(s, this.i, SCALAR)) this.i++;
    }
    if (this.i === start) this.i++;
  }

  /** Any string form; the cursor is on its opening quote. Escapes only in basic strings. */
  private string(): void {
    const s = this.s;
    const q = s[this.i] ?? '"';
    const basic = q === '"';
    const multi = s.startsWith(q + q + q, this.i);
    this.i += multi ? 3 : 1;
    while (this.i < s.length) {
      const c = s[this.i];
      if (basic && c === "\\") {
        this.i += 2;
        continue;
      }
      if (!multi && (c === q || c === "\n")) {
        if (c === q) this.i++;
        return;
      }
      if (multi && s.startsWith(q + q + q, this.i)) {
        this.i += 3;
        for (let extra = 0; extra < 2 && s[this.i] === q; extra++) this.i++;
        return;
      }
      this.i++;
    }
    this.i = s.length;
  }

  private skipSpaces(): void {
    while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i++;
  }

  /** Whitespace, newlines and comments. */
  private skipBlank(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === " " || c === "\t" || c === "\r" || c === "\n") this.i++;
      else if (c === "#") while (this.i < s.length && s[this.i] !== "\n") this.i++;
      else return;
    }
  }

  /** Past the end of the current line (trailing comments and garbage included). */
  private skipLine(): void {
    const next = this.s.indexOf("\n", this.i);
    this.i = next === -1 ? this.s.length : next + 1;
  }
}

class Positions implements KeyPositions {
  private lineStarts: number[] | undefined;

  constructor(
    private readonly source: string,
    private readonly keys: ReadonlyMap<string, number>,
    private readonly values: ReadonlyMap<string, number>,
  ) {}

  key(path: readonly (string | number)[]): SourcePos | undefined {
    const at = this.keys.get(pathId(path));
    return at === undefined ? undefined : this.toPos(at);
  }

  value(path: readonly (string | number)[]): SourcePos | undefined {
    const at = this.values.get(pathId(path));
    return at === undefined ? undefined : this.toPos(at);
  }

  locate(path: readonly (string | number)[]): SourcePos {
    for (let n = path.length; n > 0; n--) {
      const id = pathId(path.slice(0, n));
      const at = this.values.get(id) ?? this.keys.get(id);
      if (at !== undefined) return this.toPos(at);
    }
    return { line: 1, col: 1 };
  }

  private toPos(offset: number): SourcePos {
    const starts = (this.lineStarts ??= lineStartsOf(this.source));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    let col = 1;
    for (let j = starts[lo] ?? 0; j < offset; j++) {
      const code = this.source.charCodeAt(j);
      const lowAfterHigh = code >= 0xdc00 && code <= 0xdfff && j > 0 && isHighSurrogate(this.source.charCodeAt(j - 1));
      if (!lowAfterHigh) col++;
    }
    return { line: lo + 1, col };
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function lineStartsOf(source: string): number[] {
  const starts = [source.startsWith("\uFEFF") ? 1 : 0];
  for (let j = source.indexOf("\n"); j !== -1; j = source.indexOf("\n", j + 1)) starts.push(j + 1);
  return starts;
}
