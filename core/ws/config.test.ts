import { describe, expect, it } from "bun:test";
import { idlePingHeartbeat } from "./config.ts";

describe("idlePingHeartbeat", () => {
  it("does check every half ping interval, idle only, with the pong deadline given", () => {
    const isPong = (f: string): boolean => f === "pong";
    expect(idlePingHeartbeat(20_000, 5_000, "ping", isPong)).toEqual({ intervalMs: 10_000, idleOnly: true, payload: "ping", isPong, timeoutMs: 5_000 });
  });

  it("does round the half interval down and never below 1 ms", () => {
    const isPong = (): boolean => false;
    expect(idlePingHeartbeat(3, 1, "p", isPong).intervalMs).toBe(1);
    expect(idlePingHeartbeat(1, 1, "p", isPong).intervalMs).toBe(1);
    expect(idlePingHeartbeat(0, 1, "p", isPong).intervalMs).toBe(1);
  });
});
