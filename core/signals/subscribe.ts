/** Subscribing a strategy to instruments rather than to whole feeds. */
import type { Unsubscribe } from "../bus.ts";
import type { FrameEnd } from "../events.ts";
import type { PluginContext } from "../plugin.ts";
import type { LegRef } from "./gate.ts";

/**
 * Subscribes to instruments: calls `fn` after every venue frame that changed one of `refs`, once per
 * frame (books are consistent then). The listener goes away with the strategy.
 *
 * @example
 * onInstruments(ctx, [{ feed: "a", instrument: "X" }, { feed: "b", instrument: "X" }], () => evaluate());
 */
export function onInstruments(
  ctx: Pick<PluginContext<unknown>, "bus">,
  refs: readonly LegRef[],
  fn: (frame: FrameEnd) => void,
): Unsubscribe {
  const byFeed = new Map<string, Set<string>>();
  for (const r of refs) {
    let set = byFeed.get(r.feed);
    if (set === undefined) {
      set = new Set();
      byFeed.set(r.feed, set);
    }
    set.add(r.instrument);
  }
  return ctx.bus.on("frame.end", function onFrameOfInstruments(frame) {
    const wanted = byFeed.get(frame.feed);
    if (wanted !== undefined && frame.instruments.some((i) => wanted.has(i))) fn(frame);
  });
}
