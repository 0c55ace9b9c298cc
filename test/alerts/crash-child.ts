/**
 * A bot process for the crash test: a bus, the alert router and the telegram notifier built from a JSON
 * config (argv[2]), emitting a burst in batches and printing `emitted <n>` after each batch is committed.
 * It exits 0 once nothing is pending. The test kills it with SIGKILL mid-burst and starts it again.
 *
 * config: { apiUrl, token, chatId, dataDir, count, batch, everyMs, alerts }
 */
import * as v from "valibot";
import { alertsSchema } from "../../core/alerts/config.ts";
import { createAlertRouter } from "../../core/alerts/router.ts";
import { Bus } from "../../core/bus.ts";
import { systemClock } from "../../core/clock.ts";
import { createLogger } from "../../core/log.ts";
import { telegramNotifier } from "../../plugins/notifiers/telegram/index.ts";
import { notifierContext, numbered } from "./kit.ts";

interface ChildConfig {
  apiUrl: string;
  token: string;
  chatId: number;
  dataDir: string;
  count: number;
  batch: number;
  everyMs: number;
  alerts: Record<string, unknown>;
}

const cfg = JSON.parse(process.argv[2]!) as ChildConfig;
const bus = new Bus();
const log = createLogger({ level: "info", sink: { write: (line) => process.stderr.write(line + "\n") } });
const { ctx } = notifierContext(telegramNotifier, { bot_token: cfg.token, chat_ids: [cfg.chatId], api_url: cfg.apiUrl, commands: false }, { bus, log, id: "tg" });
const handle = await telegramNotifier.setup(ctx);
const config = v.parse(alertsSchema, { routes: [{ notifiers: ["tg"], cooldown_ms: 0 }], ...cfg.alerts });
const router = createAlertRouter({ bus, clock: systemClock, log, config, notifiers: new Map([["tg", handle]]), dataDir: cfg.dataDir });

let emitted = 0;
while (emitted < cfg.count) {
  for (let i = 0; i < cfg.batch && emitted < cfg.count; i++) bus.emit("alert", numbered(++emitted, { id: `crash-${emitted}`, key: `crash-${emitted}` }));
  process.stdout.write(`emitted ${emitted}\n`);
  await Bun.sleep(cfg.everyMs);
}
while (router.stats().pending > 0) await Bun.sleep(20);
process.stdout.write(`done ${JSON.stringify(router.stats())}\n`);
await router.stop();
await handle.stop?.();
process.exit(0);
