/**
 * The `frame.raw` payload a connection emits per frame while something listens. The nanosecond receive
 * time is kept as the `performance.now()` double and turned into a BigInt only when read, so the
 * socket's thread builds no BigInt per frame (the recorder carries the double to its writer thread).
 */
import type { FrameRaw } from "../events.ts";

/** `performance.timeOrigin` in ns: `nsFromPerf` adds it to a `performance.now()` reading. */
export const perfOriginNs = BigInt(Math.round(performance.timeOrigin * 1e6));

/** Receive time in ns (epoch) from a `performance.now()` reading taken on this thread. */
export function nsFromPerf(perfMs: number, originNs: bigint = perfOriginNs): bigint {
  return originNs + BigInt(Math.round(perfMs * 1e6));
}

/** A WebSocket frame as received; `tsRecvNs` is computed from `tsRecvPerf` when read. */
export class RawFrame implements FrameRaw {
  readonly source = "ws" as const;
  constructor(
    readonly feed: string,
    readonly connection: string,
    readonly data: string | Uint8Array,
    readonly tsRecv: number,
    readonly tsRecvPerf: number,
  ) {}

  /** Receive time in ns (`performance.timeOrigin` + `tsRecvPerf`). */
  get tsRecvNs(): bigint {
    return nsFromPerf(this.tsRecvPerf);
  }

  /** The same frame under another feed id (a getter does not survive an object spread). */
  withFeed(feed: string): RawFrame {
    return new RawFrame(feed, this.connection, this.data, this.tsRecv, this.tsRecvPerf);
  }
}
