/**
 * Wraps any `SocketFactory` (the real one included) to count sockets alive per connection id: the
 * single-flight assertion for tests on a real network.
 */
import type { SocketFactory } from "../../core/ws/socket.ts";

/** Counts of sockets per connection id. */
export interface SocketTracker {
  readonly factory: SocketFactory;
  /** Sockets created per connection id. */
  readonly created: Map<string, number>;
  /** Sockets alive now per connection id (created, not closed and not terminated). */
  readonly alive: Map<string, number>;
  /** The most alive at once per connection id. */
  readonly maxAlive: Map<string, number>;
}

/**
 * @example
 * const t = trackSockets(bunSocketFactory, (url, id) => `${url}?c=${encodeURIComponent(id)}`);
 * new WsShards({ ..., socketFactory: t.factory });
 * expect(Math.max(...t.maxAlive.values())).toBe(1);
 */
export function trackSockets(inner: SocketFactory, rewriteUrl?: (url: string, connection: string) => string): SocketTracker {
  const created = new Map<string, number>();
  const alive = new Map<string, number>();
  const maxAlive = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, d: number): number => {
    const n = (m.get(k) ?? 0) + d;
    m.set(k, n);
    return n;
  };
  const factory: SocketFactory = (url, handlers, options) => {
    const id = options.connection;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      add(alive, id, -1);
    };
    add(created, id, 1);
    const n = add(alive, id, 1);
    if (n > (maxAlive.get(id) ?? 0)) maxAlive.set(id, n);
    const socket = inner(
      rewriteUrl === undefined ? url : rewriteUrl(url, id),
      {
        ...handlers,
        onClose(code, reason) {
          end();
          handlers.onClose(code, reason);
        },
      },
      options,
    );
    return {
      send: (d) => socket.send(d),
      ping: () => socket.ping(),
      terminate() {
        end();
        socket.terminate();
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
    };
  };
  return { factory, created, alive, maxAlive };
}
