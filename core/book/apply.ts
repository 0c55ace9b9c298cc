/**
 * Applies a frame's parsed store events (snapshots, deltas, tops of book, trades) to a feed's writer and
 * hands back everything else, so a feed keeps only its venue-specific events in its own switch.
 */
import type { BookDelta, BookSnapshot, Trade } from "../events.ts";
import type { TopOfBook } from "./book.ts";
import type { FeedWriter } from "./writer.ts";

/** The parsed events `applyEvents` writes; a feed's own event union may contain these shapes as they are. */
export type StoreEvent =
  | { readonly kind: "snapshot"; readonly book: BookSnapshot; readonly checksum?: number | string }
  | { readonly kind: "delta"; readonly book: BookDelta; readonly checksum?: number | string }
  | { readonly kind: "top"; readonly top: TopOfBook }
  | { readonly kind: "trade"; readonly trade: Trade };

/** The kinds `applyEvents` writes. */
export type StoreEventKind = StoreEvent["kind"];

/** `readonly E[]` when every member of `E` with a store kind has the store event's shape, else `never`. */
type Conforming<E> = [Extract<E, { readonly kind: StoreEventKind }>] extends [StoreEvent] ? readonly E[] : never;

/**
 * Writes the store events of one venue frame, in order, and returns the other events in order (funding,
 * acks, errors, venue kinds) for the feed. A delta's `gap`/`checksum` calls the writer's `onResync` as
 * usual. Call it before the frame's `endFrame`, and emit bus events such as `funding` from the returned
 * list after `endFrame`, so a listener never sees a frame half applied.
 *
 * @example
 * const rest = applyEvents(writer, parseFrame(text, ctx.id, tsRecv));
 * for (const ev of rest) if (ev.kind === "error") conn.malformed(ev.code, ev.message);
 * writer.endFrame(tsRecv);
 * for (const ev of rest) if (ev.kind === "funding") ctx.bus.emit("funding", ev.funding);
 */
export function applyEvents<E extends { readonly kind: string }>(
  writer: Pick<FeedWriter, "snapshot" | "delta" | "quote" | "trade">,
  events: Conforming<E> & readonly E[],
): Exclude<E, { readonly kind: StoreEventKind }>[] {
  const rest: Exclude<E, { readonly kind: StoreEventKind }>[] = [];
  for (const e of events) {
    const ev = e as unknown as StoreEvent;
    switch (ev.kind) {
      case "snapshot":
        writer.snapshot(ev.book, ev.checksum);
        break;
      case "delta":
        writer.delta(ev.book, ev.checksum);
        break;
      case "top":
        writer.quote(ev.top);
        break;
      case "trade":
        writer.trade(ev.trade);
        break;
      default:
        rest.push(e as Exclude<E, { readonly kind: StoreEventKind }>);
    }
  }
  return rest;
}
