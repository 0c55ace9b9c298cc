import type { EventMap, EventName } from "./events.ts";

/** A function that removes the listener it came from; also disposable (`using off = bus.on(...)`). */
export interface Unsubscribe {
  (): void;
  [Symbol.dispose](): void;
}

export type Listener<K extends EventName> = (payload: EventMap[K]) => void;

interface Entry {
  readonly fn: (payload: never) => void;
  /** Plugin id the listener belongs to, named in `plugin.error`. */
  readonly owner: string;
  readonly once: boolean;
}

/**
 * Typed, synchronous event bus.
 *
 * `emit` calls every listener in order on the caller's stack: no promise and no allocation per emit
 * beyond the payload (listener arrays are copy-on-write, so emit iterates a stable snapshot).
 * A listener that throws is isolated: the error becomes a `plugin.error` event and a counter, and the
 * remaining listeners still run. A listener of `plugin.error` that throws is only counted (never recursive).
 *
 * @example
 * const bus = new Bus();
 * const off = bus.on("quote", (q) => console.log(q.instrument, q.bid), "my-plugin");
 * bus.emit("quote", quote);
 * off();
 */
export class Bus {
  #listeners = new Map<EventName, Entry[]>();
  #errorCounts = new Map<string, number>();
  #emitting = 0;
  /** Called when a listener throws, before `plugin.error` is emitted (the runtime logs here). */
  onListenerError: ((owner: string, event: string, error: unknown) => void) | undefined;

  /** Adds a listener; returns its unsubscribe. `owner` names the plugin in error reports. */
  on<K extends EventName>(name: K, fn: Listener<K>, owner = "anonymous"): Unsubscribe {
    return this.#add(name, { fn: fn as (p: never) => void, owner, once: false });
  }

  /** Like `on`, removed after its first call. */
  once<K extends EventName>(name: K, fn: Listener<K>, owner = "anonymous"): Unsubscribe {
    return this.#add(name, { fn: fn as (p: never) => void, owner, once: true });
  }

  /** Delivers `payload` to every listener of `name`, synchronously, each isolated from the others. */
  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    const list = this.#listeners.get(name);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      if (entry.once) this.#remove(name, entry);
      try {
        (entry.fn as (p: EventMap[K]) => void)(payload);
      } catch (error) {
        this.#report(entry.owner, name, error);
      }
    }
  }

  /** Number of listeners of one event (metrics; feeds skip building payloads nobody reads). */
  listenerCount(name: EventName): number {
    return this.#listeners.get(name)?.length ?? 0;
  }

  /** Listener counts per event, for metrics. */
  listenerCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, list] of this.#listeners) out[name] = list.length;
    return out;
  }

  /** Listener errors counted per owner (`edgewatch_plugin_errors_total`). */
  errorCounts(): ReadonlyMap<string, number> {
    return this.#errorCounts;
  }

  /** Removes every listener an owner added (a plugin stopping). */
  offOwner(owner: string): void {
    for (const [name, list] of this.#listeners) {
      const kept = list.filter((e) => e.owner !== owner);
      if (kept.length !== list.length) this.#set(name, kept);
    }
  }

  #add(name: EventName, entry: Entry): Unsubscribe {
    const list = this.#listeners.get(name);
    this.#set(name, list === undefined ? [entry] : [...list, entry]);
    const off = (() => this.#remove(name, entry)) as Unsubscribe;
    off[Symbol.dispose] = off;
    return off;
  }

  #remove(name: EventName, entry: Entry): void {
    const list = this.#listeners.get(name);
    if (list === undefined) return;
    const i = list.indexOf(entry);
    if (i < 0) return;
    this.#set(name, list.slice(0, i).concat(list.slice(i + 1)));
  }

  #set(name: EventName, list: Entry[]): void {
    if (list.length === 0) this.#listeners.delete(name);
    else this.#listeners.set(name, list);
  }

  #report(owner: string, event: string, error: unknown): void {
    this.#errorCounts.set(owner, (this.#errorCounts.get(owner) ?? 0) + 1);
    try {
      this.onListenerError?.(owner, event, error);
    } catch {
      // the logger itself failed; the count above still records the error
    }
    if (event === "plugin.error" || this.#emitting > 0) return;
    this.#emitting++;
    try {
      this.emit("plugin.error", { plugin: owner, during: event, error, ts: Date.now() });
    } finally {
      this.#emitting--;
    }
  }
}

/** A bus view bound to one plugin: listeners are owned by it and all removed when it stops. */
export interface ScopedBus {
  on<K extends EventName>(name: K, fn: Listener<K>): Unsubscribe;
  once<K extends EventName>(name: K, fn: Listener<K>): Unsubscribe;
  emit<K extends EventName>(name: K, payload: EventMap[K]): void;
  listenerCount(name: EventName): number;
}

/** Binds a bus to a plugin id (the runtime gives each plugin one). */
export function scopeBus(bus: Bus, owner: string): ScopedBus {
  return {
    on: (name, fn) => bus.on(name, fn, owner),
    once: (name, fn) => bus.once(name, fn, owner),
    emit: (name, payload) => bus.emit(name, payload),
    listenerCount: (name) => bus.listenerCount(name),
  };
}
