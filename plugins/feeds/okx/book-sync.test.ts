import { describe, expect, it } from "bun:test";
import { Bus, scopeBus } from "../../../core/bus.ts";
import { ManualClock } from "../../../core/clock.ts";
import { silentLogger } from "../../../core/log.ts";
import { createMarketStore, defaultHealthSettings } from "../../../core/store.ts";
import { OkxBookSync } from "./book-sync.ts";
import { okxChecksum } from "./checksum.ts";
import { okxKey, type OkxInstrument } from "./instruments.ts";
import type { OkxLevel } from "./messages.ts";
import { parseOkxFrame, parseOkxRestBooks, type OkxBookEvent } from "./parse.ts";

const ID = "BTC-USDT-SWAP";
const inst: OkxInstrument = { instrument: ID, key: okxKey(ID), instType: "SWAP", ctVal: 0.01, inverse: false, tickSize: 0.1 };

function setup(mode: "auto" | "rest" = "auto") {
  const clock = new ManualClock(1_000);
  const bus = new Bus();
  const store = createMarketStore({ bus: scopeBus(bus, "store"), clock, health: defaultHealthSettings, log: silentLogger });
  const requests: { gen: number; retry: boolean }[] = [];
  const resubscribed: string[] = [];
  const resyncs: string[] = [];
  let sync: OkxBookSync;
  const writer = store.writer("okx", {
    checksum: (book, expected) => sync.strings(book.instrument)!.verify(book, Number(expected)),
    onResync: (instrument, reason) => {
      resyncs.push(reason);
      sync.resync(instrument);
    },
  });
  sync = new OkxBookSync({
    writer,
    mode,
    verifyChecksum: true,
    requestSnapshot: (_id, gen, retry) => void requests.push({ gen, retry }),
    resubscribe: (id) => void resubscribed.push(id),
  });
  const push = (frame: object): void => {
    for (const ev of parseOkxFrame(JSON.stringify(frame), "okx", clock.now(), (id) => (id === ID ? inst : undefined))) sync.onBook(ev as OkxBookEvent);
    writer.endFrame(clock.now());
  };
  return { store, sync, writer, requests, resubscribed, resyncs, push };
}

function frame(action: "snapshot" | "update", bids: OkxLevel[], asks: OkxLevel[], seq?: [number, number], checksum?: number) {
  const d: Record<string, unknown> = { bids, asks, ts: "1000" };
  if (seq !== undefined) {
    d.prevSeqId = seq[0];
    d.seqId = seq[1];
  }
  if (checksum !== undefined) d.checksum = checksum;
  return { arg: { channel: "books", instId: ID }, action, data: [d] };
}

const B: OkxLevel[] = [["100.1", "5", "0", "1"], ["100", "3", "0", "1"]];
const A: OkxLevel[] = [["100.2", "4", "0", "1"], ["100.3", "7", "0", "1"]];

