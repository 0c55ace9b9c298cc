/**
 * The player: a `SocketFactory` and a `fetch` that answer from a recording, so the real feed plugins
 * run unchanged (their connections, parsers and writers) while the driver moves a `ManualClock` to each
 * row's receive time and hands the row over.
 *
 * Sockets are matched to the recording by connection id (`<feed>#<shard>`): a socket opens where the
 * recording opened one (or at its first frame when the recording has no lifecycle rows), gets that
 * connection's frames, and closes where the venue closed it, so the feed reconnects and resyncs as it
 * did live. Protocol pings are answered at once. REST calls are answered, per request line, with the
 * recorded answers in order, at the time they were received.
 */
import type { ManualClock } from "../clock.ts";
import type { Fetch } from "../transport.ts";
import type { SocketFactory, SocketHandlers, SocketOptions, WsSocket } from "../ws/socket.ts";
import type { RecordedRow } from "./recording.ts";

/** Counters of a replay's transport: where the replay went a different way than the recording. */
export interface PlayerStats {
  /** Rows handed to the feeds. */
  readonly delivered: number;
  /** Frames whose connection had no open socket at that time (not subscribed, or the replay's own watchdog closed it). */
  readonly undelivered: number;
  /** Sockets the feeds opened. */
  readonly sockets: number;
  /** Frames the feeds sent (subscriptions, heartbeats), ignored. */
  readonly sent: number;
  /** REST calls answered from the recording / refused for want of a recorded answer. */
  readonly restAnswered: number;
  readonly restMissing: number;
}

class PlayerSocket implements WsSocket {
  state: "pending" | "open" | "closed" = "pending";
  readonly bufferedAmount = 0;
  sent = 0;
  constructor(
    readonly handlers: SocketHandlers,
    readonly clock: ManualClock,
  ) {}
  send(): void {
    if (this.state !== "open") throw new Error("send on a socket that is not open");
    this.sent++;
  }
  ping(): void {
    const self = this;
    // answered on the next clock step, after the connection has armed its pong timer
    this.clock.setTimeout(function answerPing() {
      if (self.state === "open") self.handlers.onPong();
    }, 0);
  }
  terminate(): void {
    this.state = "closed";
  }
  open(): void {
    if (this.state !== "pending") return;
    this.state = "open";
    this.handlers.onOpen();
  }
}

interface Lane {
  socket: PlayerSocket | undefined;
  /**
   * The recording opened a socket here while the replayed connection was still waiting to retry: the
   * next socket opens at once and gets the rows queued meanwhile, in order.
   */
  openDue: boolean;
  queue: RecordedRow[];
}

/** Most rows held for a connection that has not reopened yet; older ones are dropped (counted undelivered). */
const maxQueued = 100_000;

interface Waiter {
  resolve(r: Response): void;
  reject(e: Error): void;
}

/**
 * The request line a REST call is matched on: `"<METHOD> <path?query>[ <body>]"`, as `tappedFetch`
 * records it but without scheme and host, so a recording made against one endpoint (a fake venue, a
 * testnet) plays for a config that names another.
 */
export function requestLine(input: RequestInfo | URL, init?: RequestInit): string {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return matchKey(`${init?.method ?? "GET"} ${url}${typeof init?.body === "string" ? ` ${init.body}` : ""}`);
}

