/**
 * Events the RTDS feed adds to the event map (declaration merging): comments on events and series.
 * Reference prices travel as `price.tick` and platform trades as `trade`.
 */
import type { RtdsCommentEvent } from "./parse.ts";

declare module "../../../core/events.ts" {
  interface EventMap {
    "polymarket.comment": RtdsCommentEvent;
  }
}

export type { RtdsCommentEvent };
