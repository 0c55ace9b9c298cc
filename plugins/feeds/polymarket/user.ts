/**
 * The CLOB `user` channel (the account's own orders and trades; RTDS no longer serves them). Credentials
 * come from env secrets in the config (`api_key = "${POLY_API_KEY}"`), are registered for redaction by
 * the loader, and travel only in the subscribe frame. Events are added to the event map here.
 */
import type { ScopedBus } from "../../../core/bus.ts";
import type { Logger } from "../../../core/log.ts";
import type { PolyUserOrderMsg, PolyUserTradeMsg } from "./messages.ts";
import { parseClobFrame } from "./parse.ts";

/** One of the account's orders changed (PLACEMENT, UPDATE, CANCELLATION). */
export interface PolymarketUserOrder {
  readonly feed: string;
  readonly instrument: string;
  readonly market: string;
  readonly orderId: string;
  readonly side: "buy" | "sell";
  readonly price: number;
  readonly originalSize: number;
  readonly sizeMatched: number;
  readonly type: string;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

/** A trade of the account and its settlement status (MATCHED, MINED, CONFIRMED, RETRYING, FAILED). */
export interface PolymarketUserTrade {
  readonly feed: string;
  readonly instrument: string;
  readonly market: string;
  readonly tradeId: string;
  readonly side: "buy" | "sell";
  readonly price: number;
  readonly size: number;
  readonly status: string;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

declare module "../../../core/events.ts" {
  interface EventMap {
    "polymarket.user_order": PolymarketUserOrder;
    "polymarket.user_trade": PolymarketUserTrade;
  }
}

const sideOf = (s: string): "buy" | "sell" => (s === "SELL" ? "sell" : "buy");

/** Handles one user-channel frame: emits the account's order and trade events. */
export function onUserFrame(text: string, tsRecv: number, feed: string, bus: ScopedBus, log: Logger): void {
  const { events, problems } = parseClobFrame(text, tsRecv, feed);
  for (const p of problems) log.once(`user:${p}`, "warn", "unreadable user-channel message (logged once per shape)", { shape: p });
  for (const ev of events) {
    if (ev.kind === "user_order") {
      const m = ev.msg as PolyUserOrderMsg;
      bus.emit("polymarket.user_order", {
        feed,
        instrument: m.asset_id,
        market: m.market,
        orderId: m.id,
        side: sideOf(m.side),
        price: Number(m.price),
        originalSize: Number(m.original_size),
        sizeMatched: Number(m.size_matched),
        type: m.type,
        tsEvent: ev.tsEvent,
        tsRecv,
      });
    } else if (ev.kind === "user_trade") {
      const m = ev.msg as PolyUserTradeMsg;
      bus.emit("polymarket.user_trade", {
        feed,
        instrument: m.asset_id,
        market: m.market,
        tradeId: m.id,
        side: sideOf(m.side),
        price: Number(m.price),
        size: Number(m.size),
        status: m.status,
        tsEvent: ev.tsEvent,
        tsRecv,
      });
    }
  }
}
