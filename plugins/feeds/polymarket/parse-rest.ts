/**
 * Pure parsing of CLOB REST books (`GET /book`, `POST /books` elements, `OrderBookSummary`). Same units
 * as the socket: string prices and sizes → numbers, ms timestamps.
 */
import type { BookSnapshot } from "../../../core/events.ts";
import type { PolyRestBook } from "./messages.ts";
import { num, parseLevels, str } from "./parse.ts";

/** A REST book (`GET /book`, `POST /books`) as a snapshot, plus the metadata it carries. */
export interface PolyRestBookResult {
  readonly market: string;
  readonly book: BookSnapshot;
  readonly minOrderSize: string;
  readonly tickSize: string;
  readonly negRisk: boolean;
  readonly wire: PolyRestBook;
}

/** Parses one `OrderBookSummary`. Throws a plain Error naming the field when it is malformed. */
export function parseRestBook(b: PolyRestBook, feed: string, tsRecv: number): PolyRestBookResult {
  const instrument = str(b.asset_id, "book.asset_id");
  const tick = b.tick_size === undefined || b.tick_size === "" ? undefined : num(b.tick_size, "book.tick_size");
  return {
    market: b.market,
    book: {
      feed,
      instrument,
      key: instrument,
      tsEvent: num(b.timestamp, "book.timestamp"),
      tsRecv,
      bids: parseLevels(b.bids, "book.bids"),
      asks: parseLevels(b.asks, "book.asks"),
      source: "rest",
      ...(tick === undefined ? {} : { tickSize: tick }),
    },
    minOrderSize: b.min_order_size,
    tickSize: b.tick_size,
    negRisk: b.neg_risk === true,
    wire: b,
  };
}
