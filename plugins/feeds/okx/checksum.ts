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

/** The venue's `price:size` strings of one book, by numeric price. */
export class OkxLevelStrings {
  readonly bids = new Map<number, string>();
  readonly asks = new Map<number, string>();

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
        parts.push(s);
      }
      if (i < na) {
        const s = this.asks.get(book.price("ask", i));
        if (s === undefined) return undefined;
        parts.push(s);
      }
    }
    return parts.join(":");
  }

  /** True when the store's book matches the venue's checksum. */
  verify(book: BookView, expected: number): boolean {
    const s = this.stringFor(book);
    return s !== undefined && okxCrc32(s) === expected;
  }
}

function set(side: Map<number, string>, l: OkxLevel): void {
  const px = +l[0];
  if (+l[1] === 0) side.delete(px);
  else side.set(px, `${l[0]}:${l[1]}`);
}
