/**
 * The durable alert outbox (SQLite, WAL). Every routed alert and its delivery row per notifier is committed
 * here before any send; a send marks its rows `inflight` first, so after a crash the restarted process knows
 * which rows may already have reached the service. Each such row, and each send that timed out or lost its
 * connection after sending, counts one *unknown* outcome; a row is sent again after at most one of them.
 */
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Alert } from "../events.ts";
import type { AlertRecord } from "../plugin.ts";

/** Delivery state of one alert for one notifier. */
export type DeliveryState = "pending" | "delivered" | "failed" | "suppressed" | "ambiguous";

/** One pending delivery row, oldest first. */
export interface PendingRow {
  readonly seq: number;
  readonly alertId: string;
  readonly notifier: string;
  readonly attempts: number;
  readonly nextAt: number;
  readonly digestId: string | null;
  readonly inflight: boolean;
  /** Sends whose outcome is unknown (timeouts, lost connections, crashes while in flight). */
  readonly unknown: number;
  readonly alert: Alert;
}

/** A delivery to create with an alert. */
export interface NewDelivery {
  readonly notifier: string;
  readonly state: "pending" | "suppressed";
  readonly error?: string;
}

const schema = `
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts(created_at);
CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id TEXT NOT NULL,
  notifier TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  inflight INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL DEFAULT 0,
  digest_id TEXT,
  unknown INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (alert_id, notifier)
);
CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries(state, notifier, seq);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
`;

interface RawPending {
  seq: number;
  alert_id: string;
  notifier: string;
  attempts: number;
  next_at: number;
  digest_id: string | null;
  inflight: number;
  unknown: number;
  body: string;
}

function toPending(r: RawPending): PendingRow {
  return {
    seq: r.seq,
    alertId: r.alert_id,
    notifier: r.notifier,
    attempts: r.attempts,
    nextAt: r.next_at,
    digestId: r.digest_id,
    inflight: r.inflight === 1,
    unknown: r.unknown,
    alert: JSON.parse(r.body) as Alert,
  };
}

/**
 * Opens (creating) the outbox at `path`. `synchronous=NORMAL` in WAL mode survives a killed process (the
 * WAL is in the OS's hands once written); only a power cut can lose the last commits.
 *
 * @example
 * const box = openOutbox("data/alerts-outbox.sqlite");
 * box.insert(alert, [{ notifier: "tg", state: "pending" }], Date.now());
 */
export function openOutbox(path: string): Outbox {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true, strict: true });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
  db.exec(schema);
  // outboxes written before unknown outcomes were counted get the column (0: nothing unknown yet)
  const columns = db.query<{ name: string }, []>("PRAGMA table_info(deliveries)").all();
  if (!columns.some((c) => c.name === "unknown")) db.exec("ALTER TABLE deliveries ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0");
  return new Outbox(db);
}

/** Prepared statements over the outbox database (see `openOutbox`). */
export class Outbox {
  readonly #db: Database;
  readonly #q;

