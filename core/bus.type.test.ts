import { describe, expect, it } from "bun:test";
import { Bus } from "./bus.ts";

// Type-level tests: `bun test` runs them, `tsc` (CI's type check) proves the @ts-expect-error lines fail.
describe("Bus types", () => {
  it("rejects unknown event names and wrong payloads at compile time", () => {
    const bus = new Bus();
    // @ts-expect-error: a typo in an event name is a compile error
    bus.on("quotes", () => {});
    // @ts-expect-error: the payload must match the event
    bus.emit("trade", { feed: "x" });
    bus.on("quote", (q) => {
      const bid: number | null = q.bid;
      void bid;
    });
    expect(bus.listenerCount("quote")).toBe(1);
  });
});
