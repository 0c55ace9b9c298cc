/**
 * A fake OKX venue for the latency benchmark, in its own process: `bun bench/lib/okx-paced-server.ts <rate>
 * <seconds>` prints `{"port":…}`. One instrument (BTC-USDT-SWAP) on two paths: `/ws/v5/public?book=b` sends
 * a 400-level checksummed snapshot whose best bid (100,000) sits above the other book's asks, then nothing;
 * `/ws/v5/public?book=a` sends its snapshot, then `books` updates at a steady `rate` per second that insert
 * and remove the best ask (99,750) in turn, each with the next seqId and the real CRC32 of the new book.
 * Against book b that moves a cross-venue edge between ~15 and ~10 bps on every frame, so every frame
 * must produce an `opportunity.open` or `opportunity.update`. Frames leave on a spin-wait schedule (not
 * timers) so they are evenly spaced, in slices that let the event loop breathe.
 */
import type { ServerWebSocket } from "bun";
import fixture from "../../plugins/feeds/okx/fixtures/http_nautilus_get_instruments_swap.json";
import { okxChecksum } from "../../plugins/feeds/okx/checksum.ts";

type Row = [string, string, string, string];
const INST = "BTC-USDT-SWAP";
const ARG = `{"channel":"books","instId":"${INST}"}`;
const [rate = 5_000, seconds = 6] = process.argv.slice(2).map(Number);

function ladder(from: number, step: number, n: number, size: number): Row[] {
  return Array.from({ length: n }, (_, i) => [(from + i * step).toFixed(1), String(size + (i % 7)), "0", "1"]);
}

// book a: asks from 99,800 up (99,750 toggled in and out), bids from 99,700 down; book b: bids from 100,000 down
const aAsks = ladder(99_800, 0.5, 400, 2_000);
const aBids = ladder(99_700, -0.5, 400, 2_000);
const bBids = ladder(100_000, -0.5, 400, 2_000);
const bAsks = ladder(100_010, 0.5, 400, 2_000);
const toggled: Row = ["99750.0", "1500", "0", "1"];
const withTop = okxChecksum(aBids.slice(0, 25), [toggled, ...aAsks].slice(0, 25));
const withoutTop = okxChecksum(aBids.slice(0, 25), aAsks.slice(0, 25));

function snapshot(bids: Row[], asks: Row[], seqId: number): string {
  return `{"arg":${ARG},"action":"snapshot","data":[${JSON.stringify({ asks, bids, ts: String(Date.now()), checksum: okxChecksum(bids.slice(0, 25), asks.slice(0, 25)), prevSeqId: -1, seqId })}]}`;
}

interface Conn {
  readonly book: "a" | "b";
}

let sent = 0;
function stream(ws: ServerWebSocket<Conn>): void {
  const total = Math.round(rate * seconds);
  const gapNs = 1e9 / rate;
  let seqId = 5_000;
  let i = 0;
  let due = Bun.nanoseconds() + 50e6;
  ws.sendText(snapshot(aBids, aAsks, seqId));
  function slice(): void {
    const end = Bun.nanoseconds() + 20e6;
    while (i < total && ws.readyState === 1) {
      const now = Bun.nanoseconds();
      if (now >= end) break;
      if (now < due) continue;
      const insert = i % 2 === 0;
      const frame = `{"arg":${ARG},"action":"update","data":[{"asks":[["99750.0","${insert ? "1500" : "0"}","0","${insert ? 1 : 0}"]],"bids":[],"ts":"${Date.now()}","checksum":${insert ? withTop : withoutTop},"prevSeqId":${seqId},"seqId":${seqId + 1}}]}`;
      seqId++;
      ws.sendText(frame);
      sent++;
      i++;
      due += gapNs;
    }
    if (i < total && ws.readyState === 1) setTimeout(slice, 0);
  }
  setTimeout(slice, 0);
}

const template = fixture.data.find((r) => r.instId === INST)!;
const server = Bun.serve<Conn>({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req, srv) {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/ws/")) {
      if (srv.upgrade(req, { data: { book: url.searchParams.get("book") === "b" ? "b" : "a" } })) return undefined;
      return new Response("upgrade failed", { status: 400 });
    }
    if (url.pathname === "/api/v5/public/instruments") return Response.json({ code: "0", msg: "", data: url.searchParams.get("instType") === "SWAP" ? [template] : [] });
    if (url.pathname === "/bench/plan") return Response.json({ frames: Math.round(rate * seconds), sent });
    return Response.json({ code: "0", msg: "", data: [] });
  },
  websocket: {
    perMessageDeflate: false,
    message(ws, msg) {
      const text = typeof msg === "string" ? msg : new TextDecoder().decode(msg);
      if (text === "ping") return void ws.sendText("pong");
      const m = JSON.parse(text) as { op?: string; args?: { channel: string; instId: string }[] };
      if (m.op !== "subscribe") return;
      for (const arg of m.args ?? []) {
        ws.sendText(JSON.stringify({ event: "subscribe", arg, connId: ws.data.book }));
        if (arg.channel !== "books" || arg.instId !== INST) continue;
        if (ws.data.book === "b") ws.sendText(snapshot(bBids, bAsks, 9_000));
        else stream(ws);
      }
    },
  },
});

console.log(JSON.stringify({ port: server.port }));