describe("OkxBookSync", () => {
  it("does follow the documented sequence: snapshot, update, keep-alive, reset, update", () => {
    const h = setup();
    h.sync.subscribing([ID]);
    h.sync.onAck(ID);
    h.push(frame("snapshot", B, A, [-1, 10]));
    h.push(frame("update", [["100.1", "6", "0", "1"]], [], [10, 15]));
    h.push(frame("update", [], [], [15, 15]));
    h.push(frame("update", [], [["100.2", "0", "0", "0"]], [15, 3]));
    h.push(frame("update", [["99.9", "1", "0", "1"]], [], [3, 5]));
    expect(h.resyncs).toEqual([]);
    const book = h.store.book("okx", ID)!;
    expect(book.state).toBe("live");
    expect(book.seq).toBe(5);
    expect(book.depth(5)).toEqual({ bids: [[100.1, 0.06], [100, 0.03], [99.9, 0.01]], asks: [[100.3, 0.07]] });
  });

  it("does detect a gap and resubscribe while the venue sends WS snapshots", () => {
    const h = setup();
    h.sync.subscribing([ID]);
    h.sync.onAck(ID);
    h.push(frame("snapshot", B, A, [-1, 10]));
    h.push(frame("update", [["100.1", "6", "0", "1"]], [], [11, 12]));
    expect(h.resyncs).toEqual(["gap"]);
    expect(h.resubscribed).toEqual([ID]);
    expect(h.store.fresh("okx", ID).reasons).toContain("resyncing");
    // pushes of the old subscription are ignored until the new ack and snapshot
    h.push(frame("update", [], [], [12, 13]));
    h.sync.onAck(ID);
    h.push(frame("snapshot", B, A, [-1, 20]));
    expect(h.store.book("okx", ID)!.state).toBe("live");
  });

  it("does verify a real checksum, skip checksum 0, and resync on a mismatch", () => {
    const h = setup();
    h.sync.subscribing([ID]);
    h.sync.onAck(ID);
    h.push(frame("snapshot", B, A, [-1, 1], okxChecksum(B, A)));
    const b2: OkxLevel[] = [["100.1", "9", "0", "1"], ["100", "3", "0", "1"]];
    h.push(frame("update", [["100.1", "9", "0", "1"]], [], [1, 2], okxChecksum(b2, A)));
    h.push(frame("update", [["100", "2", "0", "1"]], [], [2, 3], 0));
    expect(h.resyncs).toEqual([]);
    h.push(frame("update", [["100", "1", "0", "1"]], [], [3, 4], 12345));
    expect(h.resyncs).toEqual(["checksum"]);
    expect(h.resubscribed).toEqual([ID]);
  });

  it("does sync from REST when no WS snapshot comes, dropping and bridging buffered updates", () => {
    const h = setup();
    h.sync.subscribing([ID]);
    h.sync.onAck(ID);
    h.push(frame("update", [["100.1", "1", "0", "1"]], [], [7, 8]));
    h.push(frame("update", [["100", "2", "0", "1"]], [], [8, 9]));
    h.push(frame("update", [["99.8", "3", "0", "1"]], [], [9, 11]));
    expect(h.requests).toEqual([{ gen: 1, retry: false }]);
    expect(h.store.book("okx", ID)).toBeUndefined();
    // a snapshot older than the first buffered prevSeqId is asked again
    const old = parseOkxRestBooks({ code: "0", msg: "", data: [{ bids: B, asks: A, ts: "900", seqId: 5 }] }, inst, "okx", 1000);
    if (!old.ok) throw new Error(old.error);
    expect(h.sync.onRest(ID, 1, old.book, old.raw)).toBe("retry");
    // snapshot at seq 9: updates ≤ 9 are in it; (9, 11] bridges
    const snap = parseOkxRestBooks({ code: "0", msg: "", data: [{ bids: [["100.1", "1", "0", "1"], ["100", "2", "0", "1"]], asks: A, ts: "950", seqId: 9 }] }, inst, "okx", 1000);
    if (!snap.ok) throw new Error(snap.error);
    expect(h.sync.onRest(ID, 1, snap.book, snap.raw)).toBe("ok");
    h.writer.endFrame(1000);
    h.push(frame("update", [], [["100.2", "5", "0", "1"]], [11, 12]));
    const book = h.store.book("okx", ID)!;
    expect(h.resyncs).toEqual([]);
    expect(book.state).toBe("live");
    expect(book.seq).toBe(12);
    expect(book.depth(5).bids).toEqual([[100.1, 0.01], [100, 0.02], [99.8, 0.03]]);
    expect(book.depth(1).asks).toEqual([[100.2, 0.05]]);
  });

  it("does ignore the WS snapshot in rest mode and refuse a stale REST answer", () => {
    const h = setup("rest");
    h.sync.subscribing([ID]);
    h.sync.onAck(ID);
    h.push(frame("snapshot", B, A, [-1, 10]));
    expect(h.store.book("okx", ID)).toBeUndefined();
    h.push(frame("update", [], [], [10, 11]));
    expect(h.requests).toHaveLength(1);
    h.sync.subscribing([ID]); // reconnect: the sync in flight is over
    const snap = parseOkxRestBooks({ code: "0", msg: "", data: [{ bids: B, asks: A, ts: "950", seqId: 11 }] }, inst, "okx", 1000);
    if (!snap.ok) throw new Error(snap.error);
    expect(h.sync.onRest(ID, h.requests[0]!.gen, snap.book, snap.raw)).toBe("stale");
  });

  it("does resync with REST when the stream skips past the REST snapshot", () => {
    const h = setup("rest");
    h.sync.subscribing([ID]);
    h.sync.onAck(ID);
    h.push(frame("update", [], [], [20, 21]));
    const snap = parseOkxRestBooks({ code: "0", msg: "", data: [{ bids: B, asks: A, ts: "950", seqId: 22 }] }, inst, "okx", 1000);
    if (!snap.ok) throw new Error(snap.error);
    h.sync.onRest(ID, h.requests[0]!.gen, snap.book, snap.raw);
    h.writer.endFrame(1000);
    h.push(frame("update", [], [], [25, 26]));
    expect(h.sync.phase(ID)).toBe("waiting");
    expect(h.store.fresh("okx", ID).reasons).toContain("resyncing");
    h.push(frame("update", [], [], [26, 27]));
    expect(h.requests).toHaveLength(2);
  });

  it("does apply frames without seq fields unchecked", () => {
    const h = setup();
    h.sync.subscribing([ID]);
    h.sync.onAck(ID);
    h.push(frame("snapshot", B, A, undefined, okxChecksum(B, A)));
    h.push(frame("update", [["100", "0", "0", "0"]], [], undefined));
    expect(h.resyncs).toEqual([]);
    expect(h.store.book("okx", ID)!.depth(5).bids).toEqual([[100.1, 0.05]]);
  });
});
