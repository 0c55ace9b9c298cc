/**
 * Client-message pacing: Binance drops a connection that sends more than 10 messages a second. This
 * wraps a socket factory so every socket sends at most `perSecond` frames in any 1000 ms window and
 * queues the rest (in order) on the injected clock. Binance counts PING frames as messages too: a protocol
 * ping goes out at once (a late ping would look like a dead socket) but takes its place in the window.
 */
import type { Clock, TimerHandle } from "../../../core/clock.ts";
import type { SocketFactory, WsSocket } from "../../../core/ws/socket.ts";

/**
 * A factory whose sockets pace `send`.
 *
 * @example
 * socketFactory: pacedSockets(ctx.sockets, ctx.clock, 5)
 */
export function pacedSockets(inner: SocketFactory, clock: Clock, perSecond: number): SocketFactory {
  return function openPaced(url, handlers, options) {
    const socket = inner(url, handlers, options);
    const sentAt: number[] = [];
    const queue: (string | Uint8Array)[] = [];
    let timer: TimerHandle | undefined;
    let ended = false;

    function budget(now: number): boolean {
      while (sentAt.length > 0 && now - sentAt[0]! >= 1000) sentAt.shift();
      return sentAt.length < perSecond;
    }
    function flush(): void {
      timer = undefined;
      if (ended) return;
      const now = clock.now();
      while (queue.length > 0 && budget(now)) {
        sentAt.push(now);
        try {
          socket.send(queue.shift()!);
        } catch {
          // the socket is failing; its close is reported through the handlers
          ended = true;
          queue.length = 0;
          return;
        }
      }
      if (queue.length > 0) timer = clock.setTimeout(flush, Math.max(1, sentAt[0]! + 1000 - now));
    }
    const paced: WsSocket = {
      send(data) {
        if (ended) return;
        queue.push(data);
        if (timer === undefined) flush();
      },
      ping() {
        budget(clock.now());
        sentAt.push(clock.now());
        socket.ping();
      },
      terminate() {
        ended = true;
        queue.length = 0;
        clock.clearTimeout(timer);
        socket.terminate();
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
    };
    return paced;
  };
}
