import { describe, expect, it } from "bun:test";
import { L2Book } from "../../../core/book/book.ts";
import type { BookSnapshot } from "../../../core/events.ts";
import { BinanceDepthSync } from "./depth-sync.ts";
import { parseBinanceFrame, type BinanceDepthEvent } from "./parse.ts";

/** A sync wired to a real L2Book, recording what it asked for. */
function rig() {
  const book = new L2Book("binance", "SUSHIUSDT", "SUSHI-USDT-PERP");
  const requests: number[] = [];
  const applied: [number, number, string][] = [];
  const sync = new BinanceDepthSync({
    requestSnapshot: (_s, gen) => void requests.push(gen),
    applySnapshot: (b) => book.applySnapshot(b),
    applyDelta: (ev) => {
      const r = book.applyDelta(ev.delta);
      applied.push([ev.U, ev.u, r]);
      return r;
    },
  });
  return { book, sync, requests, applied };
}

function ev(U: number, u: number, pu: number, bids: [string, string][] = [], asks: [string, string][] = []): BinanceDepthEvent {
  const text = JSON.stringify({ stream: "sushiusdt@depth@100ms", data: { e: "depthUpdate", E: 1626992741037, T: 1626992741024, s: "SUSHIUSDT", U, u, pu, b: bids, a: asks } });
  const [e] = parseBinanceFrame(text, "binance", 1626992741100, (s) => (s === "SUSHIUSDT" ? { instrument: s, key: "SUSHI-USDT-PERP" } : undefined));
  if (e?.kind !== "depth") throw new Error("not a depth event");
  return e;
}

function snapshot(lastUpdateId: number): BookSnapshot {
  return { feed: "binance", instrument: "SUSHIUSDT", key: "SUSHI-USDT-PERP", tsEvent: 1, tsRecv: 1, bids: [[7.604, 100]], asks: [[7.616, 100]], seq: lastUpdateId, source: "rest" };
}

// The captured 2021 SUSHIUSDT sequence quoted in shared/protocols/others.md.
const L = 600859605926;
const CAPTURE = {
  before: ev(600859599090, 600859600917, 600859598061, [["7.5040", "813"]]),
  first: ev(600859605926, 600859607423, 600859604824, [["7.6050", "5"]]),
  second: ev(600859607950, 600859609417, 600859607423, [["7.6050", "0"]], [["7.6150", "9"]]),
  third: ev(600859609903, 600859611095, 600859609417, [], [["7.6160", "0"]]),
};

describe("BinanceDepthSync", () => {
  it("follows the procedure on the captured values: drops u < lastUpdateId, bridges U <= L <= u, then pu == previous u", () => {
    const { book, sync, requests, applied } = rig();
    sync.start("SUSHIUSDT");
    expect(sync.onEvent(CAPTURE.before)).toBe("buffered");
    expect(requests).toHaveLength(1); // the snapshot is asked for once events are buffered
    expect(sync.onEvent(CAPTURE.first)).toBe("buffered");
    expect(sync.onSnapshot("SUSHIUSDT", requests[0]!, snapshot(L), L)).toBe("applied");
    expect(applied).toEqual([[600859605926, 600859607423, "ok"]]); // the u < L event was never applied
    expect(sync.onEvent(CAPTURE.second)).toBe("ok");
    expect(sync.onEvent(CAPTURE.third)).toBe("ok");
    expect(book.seq).toBe(600859611095);
    expect(book.state).toBe("live");
    expect(book.depth(5)).toEqual({ bids: [[7.604, 100]], asks: [[7.615, 9]] });
    // U != previous u + 1 each time (the futures rule is pu, not U), and nothing was refetched
    expect(CAPTURE.second.U).not.toBe(CAPTURE.first.u + 1);
    expect(requests).toHaveLength(1);
  });

  it("waits for the bridging event when the snapshot is newer than everything buffered", () => {
    const { sync, requests, applied } = rig();
    sync.start("SUSHIUSDT");
    sync.onEvent(CAPTURE.before);
    expect(sync.onSnapshot("SUSHIUSDT", requests[0]!, snapshot(L), L)).toBe("waiting");
    expect(sync.onEvent(CAPTURE.first)).toBe("ok");
    expect(sync.live("SUSHIUSDT")).toBe(true);
    expect(applied.map((a) => a[2])).toEqual(["ok"]);
  });

  it("fetches a new snapshot when the first remaining event starts after lastUpdateId (U > L)", () => {
    const { sync, requests, book } = rig();
    sync.start("SUSHIUSDT");
    sync.onEvent(CAPTURE.second);
    expect(sync.onSnapshot("SUSHIUSDT", requests[0]!, snapshot(L), L)).toBe("stale");
    expect(requests).toHaveLength(2);
    expect(book.synced).toBe(false);
    expect(sync.onSnapshot("SUSHIUSDT", requests[1]!, snapshot(600859609000), 600859609000)).toBe("applied");
    expect(book.seq).toBe(600859609417);
  });

  it("starts again from the snapshot when pu differs from the previous u, keeping the breaking event", () => {
    const { sync, requests, book } = rig();
    sync.start("SUSHIUSDT");
    sync.onEvent(CAPTURE.first);
    sync.onSnapshot("SUSHIUSDT", requests[0]!, snapshot(L), L);
    expect(sync.onEvent(CAPTURE.third)).toBe("gap"); // second was lost
    expect(book.state).toBe("resyncing");
    expect(sync.live("SUSHIUSDT")).toBe(false);
    expect(sync.buffered("SUSHIUSDT")).toBe(1);
    expect(requests).toHaveLength(2);
    expect(sync.onSnapshot("SUSHIUSDT", requests[1]!, snapshot(600859610000), 600859610000)).toBe("applied");
    expect(book.state).toBe("live");
    expect(book.seq).toBe(600859611095);
  });

  it("ignores a snapshot answer from an earlier start", () => {
    const { sync, requests } = rig();
    sync.start("SUSHIUSDT");
    sync.onEvent(CAPTURE.first);
    sync.start("SUSHIUSDT");
    sync.onEvent(CAPTURE.first);
    expect(sync.onSnapshot("SUSHIUSDT", requests[0]!, snapshot(L), L)).toBe("ignored");
    expect(sync.onSnapshot("SUSHIUSDT", requests[1]!, snapshot(L), L)).toBe("applied");
  });

  it("asks for the snapshot before any event when told to, and bridges it with the first event", () => {
    const { sync, requests, book } = rig();
    sync.start("SUSHIUSDT");
    sync.requestNow("SUSHIUSDT");
    sync.requestNow("SUSHIUSDT");
    expect(requests).toHaveLength(1);
    expect(sync.onSnapshot("SUSHIUSDT", requests[0]!, snapshot(L), L)).toBe("waiting");
    expect(book.synced).toBe(false);
    expect(sync.onEvent(CAPTURE.first)).toBe("ok");
    expect(book.state).toBe("live");
  });

  it("drops the duplicate event whose u equals lastUpdateId and chains on from it", () => {
    const { sync, requests, book } = rig();
    sync.start("SUSHIUSDT");
    sync.onEvent(CAPTURE.first);
    expect(sync.onSnapshot("SUSHIUSDT", requests[0]!, snapshot(600859607423), 600859607423)).toBe("applied");
    expect(book.seq).toBe(600859607423);
    expect(sync.onEvent(CAPTURE.second)).toBe("ok");
  });
});
