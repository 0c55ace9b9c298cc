/**
 * Stream trimming that never takes what a consumer group has not read: per stream, the lowest of every
 * group's last-delivered id and its oldest pending (delivered, not acknowledged) entry; entries below it
 * go. A stream without groups is only held to `stream_max_len` (on XADD).
 */
import type { RedisClient } from "bun";
import { compareIds } from "./wire.ts";

interface GroupInfo {
  readonly name: string;
  readonly "last-delivered-id": string;
  readonly pending: number;
}

/** The id below which every group has read and acknowledged, or undefined when the stream has no group. */
export async function safeTrimId(client: RedisClient, stream: string): Promise<string | undefined> {
  let groups: GroupInfo[];
  try {
    groups = (await client.send("XINFO", ["GROUPS", stream])) as GroupInfo[];
  } catch {
    return undefined; // no such stream yet
  }
  if (!Array.isArray(groups) || groups.length === 0) return undefined;
  let min: string | undefined;
  for (const g of groups) {
    let id = g["last-delivered-id"];
    // a group that has read nothing yet ("0-0") holds the whole stream
    if (g.pending > 0) {
      const summary = (await client.send("XPENDING", [stream, g.name])) as [number, string | null, string | null, unknown];
      const oldest = summary[1];
      if (oldest !== null && compareIds(oldest, id) < 0) id = oldest;
    }
    if (min === undefined || compareIds(id, min) < 0) min = id;
  }
  return min;
}

/** Trims each stream to what every group has read; returns entries removed per stream. */
export async function trimStreams(client: RedisClient, streams: readonly string[]): Promise<Map<string, number>> {
  const removed = new Map<string, number>();
  for (const stream of streams) {
    const id = await safeTrimId(client, stream);
    if (id === undefined || id === "0-0") continue;
    const n = (await client.send("XTRIM", [stream, "MINID", id])) as number;
    removed.set(stream, n);
  }
  return removed;
}
