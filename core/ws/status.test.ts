import { describe, expect, it } from "bun:test";
import type { ConnectionState } from "./connection.ts";
import { aggregateStatus } from "./status.ts";

const s = (id: string, state: ConnectionState, reason = "why") => ({ id, state, reason });

describe("aggregateStatus", () => {
  it("does report live when every connection is live", () => {
    expect(aggregateStatus([s("f#0", "live"), s("f#1", "live")])).toEqual({ state: "live", reasons: [] });
  });

  it("does report degraded with one reason per connection down", () => {
    expect(aggregateStatus([s("f#0", "live"), s("f#1", "reconnecting", "closed by the venue")])).toEqual({
      state: "degraded",
      reasons: ["f#1 reconnecting: closed by the venue"],
    });
  });

  it("does report connecting, reconnecting, stale and faulted when none is live", () => {
    expect(aggregateStatus([s("f#0", "idle"), s("f#1", "connecting")]).state).toBe("connecting");
    expect(aggregateStatus([s("f#0", "connecting"), s("f#1", "reconnecting")]).state).toBe("reconnecting");
    expect(aggregateStatus([s("f#0", "stale"), s("f#1", "reconnecting")]).state).toBe("stale");
    expect(aggregateStatus([s("f#0", "faulted"), s("f#1", "faulted")]).state).toBe("faulted");
    expect(aggregateStatus([s("f#0", "faulted"), s("f#1", "reconnecting")]).state).toBe("reconnecting");
  });

  it("does report live with a reason when nothing is subscribed", () => {
    expect(aggregateStatus([])).toEqual({ state: "live", reasons: ["nothing subscribed"] });
  });
});
