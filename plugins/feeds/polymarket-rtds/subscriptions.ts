/**
 * RTDS subscriptions: built from the config, identified by a canonical JSON id (the connection layer
 * keys subscriptions by string), sent together in one `{"action":"subscribe","subscriptions":[…]}` frame.
 *
 * `crypto_prices` is subscribed without a server filter and filtered here: the docs' comma-separated
 * filter is reported rejected by the live server and the JSON-array form returns nothing (notes).
 */
import type { RtdsSubscription } from "./messages.ts";

/** One `[[feeds.<id>.subscriptions]]` entry in code form. */
export interface SubscriptionSpec {
  readonly topic: string;
  readonly type: string;
  readonly symbols: readonly string[];
  readonly eventSlug?: string;
  readonly marketSlug?: string;
  readonly parentEntityId?: number;
  readonly parentEntityType?: string;
  /** A raw filter string, sent as is (overrides the fields above). */
  readonly filters?: string;
  readonly gammaAuthAddress?: string;
}

/** The canonical string id of a wire subscription (the fake venue uses the same function). */
export function subscriptionId(s: RtdsSubscription): string {
  return JSON.stringify({ topic: s.topic, type: s.type, ...(s.filters === undefined ? {} : { filters: s.filters }) });
}

/** Wire subscriptions of one spec (a filtered price topic gets one per symbol, in the docs' form). */
export function wireSubscriptions(s: SubscriptionSpec): RtdsSubscription[] {
  const auth = s.gammaAuthAddress === undefined ? {} : { gamma_auth: { address: s.gammaAuthAddress } };
  if (s.filters !== undefined) return [{ topic: s.topic, type: s.type, filters: s.filters, ...auth }];
  switch (s.topic) {
    case "crypto_prices":
      return [{ topic: s.topic, type: s.type, ...auth }];
    case "crypto_prices_chainlink":
    case "equity_prices":
    case "crypto_prices_twap_thirty":
    case "crypto_prices_twap_sixty":
      if (s.symbols.length === 0) return [{ topic: s.topic, type: s.type, ...(s.topic === "crypto_prices_chainlink" ? { filters: "" } : {}), ...auth }];
      return s.symbols.map((symbol) => ({ topic: s.topic, type: s.type, filters: JSON.stringify({ symbol }), ...auth }));
    case "activity": {
      const f = s.eventSlug !== undefined ? { event_slug: s.eventSlug } : s.marketSlug !== undefined ? { market_slug: s.marketSlug } : undefined;
      return [{ topic: s.topic, type: s.type, ...(f === undefined ? {} : { filters: JSON.stringify(f) }), ...auth }];
    }
    case "comments": {
      const f = s.parentEntityId === undefined ? undefined : { parentEntityID: s.parentEntityId, parentEntityType: s.parentEntityType ?? "Event" };
      return [{ topic: s.topic, type: s.type, ...(f === undefined ? {} : { filters: JSON.stringify(f) }), ...auth }];
    }
    default:
      return [{ topic: s.topic, type: s.type, ...auth }];
  }
}

/** One request frame for these subscription ids. */
export function encodeRtdsRequest(action: "subscribe" | "unsubscribe", ids: readonly string[], byId: ReadonlyMap<string, RtdsSubscription>): string {
  return JSON.stringify({ action, subscriptions: ids.map((id) => byId.get(id) ?? (JSON.parse(id) as RtdsSubscription)) });
}

/** The symbol a wire subscription is filtered to, if any (to match messages to subscriptions). */
export function filteredSymbol(s: RtdsSubscription): string | undefined {
  if (s.filters === undefined || !s.filters.startsWith("{")) return undefined;
  try {
    const f = JSON.parse(s.filters) as { symbol?: unknown };
    return typeof f.symbol === "string" ? f.symbol.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
