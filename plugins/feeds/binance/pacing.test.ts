import { describe, expect, it } from "bun:test";
import { ManualClock } from "../../../core/clock.ts";
import { FakeSocketFactory } from "../../../test/fakes/fake-socket.ts";
import { pacedSockets } from "./pacing.ts";

describe("pacedSockets", () => {
  it("sends at most N frames in any 1000 ms window and the rest later, in order", () => {
    const clock = new ManualClock(0);
    const fake = new FakeSocketFactory();
    const open = pacedSockets(fake.factory, clock, 3);
    const s = open("ws://x", { onOpen() {}, onMessage() {}, onPing() {}, onPong() {}, onError() {}, onClose() {} }, { connection: "c#0" });
    for (let i = 0; i < 7; i++) s.send(`m${i}`);
    const sent = () => fake.last().sent.slice();
    expect(sent()).toEqual(["m0", "m1", "m2"]);
    clock.advance(999);
    expect(sent()).toHaveLength(3);
    clock.advance(1);
    expect(sent()).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
    clock.advance(1000);
    expect(sent()).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6"]);
    s.terminate();
    s.send("late");
    clock.advance(5000);
    expect(sent()).toHaveLength(7);
  });

  it("counts a protocol ping in the window, sent at once", () => {
    const clock = new ManualClock(0);
    const fake = new FakeSocketFactory();
    const s = pacedSockets(fake.factory, clock, 2)("ws://x", { onOpen() {}, onMessage() {}, onPing() {}, onPong() {}, onError() {}, onClose() {} }, { connection: "c#0" });
    s.ping();
    s.send("a");
    s.send("b");
    expect(fake.last().pings).toBe(1);
    expect(fake.last().sent).toEqual(["a"]);
    clock.advance(1000);
    expect(fake.last().sent).toEqual(["a", "b"]);
  });
});