  constructor(db: Database) {
    this.#db = db;
    this.#q = {
      has: db.query<{ n: number }, [string]>("SELECT 1 AS n FROM alerts WHERE id = ?"),
      insertAlert: db.query("INSERT INTO alerts (id, key, created_at, body) VALUES (?, ?, ?, ?)"),
      insertDelivery: db.query(
        "INSERT INTO deliveries (alert_id, notifier, state, error, updated_at) VALUES (?, ?, ?, ?, ?)",
      ),
      pending: db.query<RawPending, [string, number]>(
        `SELECT d.seq, d.alert_id, d.notifier, d.attempts, d.next_at, d.digest_id, d.inflight, d.unknown, a.body
         FROM deliveries d JOIN alerts a ON a.id = d.alert_id
         WHERE d.state = 'pending' AND d.notifier = ? ORDER BY d.seq LIMIT ?`,
      ),
      pendingCount: db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'pending'"),
      pendingByNotifier: db.query<{ notifier: string; n: number }, []>(
        "SELECT notifier, COUNT(*) AS n FROM deliveries WHERE state = 'pending' GROUP BY notifier",
      ),
      inflight: db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM deliveries WHERE inflight = 1"),
      clearInflight: db.query("UPDATE deliveries SET inflight = 0, unknown = unknown + 1 WHERE inflight = 1"),
      markInflight: db.query("UPDATE deliveries SET inflight = 1, attempts = attempts + 1, updated_at = ? WHERE seq = ?"),
      markDone: db.query(
        "UPDATE deliveries SET state = ?, inflight = 0, error = ?, digest_id = COALESCE(?, digest_id), updated_at = ? WHERE seq = ?",
      ),
      markRetry: db.query("UPDATE deliveries SET inflight = 0, next_at = ?, error = ?, unknown = unknown + ?, updated_at = ? WHERE seq = ?"),
      pinDigest: db.query("UPDATE deliveries SET digest_id = ? WHERE seq = ?"),
      recentAlerts: db.query<{ id: string; body: string }, [number]>(
        "SELECT id, body FROM alerts ORDER BY created_at DESC, rowid DESC LIMIT ?",
      ),
      since: db.query<{ body: string; notifiers: string | null }, [number]>(
        `SELECT a.body, (SELECT group_concat(d.notifier, ',') FROM deliveries d
           WHERE d.alert_id = a.id AND d.state != 'suppressed') AS notifiers
         FROM alerts a WHERE a.created_at >= ? ORDER BY a.created_at, a.rowid`,
      ),
      deliveriesOf: db.query<{ notifier: string; state: string; attempts: number; error: string | null }, [string]>(
        "SELECT notifier, state, attempts, error FROM deliveries WHERE alert_id = ? ORDER BY seq",
      ),
      expiring: db.query<{ notifier: string; n: number }, [number]>(
        `SELECT d.notifier, COUNT(*) AS n FROM deliveries d JOIN alerts a ON a.id = d.alert_id
         WHERE a.created_at < ? AND d.state = 'pending' GROUP BY d.notifier`,
      ),
      pruneDeliveries: db.query(
        "DELETE FROM deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE created_at < ?)",
      ),
      pruneAlerts: db.query("DELETE FROM alerts WHERE created_at < ?"),
      getMeta: db.query<{ v: string }, [string]>("SELECT v FROM meta WHERE k = ?"),
      setMeta: db.query("INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v"),
    };
  }

  /** True when an alert with this id was ever stored (and not yet pruned). */
  has(alertId: string): boolean {
    return this.#q.has.get(alertId) !== null;
  }

  /** Stores an alert and its delivery rows in one transaction. */
  insert(alert: Alert, deliveries: readonly NewDelivery[], now: number): void {
    this.#db.transaction(() => {
      this.#q.insertAlert.run(alert.id, alert.key, now, JSON.stringify(alert));
      for (const d of deliveries) this.#q.insertDelivery.run(alert.id, d.notifier, d.state, d.error ?? null, now);
    })();
  }

  /** Up to `limit` pending rows of one notifier, oldest first. */
  pending(notifier: string, limit: number): PendingRow[] {
    return this.#q.pending.all(notifier, limit).map(toPending);
  }

  /** Pending rows across notifiers (`edgewatch_alert_outbox_pending`). */
  pendingCount(): number {
    return this.#q.pendingCount.get()?.n ?? 0;
  }

  /** Pending rows per notifier id. */
  pendingByNotifier(): Map<string, number> {
    return new Map(this.#q.pendingByNotifier.all().map((r) => [r.notifier, r.n]));
  }

  /** Forgets `inflight` marks left by a crash, counting each as an unknown outcome; returns how many there were. */
  recoverInflight(): number {
    const n = this.#q.inflight.get()?.n ?? 0;
    if (n > 0) this.#q.clearInflight.run();
    return n;
  }

  /** Marks rows as being sent (committed before the request leaves). */
  markInflight(seqs: readonly number[], now: number): void {
    this.#db.transaction(() => {
      for (const s of seqs) this.#q.markInflight.run(now, s);
    })();
  }

  /** Final state of rows: delivered (with the digest they went out in), failed, or ambiguous (given up unknown). */
  markDone(seqs: readonly number[], state: "delivered" | "failed" | "ambiguous", now: number, error?: string, digestId?: string): void {
    this.#db.transaction(() => {
      for (const s of seqs) this.#q.markDone.run(state, error ?? null, digestId ?? null, now, s);
    })();
  }

  /** Rows go back to waiting until `nextAt`; `unknown` when the outcome of this send is unknown. */
  markRetry(seqs: readonly number[], nextAt: number, error: string, now: number, unknown = false): void {
    this.#db.transaction(() => {
      for (const s of seqs) this.#q.markRetry.run(nextAt, error, unknown ? 1 : 0, now, s);
    })();
  }

  /** Fixes the rows of a digest, so a retry sends exactly the same group. */
  pinDigest(seqs: readonly number[], digestId: string): void {
    this.#db.transaction(() => {
      for (const s of seqs) this.#q.pinDigest.run(digestId, s);
    })();
  }

  /** Newest alerts with their delivery state per notifier (`/api/alerts`). */
  recent(limit: number): AlertRecord[] {
    return this.#q.recentAlerts.all(Math.max(0, Math.floor(limit))).map((r) => {
      const deliveries: AlertRecord["deliveries"] = {};
      for (const d of this.#q.deliveriesOf.all(r.id)) {
        (deliveries as Record<string, AlertRecord["deliveries"][string]>)[d.notifier] = {
          state: d.state as DeliveryState,
          attempts: d.attempts,
          ...(d.error === null ? {} : { error: d.error }),
        };
      }
      return { alert: JSON.parse(r.body) as Alert, deliveries };
    });
  }

  /** Alerts stored since `t`, with the notifiers each was routed to (dedupe and cooldown after a restart). */
  since(t: number): { alert: Alert; notifiers: string[] }[] {
    return this.#q.since.all(t).map((r) => ({
      alert: JSON.parse(r.body) as Alert,
      notifiers: r.notifiers === null ? [] : r.notifiers.split(","),
    }));
  }

  /** Deletes alerts stored before `t`; returns the pending deliveries that expired, per notifier. */
  prune(t: number): Map<string, number> {
    const expired = new Map<string, number>();
    this.#db.transaction(() => {
      for (const r of this.#q.expiring.all(t)) expired.set(r.notifier, r.n);
      this.#q.pruneDeliveries.run(t);
      this.#q.pruneAlerts.run(t);
    })();
    return expired;
  }

  /** A small persisted setting (the mute), or undefined. */
  getMeta(k: string): string | undefined {
    return this.#q.getMeta.get(k)?.v;
  }

  /** Stores a small persisted setting. */
  setMeta(k: string, v: string): void {
    this.#q.setMeta.run(k, v);
  }

  /** Closes the database (pending rows stay for the next run). */
  close(): void {
    this.#db.close(false);
  }
}
