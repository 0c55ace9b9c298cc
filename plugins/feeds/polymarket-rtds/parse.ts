/**
 * Pure parsing of RTDS frames into domain events: reference prices (`crypto_prices` Binance,
 * `crypto_prices_chainlink` — the resolution source of up/down markets —, `equity_prices`, Chainlink TWAP)
 * → `price.tick`; `activity` trades → `trade`; `comments` → `polymarket.comment`. Keep-alive frames (blank,
 * `PONG`) and frames without `payload` are not data (RTDC dispatches only frames with a payload).
 */
import type { PriceTick, Trade } from "../../../core/events.ts";
import type { RtdsActivityTrade, RtdsComment, RtdsEnvelope, RtdsPriceSnapshot, RtdsPriceUpdate } from "./messages.ts";

/** Topics whose payload is a reference price. */
export const PRICE_TOPICS = ["crypto_prices", "crypto_prices_chainlink", "equity_prices", "crypto_prices_twap_thirty", "crypto_prices_twap_sixty"] as const;
export type PriceTopic = (typeof PRICE_TOPICS)[number];

/** A comment on an event or series. */
export interface RtdsCommentEvent {
  readonly feed: string;
  readonly type: string;
  readonly id: string;
  readonly body: string;
  readonly parentEntityID: number | undefined;
  readonly parentEntityType: string | undefined;
  readonly parentCommentID: string | undefined;
  readonly userAddress: string | undefined;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

export type RtdsEvent =
  | { readonly kind: "price"; readonly topic: string; readonly tick: PriceTick; readonly carriedForward: boolean }
  | { readonly kind: "trade"; readonly trade: Trade; readonly eventSlug: string | undefined }
  | { readonly kind: "comment"; readonly comment: RtdsCommentEvent };

export interface RtdsFrame {
  readonly events: RtdsEvent[];
  /** Shapes of elements that could not be read. */
  readonly problems: string[];
  /** Envelopes seen, by topic (the stall watchdog: data is flowing). */
  readonly topics: { readonly topic: string; readonly symbol: string | undefined }[];
  /** A server message without payload (`{"message":"Invalid request body"}`): a rejected subscription. */
  readonly notices: string[];
}

/**
 * The normalized key of a reference symbol: `btcusdt` → `BTC-USDT`, `btc/usd` → `BTC-USD`, `aapl` →
 * `AAPL`. Keys name the quote currency, never equate it (SURFACE.md).
 */
export function priceKey(topic: string, symbol: string): string {
  const s = symbol.toUpperCase();
  if (s.includes("/")) return s.replace("/", "-");
  if (topic === "crypto_prices") {
    for (const quote of ["USDT", "USDC", "FDUSD", "USD"]) if (s.endsWith(quote) && s.length > quote.length) return `${s.slice(0, -quote.length)}-${quote}`;
  }
  return s;
}

const isPriceTopic = (t: string): t is PriceTopic => (PRICE_TOPICS as readonly string[]).includes(t);

function finite(n: unknown, what: string): number {
  if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`${what}: expected a number`);
  return n;
}

function parseEnvelope(env: RtdsEnvelope, feed: string, tsRecv: number, out: RtdsFrame): void {
  const topic = env.topic;
  if (isPriceTopic(topic)) {
    const p = env.payload as RtdsPriceUpdate & Partial<RtdsPriceSnapshot>;
    if (typeof p.symbol !== "string") throw new Error(`${topic}: payload.symbol missing`);
    out.topics.push({ topic, symbol: p.symbol });
    let value: number;
    let ts: number;
    if (Array.isArray(p.data)) {
      // backfill on subscribe: the newest point is the current value
      const last = p.data.at(-1);
      if (last === undefined) return;
      value = finite(last.value, `${topic}.data.value`);
      ts = finite(last.timestamp, `${topic}.data.timestamp`);
    } else {
      value = finite(p.value, `${topic}.value`);
      ts = finite(p.timestamp ?? env.timestamp, `${topic}.timestamp`);
    }
    const tick: PriceTick = { feed, instrument: p.symbol, key: priceKey(topic, p.symbol), tsEvent: ts, tsRecv, price: value, source: topic };
    out.events.push({ kind: "price", topic, tick, carriedForward: p.is_carried_forward === true });
    return;
  }
  switch (topic) {
    case "activity": {
      out.topics.push({ topic, symbol: undefined });
      if (env.type !== "trades" && env.type !== "orders_matched") return;
      const p = env.payload as RtdsActivityTrade;
      if (typeof p.asset !== "string") throw new Error("activity: payload.asset missing");
      const trade: Trade = {
        feed,
        instrument: p.asset,
        key: p.asset,
        tsEvent: finite(p.timestamp, "activity.timestamp") * 1000, // seconds on the wire
        tsRecv,
        price: finite(p.price, "activity.price"),
        size: finite(p.size, "activity.size"),
        side: p.side === "BUY" ? "buy" : p.side === "SELL" ? "sell" : "unknown",
        ...(p.transactionHash === undefined ? {} : { tradeId: p.transactionHash }),
      };
      out.events.push({ kind: "trade", trade, eventSlug: p.eventSlug });
      return;
    }
    case "comments": {
      out.topics.push({ topic, symbol: undefined });
      const p = env.payload as RtdsComment;
      out.events.push({
        kind: "comment",
        comment: {
          feed,
          type: env.type,
          id: String(p.id),
          body: p.body ?? "",
          parentEntityID: p.parentEntityID,
          parentEntityType: p.parentEntityType,
          parentCommentID: p.parentCommentID,
          userAddress: p.userAddress,
          tsEvent: env.timestamp,
          tsRecv,
        },
      });
      return;
    }
    default:
      throw new Error(`topic:${topic}`);
  }
}

/** Parses one RTDS frame. */
export function parseRtdsFrame(text: string, tsRecv: number, feed: string): RtdsFrame {
  const out: RtdsFrame = { events: [], problems: [], topics: [], notices: [] };
  const t = text.trim();
  if (t === "" || t === "PONG" || t === "pong") return out;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    out.problems.push("json");
    return out;
  }
  for (const el of Array.isArray(value) ? value : [value]) {
    if (typeof el !== "object" || el === null) {
      out.problems.push("json: expected an object");
      continue;
    }
    const env = el as Partial<RtdsEnvelope> & { message?: unknown };
    if (env.payload === undefined || typeof env.topic !== "string") {
      out.notices.push(typeof env.message === "string" ? env.message : JSON.stringify(el).slice(0, 120));
      continue;
    }
    try {
      parseEnvelope(env as RtdsEnvelope, feed, tsRecv, out);
    } catch (error) {
      out.problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return out;
}
