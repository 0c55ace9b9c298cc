import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { NotifierError } from "../errors.ts";
import { openOutbox } from "./outbox.ts";
import { requestFailure } from "./request-failure.ts";
import { advance, makeAlert, retryable, routerKit, settle } from "./test-kit.ts";

const route = { notifiers: ["tg"], cooldown_ms: 0 };

/** A send that may have arrived: the service did not answer in time. */
function timedOut(): NotifierError {
  return new NotifierError("TEST_TIMEOUT", "sendMessage: timed out after 300 ms", { retryable: true, ambiguous: true });
}

describe("delivery of alerts whose outcome is unknown", () => {
  it("resends after one timeout, and after a second gives the alert up as ambiguous and moves on", async () => {
    const k = routerKit({ routes: [route], retry_initial_ms: 100 }, ["tg"]);
    k.n("tg").failures.push(timedOut(), timedOut());
    const a = makeAlert();
    const b = makeAlert();
    k.bus.emit("alert", a);
    k.bus.emit("alert", b);
    await advance(k.clock, 2_000);
    expect(k.n("tg").calls.map((c) => c.alert.id)).toEqual([a.id, a.id, b.id]);
    expect(k.n("tg").deliveredIds()).toEqual([b.id]);
    expect(k.router.stats().totals.tg).toMatchObject({ ambiguous: 1, retried: 1, delivered: 1, failed: 0 });
    const last = k.failed.at(-1)!;
    expect(last).toMatchObject({ alertId: a.id, retryable: false, attempts: 2 });
    expect(last.error).toContain("delivery unknown after two timeouts; not resent to avoid duplicates");
    expect(k.router.recent(2).find((r) => r.alert.id === a.id)!.deliveries.tg).toMatchObject({ state: "ambiguous", attempts: 2 });
    await k.router.stop();
  });

  it("keeps retrying answered failures (5xx, 429) without limit, and they do not count as unknown", async () => {
    const k = routerKit({ routes: [route], retry_initial_ms: 100, retry_max_ms: 200 }, ["tg"]);
    k.n("tg").failures.push(timedOut(), retryable(), retryable(), retryable(50), retryable(), retryable());
    const a = makeAlert();
    k.bus.emit("alert", a);
    await advance(k.clock, 5_000, 50);
    expect(k.n("tg").calls).toHaveLength(7);
    expect(k.n("tg").deliveredIds()).toEqual([a.id]);
    expect(k.router.stats().totals.tg).toMatchObject({ ambiguous: 0, delivered: 1 });
    await k.router.stop();
  });

  it("counts a send in flight at a crash as one unknown outcome: one more timeout gives it up", async () => {
    const k = routerKit({ routes: [route] }, ["tg"]);
    await k.router.stop();
    const box = openOutbox(join(k.dir, "alerts-outbox.sqlite"));
    const a = makeAlert();
    box.insert(a, [{ notifier: "tg", state: "pending" }], k.clock.now());
    box.markInflight([box.pending("tg", 1)[0]!.seq], k.clock.now());
    box.close();

    const k2 = routerKit({ routes: [route], retry_initial_ms: 100 }, ["tg"], { dir: k.dir, start: k.clock.now(), failures: [timedOut()] });
    await advance(k2.clock, 1_000);
    expect(k2.n("tg").calls).toHaveLength(1);
    expect(k2.n("tg").sent).toHaveLength(0);
    expect(k2.router.stats().totals.tg!.ambiguous).toBe(1);
    await k2.router.stop();
  });

  it("does not send again a row that was in flight at two crashes", async () => {
    const k = routerKit({ routes: [route] }, ["tg"]);
    await k.router.stop();
    const path = join(k.dir, "alerts-outbox.sqlite");
    const box = openOutbox(path);
    const a = makeAlert();
    box.insert(a, [{ notifier: "tg", state: "pending" }], k.clock.now());
    for (let crash = 0; crash < 2; crash++) {
      box.markInflight([box.pending("tg", 1)[0]!.seq], k.clock.now());
      box.recoverInflight();
    }
    expect(box.pending("tg", 1)[0]!.unknown).toBe(2);
    box.close();

    const k2 = routerKit({ routes: [route] }, ["tg"], { dir: k.dir, start: k.clock.now() });
    await settle();
    expect(k2.n("tg").calls).toHaveLength(0);
    expect(k2.failed[0]!.error).toContain("not resent to avoid duplicates");
    expect(k2.router.stats()).toMatchObject({ pending: 0, totals: { tg: { ambiguous: 1 } } });
    await k2.router.stop();
  });
});

describe("requestFailure", () => {
  it("calls a timeout or a reset connection ambiguous, and a refused connection not sent", () => {
    expect(requestFailure(new Error("x"), true, 300)).toEqual({ what: "timed out after 300 ms", ambiguous: true });
    expect(requestFailure(Object.assign(new TypeError("reset"), { code: "ECONNRESET" }), false, 300)).toEqual({ what: "network error (ECONNRESET)", ambiguous: true });
    expect(requestFailure(Object.assign(new TypeError("refused"), { code: "ECONNREFUSED" }), false, 300)).toEqual({ what: "network error (ECONNREFUSED)", ambiguous: false });
    expect(requestFailure(new DOMException("aborted", "AbortError"), false, 300).ambiguous).toBe(true);
  });
});
