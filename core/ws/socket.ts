/**
 * The socket seam: the connection talks to a `WsSocket` made by a `SocketFactory`, so unit tests drive
 * opens, closes and frames by hand (no network) and production uses Bun's global `WebSocket` client.
 */

/** What a socket reports back. Exactly one of `onClose` per socket, after which nothing else is called. */
export interface SocketHandlers {
  onOpen(): void;
  /** One frame: text as a string, binary as bytes. */
  onMessage(data: string | Uint8Array): void;
  /** A protocol-level ping frame arrived (the client has already answered it with a pong). */
  onPing(): void;
  /** A protocol-level pong frame arrived. */
  onPong(): void;
  /** The socket failed. `status` is the HTTP status when the upgrade was refused (429, 503, 401…). */
  onError(message: string, status: number | undefined): void;
  onClose(code: number, reason: string): void;
}

/** A live socket as the connection sees it. */
export interface WsSocket {
  send(data: string | Uint8Array): void;
  /** Sends a protocol-level ping frame. */
  ping(): void;
  /** Ends the socket now, without waiting for the peer. No handler is called afterwards. */
  terminate(): void;
  /** Bytes queued but not yet sent (a slow network or a stalled peer). */
  readonly bufferedAmount: number;
}

/** Per-connect options: headers are built fresh for each attempt (signed venue auth needs a new timestamp). */
export interface SocketOptions {
  /** The connection asking (`<feed>#<shard>`), for logs and test fakes. */
  readonly connection: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * Opens one socket to `url` and reports through `handlers`. Handlers may be called before the factory
 * returns (the connection holds them until it has stored the socket); after `terminate()` they should
 * not be called, and the connection ignores them if they are.
 *
 * @example
 * const factory: SocketFactory = (url, handlers) => new MySocket(url, handlers);
 */
export type SocketFactory = (url: string, handlers: SocketHandlers, options: SocketOptions) => WsSocket;

const statusPattern = /Expected 101 status code: (\d{3})/;

/** Reads the HTTP status out of a failed upgrade's error text, when the runtime put it there. */
export function upgradeStatus(message: string): number | undefined {
  const m = statusPattern.exec(message);
  return m === null ? undefined : Number(m[1]);
}

/**
 * The default factory: Bun's global `WebSocket`. Handlers are detached on close or terminate, so a socket
 * that is gone holds no reference to the connection (thousands of reconnects do not grow memory).
 */
export const bunSocketFactory: SocketFactory = function openBunSocket(url, handlers, options) {
  const ws =
    options.headers === undefined
      ? new WebSocket(url)
      : new WebSocket(url, { headers: { ...options.headers } } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  let h: SocketHandlers | undefined = handlers;

  function detach(): void {
    h = undefined;
    ws.onopen = null;
    ws.onmessage = null;
    ws.onerror = null;
    ws.onclose = null;
    ws.removeEventListener("ping", onPingEvent);
    ws.removeEventListener("pong", onPongEvent);
  }
  function onPingEvent(): void {
    h?.onPing();
  }
  function onPongEvent(): void {
    h?.onPong();
  }

  ws.onopen = function onBunOpen() {
    h?.onOpen();
  };
  ws.onmessage = function onBunMessage(ev) {
    const d: unknown = ev.data;
    if (typeof d === "string") h?.onMessage(d);
    else if (d instanceof ArrayBuffer) h?.onMessage(new Uint8Array(d));
    else if (d instanceof Uint8Array) h?.onMessage(d);
  };
  ws.onerror = function onBunError(ev) {
    const message = (ev as ErrorEvent).message ?? "socket error";
    h?.onError(message, upgradeStatus(message));
  };
  ws.onclose = function onBunClose(ev) {
    const target = h;
    detach();
    target?.onClose(ev.code, ev.reason);
  };
  ws.addEventListener("ping", onPingEvent);
  ws.addEventListener("pong", onPongEvent);

  return {
    send(data) {
      ws.send(data as string | ArrayBufferView<ArrayBuffer>);
    },
    ping() {
      (ws as unknown as { ping(): void }).ping();
    },
    terminate() {
      detach();
      try {
        (ws as unknown as { terminate(): void }).terminate();
      } catch {
        // already closed: nothing to end
      }
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
};
