/**
 * Bybit v5 topic names and request frames (`{"op":"subscribe","args":[…]}`).
 */
import type { BybitChannel, BybitConfig } from "./config.ts";
import type { BybitRequest } from "./messages.ts";

/** Topics per subscribe frame (Bybit refuses more than 10 args in one spot request; we keep one rule). */
export const BYBIT_ARGS_PER_FRAME = 10;

/** The topic of a symbol's channel: `orderbook.50.BTCUSDT`, `tickers.BTCUSDT`, `publicTrade.BTCUSDT`. */
export function bybitTopic(channel: BybitChannel, symbol: string, c: Pick<BybitConfig, "orderbook_depth">): string {
  return channel === "orderbook" ? `orderbook.${c.orderbook_depth}.${symbol}` : `${channel}.${symbol}`;
}

/** The symbol of a topic (the last dot-separated part). */
export function bybitSymbolOf(topic: string): string {
  return topic.slice(topic.lastIndexOf(".") + 1);
}

export function bybitRequest(op: "subscribe" | "unsubscribe", args: readonly string[], reqId: string): string {
  const req: BybitRequest = { op, args, req_id: reqId };
  return JSON.stringify(req);
}

/** The JSON ping (Bybit wants one about every 20 s). */
export function bybitPing(reqId: string): string {
  const req: BybitRequest = { op: "ping", req_id: reqId };
  return JSON.stringify(req);
}

/** True for Bybit's pong (`"ret_msg":"pong"` on linear, `"op":"pong"` on spot). Cheap: runs on every frame. */
export function isBybitPong(frame: string): boolean {
  return frame.length < 200 && (frame.includes('"ret_msg":"pong"') || frame.includes('"op":"pong"'));
}
