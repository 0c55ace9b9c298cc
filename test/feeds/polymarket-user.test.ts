import { afterEach, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { clearSecrets } from "../../core/secrets.ts";
import type { PolymarketUserOrder, PolymarketUserTrade } from "../../plugins/feeds/polymarket/index.ts";
import { FakeVenue } from "../fakes/fake-venue.ts";
import { fakeUrls, type PolyKit, startPoly } from "./polymarket-kit.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../../plugins/feeds/polymarket/fixtures", name), "utf8");

let kit: PolyKit | undefined;
let user: FakeVenue | undefined;
afterEach(async () => {
  await kit?.stop();
  user?.stop();
  kit = user = undefined;
  clearSecrets();
});

describe("polymarket user channel", () => {
  it("subscribes with env credentials, emits the account's orders and trades, and never logs the secrets", async () => {
    let auth: unknown;
    kit = await startPoly(
      (u) => {
        user = FakeVenue.start({
          path: "/ws/user",
          heartbeat: (t) => (t === "PING" ? "PONG" : undefined),
          onMessage(client, text) {
            const m = JSON.parse(text) as { auth?: unknown; type?: string };
            if (m.type !== "user") return;
            auth = m;
            client.send(fixture("ws_docs_user_order.json"));
            client.send(fixture("ws_docs_user_trade.json"));
          },
        });
        return `${fakeUrls(u)}
markets = ["0x${"0".repeat(64)}"]
snapshot_timeout_ms = 0
rest_poll_ms = 0
[feeds.pm.user]
ws_url = "${user.url}"
api_key = "\${POLY_API_KEY}"
secret = "\${POLY_API_SECRET}"
passphrase = "\${POLY_API_PASSPHRASE}"
markets = ["0xbd31dc8a20211944f6b70f31557f1001557b59905b7738480ca09bd4532f84af"]`;
      },
      {
        markets: 1,
        env: { POLY_API_KEY: "key-abcd-1234", POLY_API_SECRET: "secret-efgh-5678", POLY_API_PASSPHRASE: "pass-ijkl-9012" },
        prepare: (clob, gamma) => void gamma.add({ id: "0", markets: [{ market: clob.markets[0]! }] }),
      },
    );
    const k = kit;
    const orders: PolymarketUserOrder[] = [];
    const trades: PolymarketUserTrade[] = [];
    k.rt.bus.on("polymarket.user_order", (o) => void orders.push(o), "t");
    k.rt.bus.on("polymarket.user_trade", (t) => void trades.push(t), "t");
    await k.drive(() => orders.length === 1 && trades.length === 1, "user events");
    expect(auth).toEqual({
      auth: { apiKey: "key-abcd-1234", secret: "secret-efgh-5678", passphrase: "pass-ijkl-9012" },
      markets: ["0xbd31dc8a20211944f6b70f31557f1001557b59905b7738480ca09bd4532f84af"],
      type: "user",
    });
    expect(orders[0]).toMatchObject({ orderId: "0xff354cd7ca7539dfa9c28d90943ab5779a4eac34b9b37a757d7b32bdfb11790b", side: "sell", price: 0.57, originalSize: 10, type: "PLACEMENT", tsEvent: 1672290687000 });
    expect(trades[0]).toMatchObject({ tradeId: "28c4d2eb-bbea-40e7-a9f0-b2fdb56b2c2e", side: "buy", size: 10, status: "MATCHED" });
    await k.drive(() => user!.clients[0]!.textPings >= 2, "user pings", 30_000, 1_000);
    k.rt.log.info("config check", { config: JSON.stringify(k.rt.config.instances[0]!.config) });
    const logs = k.log.lines.join("\n");
    expect(logs).toContain("config check");
    for (const s of ["secret-efgh-5678", "key-abcd-1234", "pass-ijkl-9012"]) expect(logs).not.toContain(s);
  });

  it("follows the catalog when no markets are listed: markets discovered later are added on the live socket", async () => {
    const frames: string[] = [];
    kit = await startPoly(
      (u) => {
        user = FakeVenue.start({ path: "/ws/user", heartbeat: (t) => (t === "PING" ? "PONG" : undefined), onMessage: (_c, text) => void frames.push(text) });
        return `${fakeUrls(u)}
snapshot_timeout_ms = 0
rest_poll_ms = 0
[feeds.pm.discovery]
min_liquidity_usd = 0
[feeds.pm.user]
ws_url = "${user.url}"
api_key = "\${POLY_API_KEY}"
secret = "\${POLY_API_SECRET}"
passphrase = "\${POLY_API_PASSPHRASE}"`;
      },
      {
        env: { POLY_API_KEY: "key-abcd-1234", POLY_API_SECRET: "secret-efgh-5678", POLY_API_PASSPHRASE: "pass-ijkl-9012" },
        prepare(clob, gamma) {
          for (let i = 0; i < 3; i++) gamma.add({ id: String(i), markets: [{ market: clob.addMarket() }] });
        },
      },
    );
    const k = kit;
    const followed = () => new Set(frames.flatMap((f) => (JSON.parse(f) as { markets?: string[] }).markets ?? []));
    await k.drive(() => followed().size === 3, "user channel follows the three markets");
    k.gamma.add({ id: "late", markets: [{ market: k.clob.addMarket() }] });
    await k.feed.discover();
    await k.drive(() => followed().size === 4, "the late market followed");
    expect(JSON.parse(frames.at(-1)!)).toEqual({ markets: [k.clob.markets[3]!.conditionId], operation: "subscribe" });
    expect(JSON.parse(frames[0]!).type).toBe("user");
  });
});
