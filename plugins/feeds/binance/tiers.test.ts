import { describe, expect, it } from "bun:test";
import type { EventMap, FeedStatus } from "../../../core/events.ts";
import { TierStatus, binanceTierOf, sumStats } from "./tiers.ts";

function rig() {
  const out: FeedStatus[] = [];
  const raw: EventMap["frame.raw"][] = [];
  const bus = {
    emit<K extends "feed.status" | "frame.raw">(name: K, payload: EventMap[K]): void {
      if (name === "feed.status") out.push(payload as FeedStatus);
      else raw.push(payload as EventMap["frame.raw"]);
    },
    listenerCount: () => 1,
  };
  return { status: new TierStatus("binance", bus), out, raw };
}

const st = (state: FeedStatus["state"], reasons: string[] = []): FeedStatus => ({ feed: "x", state, reasons, ts: 1 });

describe("TierStatus", () => {
  it("merges the tiers into one feed state: live only when both are, degraded when one is down", () => {
    const { status, out } = rig();
    status.busFor("public").emit("feed.status", st("live"));
    status.busFor("market").emit("feed.status", st("connecting", ["binance/market#0 waiting"]));
    status.busFor("market").emit("feed.status", st("live"));
    status.busFor("market").emit("feed.status", st("reconnecting", ["binance/market#0 reconnecting: closed"]));
    status.busFor("public").emit("feed.status", st("stale", ["binance#0 stale: nothing received"]));
    status.busFor("market").emit("feed.status", st("faulted", ["bad"]));
    expect(out.map((s) => [s.feed, s.state, s.prev])).toEqual([
      ["binance", "live", undefined],
      ["binance", "degraded", "live"],
      ["binance", "live", "degraded"],
      ["binance", "degraded", "live"],
      ["binance", "stale", "degraded"],
      ["binance", "faulted", "stale"],
    ]);
    expect(out[3]!.reasons).toEqual(["binance/market#0 reconnecting: closed"]);
  });

  it("emits nothing when the merged state and reasons are unchanged, and tags raw frames with the feed id", () => {
    const { status, out, raw } = rig();
    status.busFor("public").emit("feed.status", st("live"));
    status.busFor("public").emit("feed.status", st("live"));
    expect(out).toHaveLength(1);
    status.busFor("market").emit("frame.raw", { feed: "binance/market", connection: "binance/market#0", data: "x", tsRecv: 1, source: "ws" });
    expect(raw[0]).toMatchObject({ feed: "binance", connection: "binance/market#0" });
  });

  it("puts aggTrade and markPrice on /market, the rest on /public, and sums counters", () => {
    expect(["btcusdt@depth@100ms", "btcusdt@bookTicker", "btcusdt@aggTrade", "btcusdt@markPrice@1s"].map(binanceTierOf)).toEqual(["public", "public", "market", "market"]);
    const a = { connections: 1, messages: 10, bytes: 100, errors: 1, reconnects: 0, resyncs: 2, lastMessageAgeMs: 50 };
    const b = { connections: 2, messages: 5, bytes: 50, errors: 0, reconnects: 1, resyncs: 0, lastMessageAgeMs: 20 };
    expect(sumStats([a, b])).toEqual({ connections: 3, messages: 15, bytes: 150, errors: 1, reconnects: 1, resyncs: 2, lastMessageAgeMs: 20 });
  });
});
