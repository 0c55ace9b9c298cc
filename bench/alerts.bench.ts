// Alert router: intake rate (alerts committed to the SQLite outbox per second) and a 200-alert burst to
// the fake Telegram with its documented limits (1 msg/s per chat): wall time and messages used.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { alertsSchema } from "../core/alerts/config.ts";
import { createAlertRouter } from "../core/alerts/router.ts";
import { Bus } from "../core/bus.ts";
import { systemClock } from "../core/clock.ts";
import type { Alert } from "../core/events.ts";
import { silentLogger } from "../core/log.ts";
import { telegramNotifier } from "../plugins/notifiers/telegram/index.ts";
import { FakeTelegram } from "../test/fakes/telegram/server.ts";
import { notifierContext } from "../test/alerts/kit.ts";
import { fmtRate, median, table } from "./stats.ts";

function alert(i: number, run: number): Alert {
  return { id: `b${run}-${i}`, key: `b${run}-${i}`, source: "bench", kind: "info", severity: "warning", title: `A${i}#`, text: "bench", ts: Date.now() };
}

// 1. intake: every alert routed to a notifier that never finishes, so the rows stay pending
const intake: number[] = [];
const N = 5_000;
for (let run = 0; run < 5; run++) {
  const bus = new Bus();
  const config = v.parse(alertsSchema, { routes: [{ notifiers: ["hold"], cooldown_ms: 0 }] });
  const hold = { send: () => new Promise<void>(() => {}) };
  const router = createAlertRouter({ bus, clock: systemClock, log: silentLogger, config, notifiers: new Map([["hold", hold]]), dataDir: mkdtempSync(join(tmpdir(), "ew-bench-")) });
  const t0 = Bun.nanoseconds();
  for (let i = 0; i < N; i++) bus.emit("alert", alert(i, run));
  intake.push((N * 1e9) / (Bun.nanoseconds() - t0));
  if (router.stats().pending < N - 1) throw new Error("alerts were not stored");
  void router.stop();
}

// 2. burst of 200 to one chat through the fake service
const burstRows: string[][] = [];
for (const digestMax of [30, 100]) {
  const times: number[] = [];
  let messages = 0;
  let tooMany = 0;
  for (let run = 0; run < 3; run++) {
    const fake = new FakeTelegram({ token: "1:bench" }).start();
    const bus = new Bus();
    const { ctx } = notifierContext(telegramNotifier, { bot_token: "1:bench", chat_ids: [1], api_url: fake.url, commands: false }, { bus, log: silentLogger, id: "tg" });
    const handle = await telegramNotifier.setup(ctx);
    const config = v.parse(alertsSchema, { routes: [{ notifiers: ["tg"], cooldown_ms: 0 }], digest_max_items: digestMax });
    const router = createAlertRouter({ bus, clock: systemClock, log: silentLogger, config, notifiers: new Map([["tg", handle]]), dataDir: mkdtempSync(join(tmpdir(), "ew-bench-")) });
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) bus.emit("alert", alert(i, run));
    while (router.stats().pending > 0) await Bun.sleep(5);
    times.push(performance.now() - t0);
    messages = fake.messages.length;
    tooMany += fake.tooMany;
    await router.stop();
    await handle.stop?.();
    await fake.stop();
  }
  burstRows.push([String(digestMax), `${(median(times) / 1000).toFixed(2)} s`, String(messages), String(tooMany)]);
}

console.log("### Alerts\n");
console.log(table(["measure", "median of 5", "min", "max"], [["outbox intake (route + commit)", fmtRate(median(intake)), fmtRate(Math.min(...intake)), fmtRate(Math.max(...intake))]]));
console.log("");
console.log(table(["200-alert burst, digest_max_items", "all delivered after (median of 3)", "messages", "429s"], burstRows));
