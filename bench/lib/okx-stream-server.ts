/**
 * A fake OKX v5 public venue for the end-to-end benchmarks, run as its own process so the client under
 * test has a core to itself: `bun bench/lib/okx-stream-server.ts <instruments> <books updates> <bbo updates>`
 * prints `{"port":…}` when ready. It speaks the real protocol (okx.md): REST instruments (rows shaped like
 * the captured fixture), `{"op":"subscribe"}` with one ack per arg, text ping → pong, then for each
 * subscribed `books` / `bbo-tbt` arg the precomputed stream (okx-frames.ts) as fast as the client reads:
 * frames go out until the socket pushes back and resume on drain. `GET /bench/plan?channel=` tells the
 * client what it must end with. Every new subscription replays its stream from the snapshot.
 */
import type { ServerWebSocket } from "bun";
import fixture from "../../plugins/feeds/okx/fixtures/http_nautilus_get_instruments_swap.json";
import { type BookStream, bboStream, booksStream, streamInstruments } from "./okx-frames.ts";

interface Cursor {
  readonly stream: BookStream;
  /** −1 = the snapshot is next. */
  i: number;
}

interface Conn {
  readonly cursors: Cursor[];
  rr: number;
}

const [count = 4, booksN = 100_000, bboN = 200_000] = process.argv.slice(2).map(Number);
const instruments = streamInstruments(count);
const t0 = Bun.nanoseconds();
const streams: Record<string, Map<string, BookStream>> = {
  books: new Map(instruments.map((inst, i) => [inst.instId, booksStream(inst, booksN, 100 + i)])),
  "bbo-tbt": new Map(instruments.map((inst, i) => [inst.instId, bboStream(inst, bboN, 200 + i)])),
};
const buildMs = (Bun.nanoseconds() - t0) / 1e6;
const template = fixture.data.find((r) => r.instId === "BTC-USDT-SWAP")!;

function instrumentRows(instType: string | null): unknown[] {
  if (instType !== "SWAP") return [];
  return instruments.map((inst) => {
    const base = inst.instId.split("-")[0]!;
    return { ...template, instId: inst.instId, uly: `${base}-USDT`, instFamily: `${base}-USDT`, ctValCcy: base, ctVal: String(inst.ctVal), tickSz: String(inst.tick), lotSz: "1", minSz: "1" };
  });
}

function pump(ws: ServerWebSocket<Conn>): void {
  const c = ws.data;
  while (c.cursors.length > 0) {
    c.rr = (c.rr + 1) % c.cursors.length;
    const cur = c.cursors[c.rr]!;
    const frame = cur.i < 0 ? cur.stream.snapshot : cur.stream.updates[cur.i]!;
    const status = ws.sendText(frame);
    if (status === 0) return; // dropped: resend on drain
    cur.i++;
    if (cur.i >= cur.stream.updates.length) c.cursors.splice(c.rr, 1);
    if (status === -1) return; // queued behind backpressure: wait for drain
  }
}

function onText(ws: ServerWebSocket<Conn>, text: string): void {
  if (text === "ping") {
    ws.sendText("pong");
    return;
  }
  const m = JSON.parse(text) as { op?: string; args?: { channel: string; instId: string }[] };
  if (m.op !== "subscribe" && m.op !== "unsubscribe") return;
  for (const arg of m.args ?? []) {
    const stream = streams[arg.channel]?.get(arg.instId);
    if (stream === undefined) {
      ws.sendText(JSON.stringify({ event: "error", code: "60018", msg: `Invalid request: ${JSON.stringify(arg)}`, connId: "bench" }));
      continue;
    }
    ws.sendText(JSON.stringify({ event: m.op, arg, connId: "bench" }));
    const at = ws.data.cursors.findIndex((c) => c.stream === stream);
    if (at >= 0) ws.data.cursors.splice(at, 1);
    if (m.op === "subscribe") ws.data.cursors.push({ stream, i: -1 });
  }
  pump(ws);
}

const server = Bun.serve<Conn>({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req, srv) {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/ws/")) {
      if (srv.upgrade(req, { data: { cursors: [], rr: 0 } })) return undefined;
      return new Response("upgrade failed", { status: 400 });
    }
    if (url.pathname === "/api/v5/public/instruments") return Response.json({ code: "0", msg: "", data: instrumentRows(url.searchParams.get("instType")) });
    if (url.pathname === "/bench/plan") {
      const m = streams[url.searchParams.get("channel") ?? "books"];
      return Response.json(m === undefined ? [] : [...m.values()].map((s) => s.plan));
    }
    return Response.json({ code: "0", msg: "", data: [] });
  },
  websocket: {
    perMessageDeflate: false,
    backpressureLimit: 4 * 1024 * 1024,
    message(ws, msg) {
      onText(ws, typeof msg === "string" ? msg : new TextDecoder().decode(msg));
    },
    drain: pump,
  },
});

console.log(JSON.stringify({ port: server.port, buildMs }));
