/**
 * Kalshi API-key authentication of the WebSocket handshake: headers `KALSHI-ACCESS-KEY`,
 * `KALSHI-ACCESS-TIMESTAMP` (ms) and `KALSHI-ACCESS-SIGNATURE` = base64 RSA-PSS (SHA-256, salt length =
 * digest length) over `timestamp + "GET" + path`, signed with the key's RSA private key. Built fresh for
 * every connection attempt (the timestamp must be current).
 */
import { constants, createPrivateKey, sign, type KeyObject } from "node:crypto";

/** The signed path of the WebSocket endpoint. */
export const KALSHI_WS_PATH = "/trade-api/ws/v2";

/** A private key from PEM text (`\n` escapes, as env variables often carry them, are accepted). */
export function kalshiPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem.includes("\\n") ? pem.replaceAll("\\n", "\n") : pem);
}

/** The base64 signature of `timestamp + method + path`. */
export function kalshiSignature(key: KeyObject, timestampMs: number, method: string, path: string): string {
  return sign("sha256", Buffer.from(`${timestampMs}${method}${path}`), {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString("base64");
}

/** The three handshake headers. */
export function kalshiAuthHeaders(keyId: string, key: KeyObject, timestampMs: number, path = KALSHI_WS_PATH): Record<string, string> {
  return {
    "KALSHI-ACCESS-KEY": keyId,
    "KALSHI-ACCESS-TIMESTAMP": String(timestampMs),
    "KALSHI-ACCESS-SIGNATURE": kalshiSignature(key, timestampMs, "GET", path),
  };
}
