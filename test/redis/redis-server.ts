/**
 * A real `redis-server` for tests: started on a free 127.0.0.1 port in a temp folder, stopped and
 * restarted on the same port and folder (with `appendonly` the streams survive the restart).
 */
import { RedisClient, type Subprocess } from "bun";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * True when the tests should run: `redis-server` is installed (CI installs the Debian package). Without
 * it the tests fail with the reason, unless EDGEWATCH_SKIP_REDIS=1 says to skip them on purpose.
 */
export function haveRedis(): boolean {
  if (Bun.which("redis-server") !== null) return true;
  if (process.env.EDGEWATCH_SKIP_REDIS === "1") return false;
  throw new Error("redis-server is not installed: apt-get install -y redis-server (or set EDGEWATCH_SKIP_REDIS=1 to skip the Redis tests)");
}

async function freePort(): Promise<number> {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** A running test server. */
export class TestRedis {
  readonly dir: string;
  readonly appendonly: boolean;
  port = 0;
  #proc: Subprocess | undefined;

  private constructor(appendonly: boolean) {
    this.dir = mkdtempSync(join(tmpdir(), "edgewatch-redis-"));
    this.appendonly = appendonly;
  }

  static async start(options: { appendonly?: boolean } = {}): Promise<TestRedis> {
    const r = new TestRedis(options.appendonly === true);
    r.port = await freePort();
    await r.#spawn();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A client for the test's own checks. */
  async client(): Promise<RedisClient> {
    const c = new RedisClient(this.url);
    await c.connect();
    return c;
  }

  /** Stops the server (SIGTERM: it writes out its append-only file first). */
  async stop(): Promise<void> {
    const p = this.#proc;
    this.#proc = undefined;
    if (p === undefined) return;
    p.kill("SIGTERM");
    await p.exited;
  }

  /** Starts it again on the same port and folder. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  async #spawn(): Promise<void> {
    const args = ["redis-server", "--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", ""];
    args.push(...(this.appendonly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]));
    this.#proc = Bun.spawn(args, { stdout: "ignore", stderr: "ignore" });
    for (let i = 0; i < 200; i++) {
      try {
        const c = new RedisClient(this.url, { autoReconnect: false, connectionTimeout: 200 });
        await c.connect();
        const pong = await c.send("PING", []);
        c.close();
        if (pong === "PONG") return;
      } catch {
        // not up yet
      }
      await Bun.sleep(25);
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }
}
