/**
 * The REST seam between feeds and the network: every answer a feed fetches can be recorded (a
 * `frame.raw` event with `source: "rest"`, emitted only while something listens) and replay swaps the
 * underlying fetch for one that answers from the recording.
 */
import type { Bus } from "./bus.ts";
import type { Clock } from "./clock.ts";

/** A fetch function (the global one's call signature). */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Calls `base` and, while `frame.raw` has listeners, emits the answer's text with its request URL.
 * The body is read from a clone, so the caller still reads the original response.
 */
export async function tappedFetch(base: Fetch, bus: Bus, clock: Clock, feed: string, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await base(input, init);
  if (bus.listenerCount("frame.raw") === 0) return response;
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const text = await response.clone().text();
  bus.emit("frame.raw", {
    feed,
    connection: `${feed}#rest`,
    data: text,
    tsRecv: clock.now(),
    tsRecvNs: BigInt(Math.round(performance.timeOrigin * 1e6)) + BigInt(Math.round(performance.now() * 1e6)),
    source: "rest",
    url: `${init?.method ?? "GET"} ${url}${typeof init?.body === "string" ? ` ${init.body}` : ""}`,
  });
  return response;
}
