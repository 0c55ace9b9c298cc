import { describe, expect, it } from "bun:test";
import { ManualClock } from "../clock.ts";
import type { SocketHandlers } from "../ws/socket.ts";
import { matchKey, RecordingPlayer, requestLine } from "./player.ts";
import type { RecordedRow } from "./recording.ts";

function handlers(log: string[]): SocketHandlers {
  return {
    onOpen: () => log.push("open"),
    onMessage: (d) => log.push(`msg ${String(d)}`),
    onPing: () => log.push("ping"),
    onPong: () => log.push("pong"),
    onError: (m, s) => log.push(`error ${s} ${m}`),
    onClose: (c, r) => log.push(`close ${c} ${r}`),
  };
}
const row = (kind: RecordedRow["kind"], tsRecv: number, data = "", url?: string): RecordedRow => ({ kind, feed: "f", connection: kind === "rest" ? "f#rest" : "f#0", tsRecv, url, data });

describe("RecordingPlayer", () => {
  it("does open, feed and close a socket where the recording did, and answer protocol pings", () => {
    const clock = new ManualClock(0);
    const p = new RecordingPlayer(clock, { lifecycle: true, restAnswers: new Map() });
    const log: string[] = [];
    const socket = p.sockets("wss://x", handlers(log), { connection: "f#0" });
    p.deliver(row("ws", 1, "early")); // before the recorded open: not delivered
    p.deliver(row("open", 2));
    p.deliver(row("ws", 3, "a"));
    socket.ping();
    clock.advance(1);
    p.deliver(row("close", 5, JSON.stringify({ code: 1006, reason: "gone" })));
    p.deliver(row("ws", 6, "late"));
    expect(log).toEqual(["open", "msg a", "pong", "close 1006 gone"]);
    expect(p.stats()).toMatchObject({ delivered: 1, undelivered: 2, sockets: 1 });
  });

  it("does queue a connection's rows while it waits to reconnect and hand them over when it opens", () => {
    const clock = new ManualClock(0);
    const p = new RecordingPlayer(clock, { lifecycle: true, restAnswers: new Map() });
    const log: string[] = [];
    p.sockets("wss://x", handlers(log), { connection: "f#0" });
    p.deliver(row("open", 1));
    p.deliver(row("close", 2, JSON.stringify({ code: 1001, reason: "" })));
    p.deliver(row("open", 3)); // the recording reconnected; the replayed connection has not retried yet
    p.deliver(row("ws", 4, "snapshot"));
    p.deliver(row("ws", 5, "delta"));
    p.sockets("wss://x", handlers(log), { connection: "f#0" }); // the retry
    clock.advance(0);
    expect(log).toEqual(["open", "close 1001 ", "open", "msg snapshot", "msg delta"]);
    expect(p.stats().undelivered).toBe(0);
  });

  it("does answer REST calls in recorded order per request line, ignoring the host, at the time of the answer", async () => {
    const clock = new ManualClock(0);
    const restAnswers = new Map([["GET http://fake:1/book?id=1", 2]]);
    const p = new RecordingPlayer(clock, { lifecycle: false, restAnswers });
    const first = p.fetch("https://real.example/book?id=1");
    let settled = false;
    void first.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false); // waits for the recorded answer
    expect(p.deliver(row("rest", 5, "one", "GET http://fake:1/book?id=1"))).toBe(true);
    expect(await (await first).text()).toBe("one");
    p.deliver(row("rest", 6, "two", "GET http://fake:1/book?id=1"));
    expect(await (await p.fetch("https://real.example/book?id=1")).text()).toBe("two");
    await expect(p.fetch("https://real.example/book?id=1")).rejects.toThrow(/no \(further\) answer/);
    await expect(p.fetch("https://real.example/other")).rejects.toThrow(/no \(further\) answer/);
  });

  it("does match request lines on method, path, query and body only", () => {
    expect(requestLine("https://h:8443/a?b=1", { method: "POST", body: '{"t":1}' })).toBe('POST /a?b=1 {"t":1}');
    expect(matchKey("GET ws://x/y")).toBe("GET /y");
    expect(matchKey("GET /already")).toBe("GET /already");
  });

  it("does refuse calls still waiting when the replay closes", async () => {
    const p = new RecordingPlayer(new ManualClock(0), { lifecycle: false, restAnswers: new Map([["GET /x", 1]]) });
    const waiting = p.fetch("http://h/x");
    p.close();
    await expect(waiting).rejects.toThrow(/replay ended/);
  });
});
