/**
 * A fake RTDS (`wss://ws-live-data.polymarket.com`) on 127.0.0.1: `{"action":"subscribe"|"unsubscribe",
 * "subscriptions":[…]}` requests (ids as the client computes them), text `PING`/`ping` answered
 * `PONG`/`pong`, a backfill frame on subscribe for price topics, an invalid request answered
 * `{"message":"Invalid request body"}`, and frames (fixtures verbatim) published by topic.
 */
import type { Clock } from "../../../core/clock.ts";
import type { RtdsSubscription } from "../../../plugins/feeds/polymarket-rtds/messages.ts";
import { subscriptionId } from "../../../plugins/feeds/polymarket-rtds/subscriptions.ts";
import { FakeVenue } from "../fake-venue.ts";

const TOPICS = new Set(["crypto_prices", "crypto_prices_chainlink", "equity_prices", "crypto_prices_twap_thirty", "crypto_prices_twap_sixty", "activity", "comments"]);

export class FakeRtds {
  readonly venue: FakeVenue;
  /** Backfill frames sent on subscribe, by topic (verbatim fixture text). */
  readonly backfill = new Map<string, string>();

  constructor(clock?: Clock) {
    const self = this;
    this.venue = FakeVenue.start({
      ...(clock === undefined ? {} : { clock }),
      path: "/",
      heartbeat: (t) => (t === "PING" ? "PONG" : t === "ping" ? "pong" : undefined),
      subscription(text) {
        if (!text.startsWith("{")) return undefined;
        const m = JSON.parse(text) as { action?: string; subscriptions?: RtdsSubscription[] };
        if ((m.action !== "subscribe" && m.action !== "unsubscribe") || !Array.isArray(m.subscriptions)) return undefined;
        if (m.subscriptions.some((s) => !TOPICS.has(s.topic))) return undefined; // answered in onMessage
        return { op: m.action, ids: m.subscriptions.map(subscriptionId) };
      },
      onMessage(client) {
        client.sendRaw(JSON.stringify({ message: "Invalid request body" }));
      },
      onSubscribe(client, ids) {
        for (const id of ids) {
          const frame = self.backfill.get((JSON.parse(id) as RtdsSubscription).topic);
          if (frame !== undefined) client.send(frame);
        }
      },
    });
  }

  get url(): string {
    return this.venue.url;
  }

  /** Sends a frame to every connection subscribed to `topic` (any type/filter). */
  publish(topic: string, frame: string): number {
    let n = 0;
    for (const c of this.venue.live()) {
      if ([...c.subscriptions].some((id) => (JSON.parse(id) as RtdsSubscription).topic === topic) && c.send(frame)) n++;
    }
    return n;
  }

  stop(): void {
    this.venue.stop();
  }
}
