/**
 * The RTDS socket through core/ws: one connection (all subscriptions in one frame), text `PING` every
 * `ping_interval_ms` (answered `PONG`; lowercase accepted), the no-message watchdog for a dead socket,
 * and a per-subscription cadence for price topics: a price feed silent for `stall_after_ms` while pongs
 * still arrive is the venue's known silent stall, answered by one reconnect (backoff keeps a stalling
 * venue from turning it into a reconnect storm).
 */
import type { PluginContext } from "../../../core/plugin.ts";
import { WsShards, wsContext, wsSettings } from "../../../core/ws/index.ts";
import { RTDS_WS_URL, type RtdsConfig } from "./config.ts";
import type { RtdsSubscription } from "./messages.ts";
import { PRICE_TOPICS } from "./parse.ts";
import { encodeRtdsRequest } from "./subscriptions.ts";
import { frameText } from "../shared/frame.ts";


export function createRtdsShards(ctx: PluginContext<RtdsConfig>, byId: ReadonlyMap<string, RtdsSubscription>, onFrame: (text: string, tsRecv: number) => void): WsShards {
  const c = ctx.config;
  const isPrice = (id: string) => (PRICE_TOPICS as readonly string[]).includes(byId.get(id)?.topic ?? "");
  const ws: WsShards = new WsShards({
    ...wsSettings(c, RTDS_WS_URL),
    ...wsContext(ctx),
    heartbeat: { intervalMs: c.ping_interval_ms, timeoutMs: c.pong_timeout_ms, payload: "PING", isPong: (f) => f === "PONG" || f === "pong" },
    encodeSubscribe: (ids) => [encodeRtdsRequest("subscribe", ids, byId)],
    encodeUnsubscribe: (ids) => [encodeRtdsRequest("unsubscribe", ids, byId)],
    onFrame: (data, _conn, tsRecv) => onFrame(frameText(data), tsRecv),
    ...(c.stall_after_ms > 0
      ? {
          cadence: {
            everyMs: c.stall_after_ms,
            graceMs: 0,
            promised: isPrice,
            onMissed(ids: readonly string[]) {
              const conn = ws.connectionOf(ids[0]!);
              ctx.log.warn("RTDS price subscription went silent while the socket stayed up: reconnecting", { subscriptions: ids.length, stall_after_ms: c.stall_after_ms });
              conn?.reconnect(`no price update for ${c.stall_after_ms} ms (silent stall)`);
            },
          },
        }
      : {}),
  });
  return ws;
}
