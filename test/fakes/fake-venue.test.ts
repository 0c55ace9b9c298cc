import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "../../core/clock.ts";
import { FakeVenue, readFrames, waitFor, type FakeVenueOptions } from "./fake-venue.ts";

const protocol: FakeVenueOptions = {
  heartbeat: (t) => (t === "ping" ? "pong" : undefined),
  subscription: (t) => {
    const m = JSON.parse(t) as { op?: string; args?: string[] };
    return m.op === "subscribe" || m.op === "unsubscribe" ? { op: m.op, ids: m.args ?? [] } : undefined;
  },
};

let venue: FakeVenue | undefined;
const sockets: WebSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
  venue?.stop();
  venue = undefined;
});

interface Client {
  ws: WebSocket;
  got: string[];
  closed: { code: number } | undefined;
}

async function client(url: string, headers?: Record<string, string>): Promise<Client> {
  const ws = headers === undefined ? new WebSocket(url) : new WebSocket(url, { headers } as unknown as string[]);
  sockets.push(ws);
  const c: Client = { ws, got: [], closed: undefined };
  ws.onmessage = (e) => void c.got.push(String(e.data));
  ws.onclose = (e) => void (c.closed = { code: e.code });
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("refused"));
  });
  return c;
}

describe("FakeVenue", () => {
  it("does record what a client sent: subscriptions, heartbeats, headers", async () => {
    venue = FakeVenue.start({ ...protocol, onSubscribe: (c, ids) => c.send(`snap:${ids.join(",")}`) });
    const c = await client(`${venue.url}?x=1`, { "x-api-key": "k1" });
    c.ws.send('{"op":"subscribe","args":["A","B"]}');
    c.ws.send("ping");
    c.ws.send('{"op":"unsubscribe","args":["A"]}');
    c.ws.send('{"op":"other"}');
    await waitFor(() => venue!.last().received.length === 4, "four frames");
    const v = venue.last();
    expect(v.textPings).toBe(1);
    expect([...v.subscriptions]).toEqual(["B"]);
    expect(v.subscribeFrames).toHaveLength(2);
    expect(v.headers["x-api-key"]).toBe("k1");
    expect(v.query.get("x")).toBe("1");
    await waitFor(() => c.got.length === 2, "snapshot and pong");
    expect(c.got).toEqual(["snap:A,B", "pong"]);
  });

  it("does refuse ids beyond the per-connection cap", async () => {
    venue = FakeVenue.start({ ...protocol, maxPerConnection: 2 });
    const c = await client(venue.url);
    c.ws.send('{"op":"subscribe","args":["A","B","C"]}');
    await waitFor(() => venue!.last().subscribeFrames.length === 1, "subscribe");
    expect([...venue.last().subscriptions]).toEqual(["A", "B"]);
    expect(venue.last().refusedIds).toEqual(["C"]);
  });

  it("does inject duplicates, gaps, rewritten frames and held bursts", async () => {
    venue = FakeVenue.start(protocol);
    const c = await client(venue.url);
    await waitFor(() => venue!.clients.length === 1, "accepted");
    const v = venue.last();
    v.duplicateNext();
    v.send("1");
    v.dropNext();
    v.send("2");
    v.mutateNext((f) => f.replace("3", "3-corrupt"));
    v.send("3");
    v.hold();
    v.send("4");
    v.send("5");
    await Bun.sleep(5);
    expect(c.got).toEqual(["1", "1", "3-corrupt"]);
    v.release();
    v.sendMalformed();
    await waitFor(() => c.got.length === 6, "burst");
    expect(c.got.slice(3, 5)).toEqual(["4", "5"]);
    expect(() => JSON.parse(c.got[5]!)).toThrow();
  });

  it("does stall data, mute pongs, or go silent", async () => {
    venue = FakeVenue.start(protocol);
    const c = await client(venue.url);
    await waitFor(() => venue!.clients.length === 1, "accepted");
    const v = venue.last();
    v.mode = "data-stalled";
    v.send("data");
    c.ws.send("ping");
    await waitFor(() => c.got.length === 1, "pong while data stalled");
    v.mode = "mute-pongs";
    v.send("data");
    c.ws.send("ping");
    await waitFor(() => c.got.length === 2, "data while pongs muted");
    v.mode = "stalled";
    v.send("data");
    c.ws.send("ping");
    await waitFor(() => v.textPings === 3, "third ping received");
    await Bun.sleep(5);
    expect(c.got).toEqual(["pong", "data"]);
  });

  it("does refuse upgrades for a period of its clock, then accept", async () => {
    const clock = new ManualClock(0);
    venue = FakeVenue.start({ ...protocol, clock });
    venue.refuse(429, 60_000);
    await expect(client(venue.url)).rejects.toThrow("refused");
    clock.advance(60_000);
    await client(venue.url);
    expect(venue.refusals).toBe(1);
    expect(venue.upgrades).toBe(2);
  });

  it("does drop abruptly or close with a code", async () => {
    venue = FakeVenue.start(protocol);
    const a = await client(venue.url);
    const b = await client(venue.url);
    await waitFor(() => venue!.clients.length === 2, "accepted");
    venue.clients[0]!.drop();
    venue.clients[1]!.close(1001, "going away");
    await waitFor(() => a.closed !== undefined && b.closed !== undefined, "closed");
    expect(a.closed!.code).toBe(1006);
    expect(b.closed!.code).toBe(1001);
    expect(venue.live()).toHaveLength(0);
  });

  it("does serve registered REST routes beside the socket", async () => {
    venue = FakeVenue.start(protocol);
    venue.route("GET", "/api/book", (_req, url) => Response.json({ id: url.searchParams.get("id"), bids: [] }));
    const res = await fetch(`${venue.httpUrl}/api/book?id=A`);
    expect(await res.json()).toEqual({ id: "A", bids: [] });
    expect((await fetch(`${venue.httpUrl}/nope`)).status).toBe(404);
  });

  it("does play scripted frames and generated load on its clock", async () => {
    const clock = new ManualClock(0);
    venue = FakeVenue.start({ ...protocol, clock });
    const c = await client(venue.url);
    await waitFor(() => venue!.clients.length === 1, "accepted");
    const file = `/tmp/edgewatch-script-${process.pid}.json`;
    await Bun.write(file, JSON.stringify([{ arg: { channel: "books5" }, data: [{ seq: 1 }] }, { arg: { channel: "books5" }, data: [{ seq: 2 }] }]));
    const frames = await readFrames(file);
    expect(frames).toHaveLength(2);
    venue.play(frames, 100);
    const stopLoad = venue.load(1_000, 3, (i) => venue!.broadcast(`gen:${i}`));
    clock.advance(100 * frames.length);
    clock.advance(1_000 - ((100 * frames.length) % 1_000));
    stopLoad();
    clock.advance(5_000);
    await waitFor(() => c.got.length >= frames.length + 3, "frames");
    await Bun.sleep(5);
    expect(c.got.slice(0, frames.length)).toEqual(frames);
    expect(c.got.filter((f) => f.startsWith("gen:")).length).toBeGreaterThanOrEqual(3);
    expect(clock.pending()).toBe(0);
  });
});

describe("readFrames", () => {
  it("does read a JSON array, a JSON object, or one frame per line", async () => {
    const dir = `/tmp/edgewatch-frames-${process.pid}`;
    await Bun.write(`${dir}/a.json`, '[{"x":1},{"x":2}]');
    await Bun.write(`${dir}/b.json`, '{"x":3}');
    await Bun.write(`${dir}/c.jsonl`, 'ping\n{"x":4}\n\n');
    expect(await readFrames(`${dir}/a.json`)).toEqual(['{"x":1}', '{"x":2}']);
    expect(await readFrames(`${dir}/b.json`)).toEqual(['{"x":3}']);
    expect(await readFrames(`${dir}/c.jsonl`)).toEqual(["ping", '{"x":4}']);
  });
});
