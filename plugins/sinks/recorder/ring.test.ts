import { describe, expect, it } from "bun:test";
import { ChunkBuilder, decodeChunk } from "../../../core/replay/chunk.ts";
import { nsFromPerf, perfOriginNs } from "../../../core/ws/raw-frame.ts";
import { createRingMemory, RingReader, RingWriter } from "./ring.ts";

describe("recorder ring", () => {
  it("does hand over text, binary and lanes in order across many wrap-arounds", () => {
    const memory = createRingMemory(1 << 16);
    const w = new RingWriter(memory);
    const r = new RingReader(memory);
    const sent: unknown[] = [];
    const got: unknown[] = [];
    for (let i = 0; i < 2_000; i++) {
      const data = i % 10 === 3 ? new Uint8Array([i & 255, 0, 255]) : `{"i":${i},"s":"${"é✓".repeat(i % 50)}"}`;
      const conn = `f${i % 3}#0`;
      expect(w.append("ws", `f${i % 3}`, conn, undefined, i, i % 2 === 0 ? BigInt(i) * 1_000_000n : undefined, data)).toBe(true);
      sent.push([conn, i, data]);
      if (i % 97 === 0) for (const row of r.drain()) got.push([row.connection, row.tsRecv, row.data]);
    }
    for (const row of r.drain()) got.push([row.connection, row.tsRecv, row.data]);
    expect(got).toEqual(sent);
    expect(w.dropped).toBe(0);
  });

  it("does drop and count frames when the reader falls behind, never overwriting unread ones", () => {
    const memory = createRingMemory(1 << 16);
    const w = new RingWriter(memory);
    const body = "x".repeat(1_000);
    let accepted = 0;
    for (let i = 0; i < 200; i++) if (w.append("ws", "f", "f#0", undefined, i, undefined, body)) accepted++;
    expect(accepted).toBeGreaterThan(50);
    expect(w.dropped).toBe(200 - accepted);
    const rows = new RingReader(memory).drain();
    expect(rows.map((x) => x.tsRecv)).toEqual(Array.from({ length: accepted }, (_, i) => i));
  });

  it("does copy records straight into a chunk that decodes to the same rows", () => {
    const memory = createRingMemory(1 << 16);
    const w = new RingWriter(memory);
    w.append("ws", "a", "a#0", undefined, 1, 5n, "héllo");
    w.append("rest", "a", "a#rest", "GET /x", 2, undefined, "{}");
    w.append("ws", "a", "a#0", undefined, 3, undefined, new Uint8Array([9, 8]));
    const reader = new RingReader(memory);
    const chunk = new ChunkBuilder(reader.lanes);
    expect(reader.drainInto(chunk, 10)).toBe(3);
    expect(decodeChunk(chunk.build())).toEqual([
      { kind: "ws", feed: "a", connection: "a#0", url: undefined, tsRecv: 1, tsRecvNs: 5n, data: "héllo" },
      { kind: "rest", feed: "a", connection: "a#rest", url: "GET /x", tsRecv: 2, tsRecvNs: undefined, data: "{}" },
      { kind: "ws", feed: "a", connection: "a#0", url: undefined, tsRecv: 3, tsRecvNs: undefined, data: new Uint8Array([9, 8]) },
    ]);
  });

  it("does turn a performance.now() receive time into the same ns the frame event gives, with the writer's origin", () => {
    const memory = { ...createRingMemory(1 << 16), originNs: 1_700_000_000_000_000_000n };
    const w = new RingWriter(memory);
    w.append("ws", "a", "a#0", undefined, 1, 1234.5678912, "x");
    w.append("ws", "a", "a#0", undefined, 2, 7n, "y");
    const rows = new RingReader(memory).drain();
    expect(rows.map((r) => r.tsRecvNs)).toEqual([1_700_000_000_000_000_000n + 1_234_567_891n, 7n]);
    expect(createRingMemory(1 << 16).originNs).toBe(perfOriginNs);
    expect(nsFromPerf(0.5)).toBe(perfOriginNs + 500_000n);
  });
});
