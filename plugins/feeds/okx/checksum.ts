/**
 * OKX book checksum (okx.md): CRC32 (zlib/IEEE) of the first 25 bids and asks interleaved as
 * `bid1px:bid1sz:ask1px:ask1sz:…` (the shorter side's missing entries skipped), from the ORIGINAL price and
 * size strings, read as a signed 32-bit integer. A value of 0 means "not sent" (2026 deprecation).
 *
 * The store keeps numbers in base units, so the feed keeps the venue's strings beside it (`OkxLevelStrings`)
 * and the checksum walks the store's book order and looks the strings up: a level missing from or wrongly
 * ordered in the store's book changes the string and fails the check.
 */
import type { BookView } from "../../../core/market.ts";
import type { OkxLevel } from "./messages.ts";

/** Signed CRC32 of a string. */
export function okxCrc32(text: string): number {
  return Bun.hash.crc32(text) | 0;
}

/** The checksum string of raw levels (best first), as the venue builds it. */
export function okxChecksumString(bids: readonly (readonly [string, string, ...unknown[]])[], asks: readonly (readonly [string, string, ...unknown[]])[]): string {
  const parts: string[] = [];
  const n = Math.min(25, Math.max(bids.length, asks.length));
  for (let i = 0; i < n; i++) {
    const b = bids[i];
    const a = asks[i];
    if (b !== undefined) parts.push(b[0], b[1]);
    if (a !== undefined) parts.push(a[0], a[1]);
  }
  return parts.join(":");
}

/** The checksum of raw levels (best first). */
export function okxChecksum(bids: readonly (readonly [string, string, ...unknown[]])[], asks: readonly (readonly [string, string, ...unknown[]])[]): number {
  return okxCrc32(okxChecksumString(bids, asks));
}

/** CRC32 (IEEE, reflected) byte table. */
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Per length n: the linear map "append n zero bytes" on a CRC, as four byte tables (zlib's crc32_combine). */
const SHIFT_TABLES: Int32Array[] = [];

function shiftTable(n: number): Int32Array {
  let tab = SHIFT_TABLES[n];
  if (tab === undefined) {
    tab = new Int32Array(1024);
    for (let j = 0; j < 4; j++) {
      for (let b = 0; b < 256; b++) {
        let r = b << (8 * j);
        for (let i = 0; i < n; i++) r = CRC_TABLE[r & 0xff]! ^ (r >>> 8);
        tab[j * 256 + b] = r;
      }
    }
    SHIFT_TABLES[n] = tab;
  }
  return tab;
}

/** crc32(A) → the part of crc32(A ‖ B) that A contributes, for |B| = n bytes. */
function shiftCrc(crc: number, n: number): number {
  while (n > 64) {
    crc = shiftCrc(crc, 64);
    n -= 64;
  }
  const t = SHIFT_TABLES[n] ?? shiftTable(n);
  return t[crc & 0xff]! ^ t[256 + ((crc >>> 8) & 0xff)]! ^ t[512 + ((crc >>> 16) & 0xff)]! ^ t[768 + (crc >>> 24)]!;
}

const COLON_CRC = Bun.hash.crc32(":") | 0;

/**
 * One level's `price:size` text with its CRC32 and the CRC32 of `:` + text, so a book's checksum is
 * combined from per-level CRCs (crc32(A ‖ B) = shift(crc32(A), |B|) ⊕ crc32(B)) instead of joining and
 * hashing a ~600-byte string on every update.
 */
interface LevelText {
  readonly text: string;
  readonly crc: number;
  readonly sepCrc: number;
  readonly len: number;
}

function levelText(text: string): LevelText {
  const crc = Bun.hash.crc32(text) | 0;
  return { text, crc, sepCrc: shiftCrc(COLON_CRC, text.length) ^ crc, len: text.length + 1 };
}

/** The venue's `price:size` strings of one book, by numeric price. */
export class OkxLevelStrings {
  readonly bids = new Map<number, LevelText>();
  readonly asks = new Map<number, LevelText>();

  /** Replaces everything (snapshot). */
  load(bids: readonly OkxLevel[], asks: readonly OkxLevel[]): void {
    this.bids.clear();
    this.asks.clear();
    this.apply(bids, asks);
  }

  /** Applies changed levels; size "0" (any zero spelling) deletes. */
  apply(bids: readonly OkxLevel[], asks: readonly OkxLevel[]): void {
    for (const l of bids) set(this.bids, l);
    for (const l of asks) set(this.asks, l);
  }

  /** The checksum string of the book as the store holds it (top 25 in the store's order). */
  stringFor(book: BookView): string | undefined {
    const parts: string[] = [];
    const nb = Math.min(25, book.levels("bid"));
    const na = Math.min(25, book.levels("ask"));
    const n = Math.max(nb, na);
    for (let i = 0; i < n; i++) {
      if (i < nb) {
        const s = this.bids.get(book.price("bid", i));
        if (s === undefined) return undefined;
        parts.push(s.text);
      }
      if (i < na) {
        const s = this.asks.get(book.price("ask", i));
        if (s === undefined) return undefined;
        parts.push(s.text);
      }
    }
    return parts.join(":");
  }

  /**
   * True when the store's book matches the venue's checksum: the CRC of `stringFor(book)`, combined
   * level by level (same walk, same lookups, no string built).
   */
  verify(book: BookView, expected: number): boolean {
    const nb = Math.min(25, book.levels("bid"));
    const na = Math.min(25, book.levels("ask"));
    const n = Math.max(nb, na);
    let crc = 0;
    let first = true;
    for (let i = 0; i < n; i++) {
      for (let side = 0; side < 2; side++) {
        if (i >= (side === 0 ? nb : na)) continue;
        const e = side === 0 ? this.bids.get(book.price("bid", i)) : this.asks.get(book.price("ask", i));
        if (e === undefined) return false;
        if (first) {
          crc = e.crc;
          first = false;
        } else {
          crc = shiftCrc(crc, e.len) ^ e.sepCrc;
        }
      }
    }
    return (first ? Bun.hash.crc32("") | 0 : crc | 0) === expected;
  }
}

function set(side: Map<number, LevelText>, l: OkxLevel): void {
  const px = +l[0];
  if (+l[1] === 0) side.delete(px);
  else side.set(px, levelText(`${l[0]}:${l[1]}`));
}
