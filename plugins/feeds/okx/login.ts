/**
 * OKX WebSocket login, needed on the public endpoint for `books-l2-tbt` (VIP6+) and `books50-l2-tbt`
 * (VIP5+): `{"op":"login","args":[{apiKey, passphrase, timestamp, sign}]}` with
 * `sign = Base64(HMAC-SHA256(secret, timestamp + "GET" + "/users/self/verify"))`, timestamp in Unix seconds.
 * Subscriptions wait for the venue's `login` answer on each new socket.
 */
import { createHmac } from "node:crypto";

export interface OkxCredentials {
  readonly apiKey: string;
  readonly secretKey: string;
  readonly passphrase: string;
}

/** The login frame for `nowMs`. */
export function okxLoginFrame(creds: OkxCredentials, nowMs: number): string {
  const timestamp = String(Math.floor(nowMs / 1000));
  const sign = createHmac("sha256", creds.secretKey).update(`${timestamp}GET/users/self/verify`).digest("base64");
  return JSON.stringify({ op: "login", args: [{ apiKey: creds.apiKey, passphrase: creds.passphrase, timestamp, sign }] });
}

interface GateState {
  generation: number;
  loggedIn: boolean;
  queued: string[];
}

/**
 * Per-connection login state: the first subscription on a new socket sends the login frame and queues the
 * ids; the venue's `login` answer releases them.
 */
export class OkxLoginGate {
  readonly #creds: OkxCredentials;
  readonly #states = new Map<string, GateState>();

  constructor(creds: OkxCredentials) {
    this.#creds = creds;
  }

  /** Frames to send now for `ids` on connection `conn` (its current socket is `generation`). */
  frames(conn: string, generation: number, ids: readonly string[], nowMs: number, encode: (ids: readonly string[]) => string[]): string[] {
    const st = this.#states.get(conn);
    if (st !== undefined && st.generation === generation) {
      if (st.loggedIn) return encode(ids);
      st.queued.push(...ids);
      return [];
    }
    this.#states.set(conn, { generation, loggedIn: false, queued: [...ids] });
    return [okxLoginFrame(this.#creds, nowMs)];
  }

  /** The venue accepted the login on `conn`: the queued ids, to subscribe now. */
  onLogin(conn: string): string[] {
    const st = this.#states.get(conn);
    if (st === undefined) return [];
    st.loggedIn = true;
    const ids = st.queued;
    st.queued = [];
    return ids;
  }
}
