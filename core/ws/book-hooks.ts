/**
 * The book bookkeeping every sharded feed needs around its subscriptions: books of (re)subscribed ids
 * go to `resyncing` until their fresh snapshot, books of a connection that went down go `stale`, and
 * either change is published at once (`endFrame`) so strategies re-evaluate.
 */
import type { Clock } from "../clock.ts";
import type { FeedWriter } from "../book/writer.ts";
import type { SubscribeCause } from "./shards-options.ts";

/** The `onSubscribed` / `onDown` pair `bookHooks` returns, shaped like the `WsShards` hooks. */
export interface BookHooks {
  /** Ids whose subscribe frames go out now: their books resync (except for `resync`, see `bookHooks`). */
  onSubscribed(ids: readonly string[], cause: SubscribeCause): void;
  /** A live connection went away: its ids' books are stale. */
  onDown(ids: readonly string[]): void;
}

/** Why a book resyncs, per subscribe cause (`resync` never gets here: the feed already said why). */
const REASONS: Readonly<Record<Exclude<SubscribeCause, "resync">, string>> = {
  open: "subscribe",
  add: "subscribe",
  reopen: "reconnect",
  move: "move",
};

/**
 * Book hooks for `WsShards`. `toBooks` maps a subscription id to the books it feeds (none for a trades
 * or funding channel, two for a market written as YES and NO books). On every subscribe cause but
 * `resync` the books are marked resyncing with reason `subscribe` (`open`, `add`), `reconnect`
 * (`reopen`) or `move`: the first `open` too, since the store may hold books from before a restart of
 * the feed. `resync` is left alone: the feed asked for it (`ws.resubscribe`) and already marked the
 * books (or marked them stale). A book's first subscription is not counted as a resync (the writer
 * counts only books that held data).
 *
 * @example
 * const books = bookHooks(w, ctx.clock, (topic) => (isBookTopic(topic) ? [symbolOf(topic)] : []));
 * new WsShards({ ..., onSubscribed: books.onSubscribed, onDown: books.onDown, onFrame });
 * // with venue extras:
 * onSubscribed(ids, cause, info) { armTimers(ids); books.onSubscribed(ids, cause); },
 */
export function bookHooks(
  writer: Pick<FeedWriter, "resync" | "markStale" | "endFrame">,
  clock: Clock,
  toBooks: (id: string) => readonly string[],
): BookHooks {
  function booksOf(ids: readonly string[]): string[] {
    const out: string[] = [];
    for (const id of ids) for (const b of toBooks(id)) out.push(b);
    return out;
  }
  return {
    onSubscribed(ids, cause) {
      if (cause === "resync") return;
      const books = booksOf(ids);
      if (books.length === 0) return;
      writer.resync(books, REASONS[cause]);
      writer.endFrame(clock.now());
    },
    onDown(ids) {
      const books = booksOf(ids);
      if (books.length === 0) return;
      writer.markStale(books);
      writer.endFrame(clock.now());
    },
  };
}
