/**
 * How the states of a feed's connections add up to one feed state (`feed.status`), and the counters
 * that add up to `FeedStats`.
 */
import type { FeedState } from "../events.ts";
import type { ConnectionState } from "./connection.ts";

/** One connection's state and why, as the aggregate sees it. */
export interface ShardState {
  readonly id: string;
  readonly state: ConnectionState;
  readonly reason: string;
}

/** A feed state with its plain-sentence reasons. */
export interface AggregateStatus {
  readonly state: FeedState;
  readonly reasons: readonly string[];
}

/**
 * Aggregates connection states into the feed's state:
 * - no connection (nothing subscribed yet) → `live` ("nothing subscribed");
 * - every connection live → `live`;
 * - some live, some not → `degraded`, one reason per connection that is not live;
 * - none live: every one faulted → `faulted`; any stale → `stale`; all still on their first attempt →
 *   `connecting`; otherwise → `reconnecting`.
 *
 * @example
 * aggregateStatus([{ id: "f#0", state: "live", reason: "" }, { id: "f#1", state: "reconnecting", reason: "closed" }]);
 * // { state: "degraded", reasons: ["f#1 reconnecting: closed"] }
 */
export function aggregateStatus(shards: readonly ShardState[]): AggregateStatus {
  if (shards.length === 0) return { state: "live", reasons: ["nothing subscribed"] };
  let live = 0;
  let faulted = 0;
  let stale = 0;
  let starting = 0;
  const reasons: string[] = [];
  for (const s of shards) {
    switch (s.state) {
      case "live":
        live++;
        continue;
      case "faulted":
        faulted++;
        break;
      case "stale":
        stale++;
        break;
      case "idle":
      case "connecting":
        starting++;
        break;
      case "reconnecting":
      case "stopped":
        break;
    }
    reasons.push(`${s.id} ${s.state === "idle" ? "waiting to connect" : s.state}: ${s.reason}`);
  }
  if (live === shards.length) return { state: "live", reasons: [] };
  if (live > 0) return { state: "degraded", reasons };
  if (faulted === shards.length) return { state: "faulted", reasons };
  if (stale > 0) return { state: "stale", reasons };
  if (starting === shards.length) return { state: "connecting", reasons };
  return { state: "reconnecting", reasons };
}
