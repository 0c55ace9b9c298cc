/**
 * A TCP proxy in front of a fake venue that can stop forwarding bytes: the faithful half-open socket.
 * A WebSocket server answers protocol pings by itself, so a dead peer that still "holds" the socket can
 * only be played below the WebSocket layer.
 */
import type { Socket, TCPSocketListener } from "bun";

interface Pipe {
  client: Socket<PipeRef>;
  upstream: Socket<PipeRef> | undefined;
  toUpstream: Uint8Array[];
  toClient: Uint8Array[];
  closed: boolean;
}

interface PipeRef {
  pipe: Pipe | undefined;
}

function flush(socket: Socket<PipeRef>, queue: Uint8Array[]): void {
  while (queue.length > 0) {
    const chunk = queue[0]!;
    const n = socket.write(chunk);
    if (n === chunk.byteLength) queue.shift();
    else {
      queue[0] = chunk.subarray(Math.max(0, n));
      return; // the drain handler continues
    }
  }
}

/**
 * Forwards 127.0.0.1:<port> to a target port; `blackhole()` silently drops every byte both ways while
 * keeping both TCP connections open.
 *
 * @example
 * const proxy = await TcpProxy.start(venue.port);
 * // connect the feed to `ws://127.0.0.1:${proxy.port}/ws`, then:
 * proxy.blackhole(true);
 */
export class TcpProxy {
  readonly port: number;
  #listener: TCPSocketListener<PipeRef>;
  #pipes = new Set<Pipe>();
  #blackhole = false;
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(listener: TCPSocketListener<PipeRef>) {
    this.#listener = listener;
    this.port = listener.port;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `targetPort` there. */
  static start(targetPort: number): TcpProxy {
    let self: TcpProxy | undefined;
    const listener = Bun.listen<PipeRef>({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        open(client) {
          const pipe: Pipe = { client, upstream: undefined, toUpstream: [], toClient: [], closed: false };
          client.data = { pipe };
          self!.accepted++;
          self!.#pipes.add(pipe);
          void Bun.connect<PipeRef>({
            hostname: "127.0.0.1",
            port: targetPort,
            data: { pipe },
            socket: {
              open(up) {
                if (pipe.closed) return void up.end();
                pipe.upstream = up;
                flush(up, pipe.toUpstream);
              },
              data(_up, data) {
                if (self!.#blackhole || pipe.closed) return;
                pipe.toClient.push(new Uint8Array(data));
                flush(pipe.client, pipe.toClient);
              },
              drain(up) {
                flush(up, pipe.toUpstream);
              },
              close() {
                self!.#end(pipe);
              },
              error() {
                self!.#end(pipe);
              },
            },
          }).catch(() => self!.#end(pipe));
        },
        data(client, data) {
          const pipe = client.data.pipe;
          if (pipe === undefined || self!.#blackhole || pipe.closed) return;
          pipe.toUpstream.push(new Uint8Array(data));
          if (pipe.upstream !== undefined) flush(pipe.upstream, pipe.toUpstream);
        },
        drain(client) {
          const pipe = client.data.pipe;
          if (pipe !== undefined) flush(client, pipe.toClient);
        },
        close(client) {
          if (client.data.pipe !== undefined) self!.#end(client.data.pipe);
        },
        error(client) {
          if (client.data.pipe !== undefined) self!.#end(client.data.pipe);
        },
      },
    });
    self = new TcpProxy(listener);
    return self;
  }

  /** Drops every byte both ways (true) or forwards again (false). Connections stay open. */
  blackhole(on: boolean): void {
    this.#blackhole = on;
  }

  /** Connections open through the proxy now. */
  get open(): number {
    return this.#pipes.size;
  }

  /** Ends every proxied connection at once. */
  dropAll(): void {
    for (const p of [...this.#pipes]) this.#end(p);
  }

  stop(): void {
    this.dropAll();
    this.#listener.stop(true);
  }

  #end(pipe: Pipe): void {
    if (pipe.closed) return;
    pipe.closed = true;
    this.#pipes.delete(pipe);
    pipe.client.end();
    pipe.upstream?.end();
  }
}
