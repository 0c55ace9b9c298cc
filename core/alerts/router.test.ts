import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { NotifierError } from "../errors.ts";
import { openOutbox } from "./outbox.ts";
import { advance, makeAlert, retryable, routerKit, settle } from "./test-kit.ts";

const route = { notifiers: ["tg"], cooldown_ms: 0 };

describe("createAlertRouter", () => {
  it("delivers routed alerts in order and reports each delivery", async () => {
    const k = routerKit({ routes: [route] }, ["tg"]);
    const alerts = [makeAlert(), makeAlert(), makeAlert()];
    for (const a of alerts) k.bus.emit("alert", a);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual(alerts.map((a) => a.id));
    expect(k.delivered.map((d) => d.alertId)).toEqual(alerts.map((a) => a.id));
    expect(k.router.stats().pending).toBe(0);
    expect(k.router.stats().totals.tg!.delivered).toBe(3);
    await k.router.stop();
  });

  it("routes by source, kind, severity and instrument, and counts what no route takes", async () => {
    const k = routerKit(
      {
        routes: [
          { strategies: ["spread"], kinds: ["opportunity"], instruments: ["BTC-USDT-SWAP"], notifiers: ["tg"], cooldown_ms: 0 },
          { min_severity: "critical", notifiers: ["ops"], cooldown_ms: 0 },
        ],
      },
      ["tg", "ops"],
    );
    const hit = makeAlert({ instrument: "BTC-USDT-SWAP" });
    const wrongInstrument = makeAlert({ instrument: "ETH-USDT-SWAP" });
    const wrongSource = makeAlert({ source: "other", instrument: "BTC-USDT-SWAP" });
    const critical = makeAlert({ kind: "health", severity: "critical" });
    for (const a of [hit, wrongInstrument, wrongSource, critical]) k.bus.emit("alert", a);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([hit.id]);
    expect(k.n("ops").deliveredIds()).toEqual([critical.id]);
    expect(k.router.stats().suppressed.no_route).toBe(2);
    await k.router.stop();
  });

  it("holds a key back for cooldown_ms unless its severity rises", async () => {
    const k = routerKit({ routes: [{ notifiers: ["tg"], cooldown_ms: 60_000 }] }, ["tg"]);
    const first = makeAlert({ key: "btc", text: "1" });
    const again = makeAlert({ key: "btc", text: "2" });
    const worse = makeAlert({ key: "btc", text: "3", severity: "critical" });
    for (const a of [first, again, worse]) k.bus.emit("alert", a);
    await advance(k.clock, 61_000, 10_000);
    const later = makeAlert({ key: "btc", text: "4" });
    k.bus.emit("alert", later);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([first.id, worse.id, later.id]);
    expect(k.router.stats().suppressed.cooldown).toBe(1);
    expect(k.router.recent(10).find((r) => r.alert.id === again.id)?.deliveries.tg?.state).toBe("suppressed");
    await k.router.stop();
  });

  it("drops the same key, title and text inside dedupe_window_ms, and the same id always", async () => {
    const k = routerKit({ routes: [route], dedupe_window_ms: 5_000 }, ["tg"]);
    const a = makeAlert({ key: "x", title: "t", text: "same" });
    k.bus.emit("alert", a);
    k.bus.emit("alert", a);
    k.bus.emit("alert", makeAlert({ key: "x", title: "t", text: "same" }));
    await advance(k.clock, 5_000, 1_000);
    const after = makeAlert({ key: "x", title: "t", text: "same" });
    k.bus.emit("alert", after);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([a.id, after.id]);
    expect(k.router.stats().suppressed.duplicate).toBe(2);
    await k.router.stop();
  });

  it("refuses alerts whose dataAgeMs exceeds max_data_age_ms when that optional cap is set", async () => {
    const k = routerKit({ routes: [route], max_data_age_ms: 2_000 }, ["tg"]);
    k.bus.emit("alert", makeAlert({ dataAgeMs: 2_500 }));
    const fresh = makeAlert({ dataAgeMs: 300 });
    k.bus.emit("alert", fresh);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([fresh.id]);
    expect(k.router.stats().suppressed.data_age).toBe(1);
    await k.router.stop();
  });

  it("mutes until control.mute's time, unmutes on control.unmute, and remembers a mute across restarts", async () => {
    const k = routerKit({ routes: [route] }, ["tg"]);
    const until = k.clock.now() + 60_000;
    k.bus.emit("control.mute", { untilMs: until, by: "test" });
    k.bus.emit("alert", makeAlert());
    await settle();
    expect(k.router.mutedUntil()).toBe(until);
    expect(k.n("tg").sent).toHaveLength(0);
    await k.router.stop();

    const k2 = routerKit({ routes: [route] }, ["tg"], { dir: k.dir, start: k.clock.now() });
    expect(k2.router.mutedUntil()).toBe(until);
    k2.bus.emit("alert", makeAlert());
    k2.bus.emit("control.unmute", { by: "test" });
    const after = makeAlert();
    k2.bus.emit("alert", after);
    await settle();
    expect(k2.n("tg").deliveredIds()).toEqual([after.id]);
    expect(k2.router.stats().suppressed.muted).toBe(1);
    await k2.router.stop();
  });

  it("lets only alerts at or above min_severity through quiet hours", async () => {
    const start = Date.UTC(2026, 0, 1, 23, 30);
    const quiet = { start: "23:00", end: "07:00", tz: "UTC", min_severity: "critical" };
    const k = routerKit({ routes: [route], quiet_hours: quiet }, ["tg"], { start });
    const warn = makeAlert({ severity: "warning" });
    const crit = makeAlert({ severity: "critical" });
    k.bus.emit("alert", warn);
    k.bus.emit("alert", crit);
    await advance(k.clock, 8 * 3_600_000, 3_600_000);
    const morning = makeAlert({ severity: "warning" });
    k.bus.emit("alert", morning);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([crit.id, morning.id]);
    expect(k.router.stats().suppressed.quiet_hours).toBe(1);
    await k.router.stop();
  });

  it("waits the service's retry_after, then delivers, keeping order behind the failed head", async () => {
    const k = routerKit({ routes: [route], retry_initial_ms: 100 }, ["tg"]);
    k.n("tg").failures.push(retryable(5_000));
    const a = makeAlert();
    const b = makeAlert();
    k.bus.emit("alert", a);
    k.bus.emit("alert", b);
    await settle();
    expect(k.failed).toHaveLength(1);
    expect(k.failed[0]!.retryable).toBe(true);
    await advance(k.clock, 4_900);
    expect(k.n("tg").sent).toHaveLength(0);
    await advance(k.clock, 200);
    expect(k.n("tg").deliveredIds()).toEqual([a.id, b.id]);
    expect(k.n("tg").sent[0]!.at - k.n("tg").calls[0]!.at).toBe(5_000);
    expect(k.delivered[0]!.attempts).toBe(2);
    await k.router.stop();
  });

  it("backs off exponentially up to retry_max_ms while the service is down", async () => {
    const k = routerKit({ routes: [route], retry_initial_ms: 100, retry_max_ms: 800 }, ["tg"]);
    for (let i = 0; i < 6; i++) k.n("tg").failures.push(retryable());
    k.bus.emit("alert", makeAlert());
    await advance(k.clock, 10_000, 50);
    const at = k.n("tg").calls.map((c) => c.at - k.n("tg").calls[0]!.at);
    expect(at).toEqual([0, 100, 300, 700, 1_500, 2_300, 3_100]);
    expect(k.n("tg").sent).toHaveLength(1);
    await k.router.stop();
  });

  it("marks a refused alert failed and moves on to the next", async () => {
    const k = routerKit({ routes: [route] }, ["tg"]);
    k.n("tg").failures.push(new NotifierError("TEST_FORBIDDEN", "bot was blocked", { retryable: false, status: 403 }));
    const a = makeAlert();
    const b = makeAlert();
    k.bus.emit("alert", a);
    k.bus.emit("alert", b);
    await settle();
    expect(k.n("tg").deliveredIds()).toEqual([b.id]);
    expect(k.failed[0]).toMatchObject({ alertId: a.id, retryable: false });
    expect(k.router.recent(5).find((r) => r.alert.id === a.id)?.deliveries.tg).toMatchObject({ state: "failed", attempts: 1 });
    expect(k.router.stats().totals.tg).toMatchObject({ delivered: 1, failed: 1 });
    await k.router.stop();
  });

  it("folds a burst beyond the notifier's limit into digests, dropping none", async () => {
    const k = routerKit({ routes: [route], digest_after: 3, digest_max_items: 10 }, ["tg"], {
      limits: { windows: [{ count: 1, perMs: 1_000 }] },
    });
    const first = makeAlert();
    k.bus.emit("alert", first);
    await settle();
    const burst = Array.from({ length: 25 }, () => makeAlert());
    for (const a of burst) k.bus.emit("alert", a);
    await advance(k.clock, 10_000);
    const sent = k.n("tg").sent;
    expect(k.n("tg").deliveredIds()).toEqual([first.id, ...burst.map((a) => a.id)]);
    expect(sent.map((s) => s.alert.kind)).toEqual(["opportunity", "digest", "digest", "digest"]);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
    expect(k.router.stats().digests.tg).toBe(3);
    await k.router.stop();
  });

  it("retries a failed digest with exactly the same alerts", async () => {
    const k = routerKit({ routes: [route], digest_after: 2, digest_max_items: 5, retry_initial_ms: 500 }, ["tg"], {
      limits: { windows: [{ count: 1, perMs: 1_000 }] },
    });
    k.n("tg").failures.push(retryable());
    const burst = Array.from({ length: 4 }, () => makeAlert());
    for (const a of burst) k.bus.emit("alert", a);
    await settle();
    const more = makeAlert();
    k.bus.emit("alert", more);
    await advance(k.clock, 3_000);
    const calls = k.n("tg").calls;
    expect(calls[0]!.alert.id).toBe(calls[1]!.alert.id);
    expect((calls[1]!.alert.data!.items as unknown[]).length).toBe(4);
    expect(k.n("tg").deliveredIds()).toEqual([...burst.map((a) => a.id), more.id]);
    await k.router.stop();
  });

  it("delivers what a previous run left pending, and prunes rows past retention", async () => {
    const k = routerKit({ routes: [route], retry_initial_ms: 60_000 }, ["tg"]);
    k.n("tg").failures.push(retryable());
    const a = makeAlert();
    const b = makeAlert();
    k.bus.emit("alert", a);
    k.bus.emit("alert", b);
    await settle();
    expect(k.router.stats().pending).toBe(2);
    await k.router.stop();

    const k2 = routerKit({ routes: [route] }, ["tg"], { dir: k.dir, start: k.clock.now() + 60_000 });
    await settle();
    expect(k2.n("tg").deliveredIds()).toEqual([a.id, b.id]);
    await k2.router.stop();

    const k3 = routerKit({ routes: [route], retention_ms: 1_000 }, ["tg"], { dir: k.dir, start: k.clock.now() + 120_000 });
    expect(k3.router.recent(10)).toEqual([]);
    await k3.router.stop();
  });

  it("sends again, once, what a killed process had in flight, and says a chat may see it twice", async () => {
    const k = routerKit({ routes: [route] }, ["tg"]);
    await k.router.stop();
    // what a process killed between the service's answer and its commit leaves behind
    const box = openOutbox(join(k.dir, "alerts-outbox.sqlite"));
    const a = makeAlert();
    box.insert(a, [{ notifier: "tg", state: "pending" }], k.clock.now());
    const row = box.pending("tg", 1)[0]!;
    box.markInflight([row.seq], k.clock.now());
    box.close();

    const k2 = routerKit({ routes: [route] }, ["tg"], { dir: k.dir, start: k.clock.now() });
    await settle();
    expect(k2.n("tg").deliveredIds()).toEqual([a.id]);
    expect(k2.delivered[0]!.attempts).toBe(2);
    expect(k2.sink.lines.some((l) => l.includes("a chat may see one twice") && l.includes("rows=1"))).toBe(true);
    await k2.router.stop();
    const k3 = routerKit({ routes: [route] }, ["tg"], { dir: k.dir, start: k.clock.now() });
    await settle();
    expect(k3.n("tg").calls).toHaveLength(0);
    await k3.router.stop();
  });

  it("never folds an alert that was already tried alone into a digest", async () => {
    const k = routerKit({ routes: [route], digest_after: 2, digest_max_items: 10, retry_initial_ms: 500 }, ["tg"], {
      limits: { windows: [{ count: 1, perMs: 1_000 }] },
    });
    k.n("tg").failures.push(retryable());
    const head = makeAlert();
    k.bus.emit("alert", head);
    await settle();
    const burst = Array.from({ length: 5 }, () => makeAlert());
    for (const a of burst) k.bus.emit("alert", a);
    await advance(k.clock, 5_000);
    const kinds = k.n("tg").sent.map((s) => s.alert.kind);
    expect(k.n("tg").sent[0]!.alert.id).toBe(head.id);
    expect(kinds).toEqual(["opportunity", "digest"]);
    expect(k.n("tg").deliveredIds()).toEqual([head.id, ...burst.map((a) => a.id)]);
    await k.router.stop();
  });
});
