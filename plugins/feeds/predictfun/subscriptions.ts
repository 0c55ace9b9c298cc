/**
 * Predict.fun requests: `subscribe` / `unsubscribe` with a unique `requestId` and topic strings, and the
 * heartbeat answer (the server's timestamp echoed).
 */
import type { PredictRequest } from "./messages.ts";

export function predictRequest(method: "subscribe" | "unsubscribe", requestId: number, topics: readonly string[]): string {
  const req: PredictRequest = { method, requestId, params: topics };
  return JSON.stringify(req);
}

/** Answers the server's heartbeat probe (`{"type":"M","topic":"heartbeat","data":ts}`); undefined for other frames. */
export function predictHeartbeatReply(frame: string): string | undefined {
  if (frame.length > 200 || !frame.includes('"heartbeat"')) return undefined;
  let m: unknown;
  try {
    m = JSON.parse(frame);
  } catch {
    return undefined;
  }
  const p = m as { type?: unknown; topic?: unknown; data?: unknown };
  if (p.type !== "M" || p.topic !== "heartbeat") return undefined;
  const req: PredictRequest = { method: "heartbeat", data: p.data };
  return JSON.stringify(req);
}
