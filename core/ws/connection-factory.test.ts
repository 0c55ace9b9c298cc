import { describe, expect, it } from "bun:test";
import { ManualClock } from "../clock.ts";
import { WsConnection } from "./connection.ts";

describe("WsConnection with a synchronous factory", () => {
  it("does hold events reported before the factory returns, then subscribe on the stored socket", () => {
    const clock = new ManualClock(0);
    const sent: string[] = [];
    let frames = 0;
    const conn = new WsConnection({
      id: "s#0",
      feed: "s",
      clock,
      urls: ["ws://sync"],
      socketFactory: (_url, handlers) => {
        handlers.onOpen();
        handlers.onMessage("snapshot");
        return { send: (d) => void sent.push(String(d)), ping() {}, terminate() {}, bufferedAmount: 0 };
      },
      hooks: { onOpen: (c) => c.send("subscribe"), onFrame: () => void frames++ },
    });
    conn.start();
    expect(conn.state).toBe("live");
    expect(sent).toEqual(["subscribe"]);
    expect(frames).toBe(1);
  });

  it("does schedule one reconnect when the factory fails synchronously", () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const conn = new WsConnection({
      id: "s#0",
      feed: "s",
      clock,
      urls: ["ws://sync"],
      backoff: { random: () => 1 },
      socketFactory: (_url, handlers) => {
        calls++;
        handlers.onError("bad url", undefined);
        handlers.onClose(1006, "");
        return { send() {}, ping() {}, terminate() {}, bufferedAmount: 0 };
      },
      hooks: { onOpen: () => {}, onFrame: () => {} },
    });
    conn.start();
    expect(conn.state).toBe("reconnecting");
    clock.advance(250);
    expect(calls).toBe(2);
    expect(clock.pending()).toBe(1);
  });
});
