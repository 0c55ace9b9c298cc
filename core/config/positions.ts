/**
 * Source positions for TOML keys and values. The TOML parser returns plain objects (only syntax errors
 * carry positions), so config errors find their `file:LINE:COL` here: a small lexer for TOML 1.0 that walks
 * headers, dotted keys, arrays, inline tables and every string form, and records where each key path is
 * defined. It never throws: on malformed input it records what it could (the parser reports the syntax error).
 *
 * Lines and columns are 1-based; columns count Unicode code points (a tab is one column, a UTF-8 BOM is not
 * counted). Paths are arrays: table keys are strings, array indices (static arrays and `[[arrays of tables]]`)
 * are numbers: `["alerts", "routes", 0, "notifiers", 1]`.
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

type Path = (string | number)[];
interface Entry {
  key?: number;
  value?: number;
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
  return new Positions(source, scanner.entries);
}

function pathId(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

function isBareKeyChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_-]/.test(c);
}

function isScalarChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_+\-.:]/.test(c);
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
  readonly entries = new Map<string, Entry>();
  /** Resolved path of each array of tables → how many elements it has so far. */
  private readonly arrays = new Map<string, number>();
  private table: Path = [];
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

  private mark(path: Path, kind: keyof Entry, at: number): void {
    const id = pathId(path);
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = {};
      this.entries.set(id, entry);
    }
    if (entry[kind] === undefined) entry[kind] = at;
  }

  /** `[a.b]` or `[[a.b]]`: resolves earlier arrays of tables to their latest element. */
  private header(isArray: boolean): void {
    this.i += isArray ? 2 : 1;
    const segments = this.dottedKey();
    if (segments.length === 0) return;
    const resolved: Path = [];
    segments.forEach((seg, k) => {
      resolved.push(seg.name);
      this.mark(resolved, "key", seg.at);
      const id = pathId(resolved);
      const count = this.arrays.get(id);
      if (isArray && k === segments.length - 1) {
        this.arrays.set(id, (count ?? 0) + 1);
        resolved.push(count ?? 0);
        this.mark(resolved, "key", seg.at);
      } else if (count !== undefined) {
        resolved.push(count - 1);
      }
    });
    this.table = resolved;
  }

  /** `key = value` relative to base; false when no `=` follows a key. */
  private keyValue(base: Path, depth: number): boolean {
    const segments = this.dottedKey();
    if (segments.length === 0 || this.s[this.i] !== "=") return false;
    this.i++;
    const path = [...base];
    for (const seg of segments) {
      path.push(seg.name);
      this.mark(path, "key", seg.at);
    }
    this.skipSpaces();
    this.value(path, depth);
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
    while (isBareKeyChar(s[this.i])) this.i++;
    return this.i > start ? s.slice(start, this.i) : undefined;
  }

  private value(path: Path, depth: number): void {
    const c = this.s[this.i];
    if (c === undefined || "\r\n#,]}".includes(c)) return;
    this.mark(path, "value", this.i);
    if (c === '"' || c === "'") this.string();
    else if ((c === "[" || c === "{") && depth >= MAX_DEPTH) this.skipNested();
    else if (c === "[") this.array(path, depth);
    else if (c === "{") this.inlineTable(path, depth);
    else this.scalar();
  }

  private array(path: Path, depth: number): void {
    this.i++;
    let index = 0;
    for (;;) {
      this.skipBlank();
      const c = this.s[this.i];
      if (c === undefined) return;
      if (c === "]" || c === ",") {
        this.i++;
        if (c === "]") return;
        continue;
      }
      const before = this.i;
      this.value([...path, index++], depth + 1);
      if (this.i === before) this.i++;
    }
  }

  private inlineTable(path: Path, depth: number): void {
    this.i++;
    for (;;) {
      this.skipBlank();
      const c = this.s[this.i];
      if (c === undefined) return;
      if (c === "}" || c === ",") {
        this.i++;
        if (c === "}") return;
        continue;
      }
      const before = this.i;
      if (!this.keyValue(path, depth + 1) && this.i === before) this.i++;
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
    while (isScalarChar(s[this.i])) this.i++;
    if (DATE_ONLY.test(s.slice(start, this.i)) && s[this.i] === " " && /\d/.test(s[this.i + 1] ?? "")) {
      this.i++;
      while (isScalarChar(s[this.i])) this.i++;
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
    private readonly entries: ReadonlyMap<string, Entry>,
  ) {}

  key(path: readonly (string | number)[]): SourcePos | undefined {
    const at = this.entries.get(pathId(path))?.key;
    return at === undefined ? undefined : this.toPos(at);
  }

  value(path: readonly (string | number)[]): SourcePos | undefined {
    const at = this.entries.get(pathId(path))?.value;
    return at === undefined ? undefined : this.toPos(at);
  }

  locate(path: readonly (string | number)[]): SourcePos {
    for (let n = path.length; n > 0; n--) {
      const entry = this.entries.get(pathId(path.slice(0, n)));
      const at = entry?.value ?? entry?.key;
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
