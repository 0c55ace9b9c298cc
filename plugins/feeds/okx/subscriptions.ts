/**
 * OKX subscribe/unsubscribe frames. A subscription id of the connection layer is one instrument; each
 * instrument gets every configured channel. One frame carries many args, kept under OKX's 64 KB limit.
 */

const MAX_FRAME_BYTES = 60_000;

/** Frames that (un)subscribe `channels` for each of `instIds`. */
export function encodeOkxOp(op: "subscribe" | "unsubscribe", instIds: readonly string[], channels: readonly string[]): string[] {
  const frames: string[] = [];
  let args: string[] = [];
  let size = 0;
  for (const instId of instIds) {
    for (const channel of channels) {
      const arg = JSON.stringify({ channel, instId });
      if (size + arg.length > MAX_FRAME_BYTES && args.length > 0) {
        frames.push(`{"op":"${op}","args":[${args.join(",")}]}`);
        args = [];
        size = 0;
      }
      args.push(arg);
      size += arg.length + 1;
    }
  }
  if (args.length > 0) frames.push(`{"op":"${op}","args":[${args.join(",")}]}`);
  return frames;
}

/** The unsubscribe + subscribe pair that makes OKX send a fresh book snapshot for one instrument. */
export function encodeOkxResubscribe(instId: string, channel: string): string[] {
  return [...encodeOkxOp("unsubscribe", [instId], [channel]), ...encodeOkxOp("subscribe", [instId], [channel])];
}
