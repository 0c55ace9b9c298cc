/**
 * The Polymarket book hash (verified on the official SDKs' worked example and on live captures): SHA-1 hex
 * of the compact JSON of the book summary with `hash` set to `""`, keys in the Go struct order
 * `market, asset_id, timestamp, hash, bids, asks, min_order_size, tick_size, neg_risk, last_trade_price`,
 * levels as `{"price","size"}` strings in the order they arrived on the wire.
 *
 * The WS `book` lacks `min_order_size` and `neg_risk`: they come from the market's metadata (REST book,
 * Gamma `orderMinSize` / `negRisk`). Pure.
 */
import { createHash } from "node:crypto";
import type { PolyLevel, PolyRestBook } from "./messages.ts";

/** Every input of the hash, as strings exactly as the venue wrote them: a REST book less its own hash. */
export type BookHashInput = Omit<PolyRestBook, "hash">;

/** The SHA-1 hex of a book summary. */
export function bookHash(b: BookHashInput): string {
  // Built field by field: the key order is part of the algorithm, and extra wire fields must not leak in.
  const levels = (ls: readonly PolyLevel[]) => ls.map((l) => ({ price: l.price, size: l.size }));
  const body = JSON.stringify({
    market: b.market,
    asset_id: b.asset_id,
    timestamp: b.timestamp,
    hash: "",
    bids: levels(b.bids),
    asks: levels(b.asks),
    min_order_size: b.min_order_size,
    tick_size: b.tick_size,
    neg_risk: b.neg_risk,
    last_trade_price: b.last_trade_price,
  });
  return createHash("sha1").update(body).digest("hex");
}

/** True for a hash the venue computed (40 hex digits); doc placeholders such as `"0x0...."` are not. */
export function isVerifiableHash(hash: string | undefined): hash is string {
  return typeof hash === "string" && /^[0-9a-f]{40}$/.test(hash);
}

/** What a book's metadata must supply for its WS hash to be checked. */
export interface HashMeta {
  readonly minOrderSize: string;
  readonly negRisk: boolean;
}

/**
 * Checks a WS or REST book's hash. `"unverifiable"` when the hash is a placeholder, or the frame lacks
 * `tick_size`, or the market's `min_order_size`/`neg_risk` are unknown.
 */
export function verifyBookHash(
  wire: {
    readonly market: string;
    readonly asset_id: string;
    readonly timestamp: string;
    readonly hash: string;
    readonly bids: readonly PolyLevel[];
    readonly asks: readonly PolyLevel[];
    readonly tick_size?: string;
    readonly last_trade_price?: string;
    readonly min_order_size?: string;
    readonly neg_risk?: boolean;
  },
  meta: HashMeta | undefined,
): "ok" | "mismatch" | "unverifiable" {
  if (!isVerifiableHash(wire.hash) || wire.tick_size === undefined) return "unverifiable";
  const minOrderSize = wire.min_order_size ?? meta?.minOrderSize;
  const negRisk = wire.neg_risk ?? meta?.negRisk;
  if (minOrderSize === undefined || negRisk === undefined) return "unverifiable";
  const got = bookHash({
    market: wire.market,
    asset_id: wire.asset_id,
    timestamp: wire.timestamp,
    bids: wire.bids,
    asks: wire.asks,
    min_order_size: minOrderSize,
    tick_size: wire.tick_size,
    neg_risk: negRisk,
    last_trade_price: wire.last_trade_price ?? "",
  });
  return got === wire.hash ? "ok" : "mismatch";
}