/** Drops scheme and host from a recorded request line (`"GET https://h:1/p?q"` → `"GET /p?q"`). */
export function matchKey(line: string): string {
  return line.replace(/^(\S+) [a-z][a-z0-9+.-]*:\/\/[^/\s?#]*/i, "$1 ");
}

/**
 * Plays recorded rows into the feeds.
 *
 * @example
 * const player = new RecordingPlayer(clock, { lifecycle: true, restAnswers: counts });
 * const runtime = new Runtime(config, { clock, transport: player });
 * for (const row of recording.rows()) { clock.advanceTo(row.tsRecv); player.deliver(row); }
 */
export class RecordingPlayer {
  readonly #clock: ManualClock;
  readonly #lifecycle: boolean;
  readonly #lanes = new Map<string, Lane>();
  readonly #answers = new Map<string, Response[]>();
  readonly #waiters = new Map<string, Waiter[]>();
  /** Recorded answers not yet reached, per request line. */
  readonly #ahead: Map<string, number>;
  #delivered = 0;
  #undelivered = 0;
  #sockets = 0;
  #restAnswered = 0;
  #restMissing = 0;
  readonly #all: PlayerSocket[] = [];

  /**
   * `lifecycle`: the recording has open/close rows (recorded through an observable socket seam).
   * `restAnswers`: how many answers the recording holds per request line.
   */
  constructor(clock: ManualClock, options: { lifecycle: boolean; restAnswers: ReadonlyMap<string, number> }) {
    this.#clock = clock;
    this.#lifecycle = options.lifecycle;
    this.#ahead = new Map();
    for (const [line, n] of options.restAnswers) this.#ahead.set(matchKey(line), (this.#ahead.get(matchKey(line)) ?? 0) + n);
  }

  /** The socket seam for `RuntimeOptions.transport`. */
  readonly sockets: SocketFactory = (_url: string, handlers: SocketHandlers, options: SocketOptions): WsSocket => {
    const lane = this.#lane(options.connection);
    const socket = new PlayerSocket(handlers, this.#clock);
    if (lane.socket !== undefined && lane.socket.state !== "closed") lane.socket.state = "closed";
    lane.socket = socket;
    this.#sockets++;
    this.#all.push(socket);
    if (lane.openDue) {
      lane.openDue = false;
      const self = this;
      // opened on the next clock step: the connection stores the socket when this factory returns
      this.#clock.setTimeout(function openDueSocket() {
        if (lane.socket !== socket) return;
        socket.open();
        const queued = lane.queue;
        lane.queue = [];
        for (const row of queued) self.deliver(row);
      }, 0);
    }
    return socket;
  };

  /** The REST seam for `RuntimeOptions.transport`. */
  readonly fetch: Fetch = (input, init) => {
    const line = requestLine(input, init);
    const ready = this.#answers.get(line);
    if (ready !== undefined && ready.length > 0) {
      this.#restAnswered++;
      return Promise.resolve(ready.shift()!);
    }
    if ((this.#ahead.get(line) ?? 0) <= 0) {
      this.#restMissing++;
      return Promise.reject(new TypeError(`replay: the recording holds no (further) answer for ${line}`));
    }
    return new Promise<Response>((resolve, reject) => {
      let list = this.#waiters.get(line);
      if (list === undefined) this.#waiters.set(line, (list = []));
      list.push({ resolve, reject });
    });
  };

  /** Refuses every REST call still waiting (the replay ends or failed). */
  close(): void {
    for (const [line, list] of this.#waiters) for (const w of list) w.reject(new TypeError(`replay ended before the answer to ${line}`));
    this.#waiters.clear();
  }

  /** REST calls waiting for an answer further in the recording. */
  get waiting(): number {
    let n = 0;
    for (const list of this.#waiters.values()) n += list.length;
    return n;
  }

  /**
   * Hands one row to the feeds at the current clock time. Returns true when it resolved a waiting REST
   * call (the driver then lets the feed's continuation run before the next row).
   */
  deliver(row: RecordedRow): boolean {
    if (row.kind !== "rest") {
      const lane = this.#lanes.get(row.connection);
      if (lane !== undefined && lane.openDue && row.kind !== "open") {
        if (lane.queue.length >= maxQueued) this.#undelivered++;
        else lane.queue.push(row);
        return false;
      }
    }
    switch (row.kind) {
      case "ws":
        this.#frame(row);
        return false;
      case "rest":
        return this.#rest(row);
      case "open": {
        const lane = this.#lane(row.connection);
        if (lane.socket !== undefined && lane.socket.state === "pending") lane.socket.open();
        else {
          // a second open while still waiting: the rows queued so far belonged to a socket that is gone
          if (lane.openDue) this.#undelivered += lane.queue.splice(0).filter((r) => r.kind === "ws").length;
          lane.openDue = true;
        }
        return false;
      }
      case "close": {
        const socket = this.#lanes.get(row.connection)?.socket;
        if (socket !== undefined && socket.state === "open") {
          const { code, reason } = lifecycleData(row.data);
          socket.state = "closed";
          socket.handlers.onClose(code ?? 1006, reason ?? "");
        }
        return false;
      }
      case "error": {
        const socket = this.#lanes.get(row.connection)?.socket;
        if (socket !== undefined && socket.state === "pending") {
          const { code, reason } = lifecycleData(row.data);
          socket.state = "closed";
          socket.handlers.onError(reason ?? "connect failed", code);
        }
        return false;
      }
      case "terminate":
        // the client ended that socket itself (watchdog, pong timeout): the replayed connection decides again
        return false;
    }
  }

  stats(): PlayerStats {
    let sent = 0;
    for (const s of this.#all) sent += s.sent;
    return {
      delivered: this.#delivered,
      undelivered: this.#undelivered,
      sockets: this.#sockets,
      sent,
      restAnswered: this.#restAnswered,
      restMissing: this.#restMissing,
    };
  }

  #frame(row: RecordedRow): void {
    const lane = this.#lanes.get(row.connection);
    const socket = lane?.socket;
    if (socket !== undefined && socket.state === "pending" && !this.#lifecycle) socket.open();
    if (socket === undefined || socket.state !== "open") {
      this.#undelivered++;
      return;
    }
    this.#delivered++;
    socket.handlers.onMessage(row.data);
  }

  #rest(row: RecordedRow): boolean {
    const line = matchKey(row.url ?? "");
    this.#ahead.set(line, (this.#ahead.get(line) ?? 1) - 1);
    const response = new Response(typeof row.data === "string" ? row.data : (row.data as Uint8Array<ArrayBuffer>));
    const waiter = this.#waiters.get(line)?.shift();
    this.#delivered++;
    if (waiter !== undefined) {
      this.#restAnswered++;
      waiter.resolve(response);
      return true;
    }
    let list = this.#answers.get(line);
    if (list === undefined) this.#answers.set(line, (list = []));
    list.push(response);
    return false;
  }

  #lane(connection: string): Lane {
    let lane = this.#lanes.get(connection);
    if (lane === undefined) this.#lanes.set(connection, (lane = { socket: undefined, openDue: false, queue: [] }));
    return lane;
  }
}

function lifecycleData(data: string | Uint8Array): { code?: number; reason?: string } {
  try {
    return JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data)) as { code?: number; reason?: string };
  } catch {
    return {};
  }
}
