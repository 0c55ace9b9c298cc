/**
 * An observable socket seam: wraps a `SocketFactory` so a listener (the recorder) sees each socket's
 * open, close, connect error and client-side terminate. Frames are not its business (they travel as
 * `frame.raw`); the recorder needs the lifecycle so replay closes sockets where the venue closed them.
 * The process that records also tells the recorder which config file it runs.
 */
import type { SocketFactory, SocketHandlers, WsSocket } from "../ws/socket.ts";

/** One socket lifecycle event. `connection` is `<feed>#<shard>`. */
export interface SocketEvent {
  readonly kind: "open" | "close" | "error" | "terminate";
  readonly connection: string;
  readonly url: string;
  /** Close code or HTTP status, when there is one. */
  readonly code?: number | undefined;
  readonly reason?: string | undefined;
  /** Wall time of the event, ms. */
  readonly ts: number;
}

/** A socket factory whose lifecycle can be observed. */
export interface ObservedSockets extends SocketFactory {
  /** Adds a listener; returns its removal. */
  observe(listener: (e: SocketEvent) => void): () => void;
  /** The config file the process runs, for the recording's meta. */
  readonly configFile: string | undefined;
}

/** True when the runtime's socket seam is observable (`ctx.sockets`). */
export function isObservedSockets(f: SocketFactory): f is ObservedSockets {
  return typeof (f as Partial<ObservedSockets>).observe === "function";
}

/**
 * Wraps `base` so listeners see each socket's lifecycle. `now` stamps events (the runtime's clock).
 *
 * @example
 * const sockets = observeSockets(bunSocketFactory, { configFile: file });
 * await startBot(config, { transport: { sockets } });
 */
export function observeSockets(base: SocketFactory, options: { configFile?: string; now?: () => number } = {}): ObservedSockets {
  const listeners = new Set<(e: SocketEvent) => void>();
  const now = options.now ?? Date.now;
  const emit = (e: SocketEvent): void => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own; the socket keeps working
      }
    }
  };
  const factory = function observedSocketFactory(url: string, handlers: SocketHandlers, options: Parameters<SocketFactory>[2]): WsSocket {
    if (listeners.size === 0) return base(url, handlers, options);
    const connection = options.connection;
    const wrapped: SocketHandlers = {
      onOpen() {
        emit({ kind: "open", connection, url, ts: now() });
        handlers.onOpen();
      },
      onMessage: (data) => handlers.onMessage(data),
      onPing: () => handlers.onPing(),
      onPong: () => handlers.onPong(),
      onError(message, status) {
        emit({ kind: "error", connection, url, code: status, reason: message, ts: now() });
        handlers.onError(message, status);
      },
      onClose(code, reason) {
        emit({ kind: "close", connection, url, code, reason, ts: now() });
        handlers.onClose(code, reason);
      },
    };
    const socket = base(url, wrapped, options);
    return {
      send: (data) => socket.send(data),
      ping: () => socket.ping(),
      terminate() {
        emit({ kind: "terminate", connection, url, ts: now() });
        socket.terminate();
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
    };
  } as ObservedSockets;
  Object.defineProperty(factory, "configFile", { value: options.configFile, enumerable: true });
  (factory as { observe: ObservedSockets["observe"] }).observe = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return factory;
}
