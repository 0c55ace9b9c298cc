/**
 * Subscription units: the connection layer places units on shards, and both tokens of a market form one
 * unit, so they always share a connection (and its frames): a market's mirrored `price_change` can never
 * be split across two sockets, whatever the venue sends to a socket holding only one of the tokens. A
 * token subscribed without its partner (a static `assets` entry) is a unit of its own.
 */

/** Unit id of a market pair. */
const pairId = (conditionId: string) => `m:${conditionId}`;

export interface MarketTokens {
  readonly conditionId: string;
  readonly clobTokenIds: readonly string[];
}

export class SubscriptionUnits {
  #tokens = new Map<string, readonly string[]>();
  #unitOf = new Map<string, string>();

  /** Tokens subscribed (through any unit). */
  get tokenCount(): number {
    return this.#unitOf.size;
  }

  has(token: string): boolean {
    return this.#unitOf.has(token);
  }

  /** Every subscribed token. */
  tokens(): string[] {
    return [...this.#unitOf.keys()];
  }

  /** The tokens of some units (unknown units are skipped). */
  tokensOf(units: readonly string[]): string[] {
    const out: string[] = [];
    for (const u of units) for (const t of this.#tokens.get(u) ?? []) out.push(t);
    return out;
  }

  /**
   * Registers units for tokens not yet subscribed and returns their ids: both tokens of a market
   * (per `marketOf`) listed together become one unit, any other token its own unit.
   */
  add(tokens: readonly string[], marketOf: (token: string) => MarketTokens | undefined): string[] {
    const wanted = new Set(tokens.filter((t) => !this.#unitOf.has(t)));
    const units: string[] = [];
    for (const t of wanted) {
      if (this.#unitOf.has(t)) continue;
      const m = marketOf(t);
      const pair = m?.clobTokenIds;
      if (m !== undefined && pair !== undefined && pair.length === 2 && pair.every((p) => wanted.has(p) && !this.#unitOf.has(p))) {
        this.#set(pairId(m.conditionId), pair);
        units.push(pairId(m.conditionId));
      } else {
        this.#set(t, [t]);
        units.push(t);
      }
    }
    return units;
  }

  /**
   * The units to drop for these tokens, and the tokens of those units that stay subscribed (the partner
   * of a pair only one of whose tokens goes): the caller re-adds those as units of their own. Call
   * `forget(units)` after the unsubscribe frames went out.
   */
  remove(tokens: readonly string[]): { units: string[]; keep: string[] } {
    const gone = new Set(tokens);
    const units = new Set<string>();
    for (const t of tokens) {
      const u = this.#unitOf.get(t);
      if (u !== undefined) units.add(u);
    }
    const keep: string[] = [];
    for (const u of units) for (const t of this.#tokens.get(u) ?? []) if (!gone.has(t)) keep.push(t);
    return { units: [...units], keep };
  }

  /** Forgets units (after their unsubscribe frames were encoded). */
  forget(units: readonly string[]): void {
    for (const u of units) {
      for (const t of this.#tokens.get(u) ?? []) if (this.#unitOf.get(t) === u) this.#unitOf.delete(t);
      this.#tokens.delete(u);
    }
  }

  #set(unit: string, tokens: readonly string[]): void {
    this.#tokens.set(unit, tokens);
    for (const t of tokens) this.#unitOf.set(t, unit);
  }
}
