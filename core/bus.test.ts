import { describe, expect, it } from "bun:test";
import { Bus } from "./bus.ts";
import type { PluginErrorEvent, Trade } from "./events.ts";

const trade: Trade = { feed: "f", instrument: "X", key: "X", tsEvent: 1, tsRecv: 2, price: 1, size: 1, side: "buy" };

describe("Bus", () => {
  it("delivers to every listener in order, synchronously", () => {
    const bus = new Bus();
    const seen: string[] = [];
    bus.on("trade", () => seen.push("a"));
    bus.on("trade", () => seen.push("b"));
    bus.emit("trade", trade);
    expect(seen).toEqual(["a", "b"]);
  });

  it("isolates a throwing listener: the next still runs and plugin.error names the owner", () => {
    const bus = new Bus();
    const errors: PluginErrorEvent[] = [];
    const seen: string[] = [];
    bus.on("plugin.error", (e) => errors.push(e));
    bus.on("trade", () => {
      throw new Error("boom");
    }, "bad-strategy");
    bus.on("trade", () => seen.push("next"), "good");
    bus.emit("trade", trade);
    expect(seen).toEqual(["next"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.plugin).toBe("bad-strategy");
    expect(errors[0]!.during).toBe("trade");
    expect((errors[0]!.error as Error).message).toBe("boom");
    expect(bus.errorCounts().get("bad-strategy")).toBe(1);
  });

  it("never recurses when a plugin.error listener throws", () => {
    const bus = new Bus();
    let calls = 0;
    bus.on("plugin.error", () => {
      calls++;
      throw new Error("handler broke");
    }, "loud");
    bus.on("trade", () => {
      throw new Error("boom");
    }, "bad");
    bus.emit("trade", trade);
    expect(calls).toBe(1);
    expect(bus.errorCounts().get("loud")).toBe(1);
    expect(bus.errorCounts().get("bad")).toBe(1);
  });

  it("unsubscribes with the returned function and with Symbol.dispose", () => {
    const bus = new Bus();
    let n = 0;
    const off = bus.on("trade", () => n++);
    bus.emit("trade", trade);
    off();
    bus.emit("trade", trade);
    {
      using _sub = bus.on("trade", () => n++);
      bus.emit("trade", trade);
    }
    bus.emit("trade", trade);
    expect(n).toBe(2);
    expect(bus.listenerCount("trade")).toBe(0);
  });

  it("runs a once listener a single time", () => {
    const bus = new Bus();
    let n = 0;
    bus.once("trade", () => n++);
    bus.emit("trade", trade);
    bus.emit("trade", trade);
    expect(n).toBe(1);
  });

  it("lets a listener remove itself or add another mid-emit without skipping or repeating", () => {
    const bus = new Bus();
    const seen: string[] = [];
    const offA = bus.on("trade", () => {
      seen.push("a");
      offA();
      bus.on("trade", () => seen.push("late"));
    });
    bus.on("trade", () => seen.push("b"));
    bus.emit("trade", trade);
    expect(seen).toEqual(["a", "b"]);
    bus.emit("trade", trade);
    expect(seen).toEqual(["a", "b", "b", "late"]);
  });

  it("removes every listener of an owner and counts listeners", () => {
    const bus = new Bus();
    bus.on("trade", () => {}, "p1");
    bus.on("quote", () => {}, "p1");
    bus.on("trade", () => {}, "p2");
    expect(bus.listenerCounts()).toEqual({ trade: 2, quote: 1 });
    bus.offOwner("p1");
    expect(bus.listenerCounts()).toEqual({ trade: 1 });
  });
});
