import { beforeAll, describe, expect, it } from "bun:test";
import { loadConfigSource } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import { runPlayback } from "../../core/replay/playback.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";
import { sentAlerts } from "./fixtures/memory-notifier.ts";
import { recordSession, type RecordedSession } from "./fixtures/record.ts";
import { headerTables, paths, strategyTables } from "./fixtures/session.ts";

let session: RecordedSession;

/** The recorded feeds under other endpoints (playback matches REST by path, sockets by connection). */
const feeds = `
[feeds.a]
plugin = "${paths.feed}"
ws_url = "wss://elsewhere.invalid/ws"
rest_url = "https://elsewhere.invalid"
instruments = ["BTC"]

[feeds.b]
plugin = "${paths.feed}"
ws_url = "wss://other.invalid/ws"
rest_url = "https://other.invalid"
instruments = ["BTC"]
`;

describe("[playback]", () => {
  beforeAll(async () => {
    session = await recordSession();
  }, 30_000);

  it("does run a normal bot on a recording, with the alerts the live run delivered, and ends when loop is off", async () => {
    const text = `${headerTables}\n[playback]\nfile = "${session.file}"\nspeed = 20\nloop = false\n${feeds}${strategyTables()}`;
    const config = await loadConfigSource(text, `${session.dir}/playback.toml`, { registry: builtinRegistry });
    sentAlerts.length = 0;
    const code = await runPlayback(config, { playback: config.core.playback!, signal: new AbortController().signal, log: silentLogger });
    expect(code).toBe(0);
    const subject = (id: string): string => id.replace(/:\d+$/, "");
    expect(sentAlerts.map((a) => subject(a.id))).toEqual(session.sent.map((a) => subject(a.id)));
  }, 30_000);

  it("does stop at once when its signal aborts, and refuses a [playback] with unknown keys", async () => {
    const text = `${headerTables}\n[playback]\nfile = "${session.file}"\nspeed = 0.5\n${feeds}${strategyTables()}`;
    const config = await loadConfigSource(text, `${session.dir}/playback.toml`, { registry: builtinRegistry });
    const abort = new AbortController();
    const running = runPlayback(config, { playback: config.core.playback!, signal: abort.signal, log: silentLogger });
    await Bun.sleep(50);
    abort.abort();
    expect(await running).toBe(0);
    await expect(loadConfigSource(`[playback]\nfile = "x"\nspeeed = 2\n`, `${session.dir}/bad.toml`, { registry: builtinRegistry })).rejects.toThrow(/speeed/);
  }, 30_000);
});
