// The change to each tie that a batch of meetings makes (or, in a rebuild, every tie's whole sum),
// held in typed arrays behind an open-addressing hash on (other, person). A rebuild of a
// 10,000-mailbox tenant visits ~20 million terms into ~3 million ties: as a Map of objects that
// was most of its time and all of its garbage collection.
import type { TieTerm } from './model.js';

/** A tie's change, summed over every meeting of a batch. */
export interface TieDelta {
  personId: number;
  otherId: number;
  otherInternal: boolean;
  otherDomain: string | null;
  g30: number;
  g90: number;
  g365: number;
  meetings: number;
  oneOnOnes: number;
  reciprocated: number;
  /** earliest and latest start among the meetings added (±Infinity when none) */
  firstAdded: number;
  lastAdded: number;
  /** earliest and latest start among the meetings taken away (±Infinity when none) */
  firstRemoved: number;
  lastRemoved: number;
}

const INITIAL_CAPACITY = 1 << 10;
// other ids below this make (other, person) one exact double, so keys sort natively
const PACKED_OTHER_LIMIT = 2 ** 22;
const PERSON_SPAN = 2 ** 31;

export class TieDeltas {
  #size = 0;
  #capacity = 0;
  /** hash slot → entry index + 1; 0 is empty; twice the capacity keeps probes short */
  #slots = new Int32Array(0);
  #other = new Int32Array(0);
  #person = new Int32Array(0);
  #internal = new Uint8Array(0);
  /** index into #domains, -1 for none */
  #domain = new Int32Array(0);
  #g30 = new Float64Array(0);
  #g90 = new Float64Array(0);
  #g365 = new Float64Array(0);
  #meetings = new Int32Array(0);
  #oneOnOnes = new Int32Array(0);
  #reciprocated = new Int32Array(0);
  #firstAdded = new Float64Array(0);
  #lastAdded = new Float64Array(0);
  #firstRemoved = new Float64Array(0);
  #lastRemoved = new Float64Array(0);
  readonly #domains: string[] = [];
  readonly #domainIndex = new Map<string, number>();

  constructor() {
    this.#grow(INITIAL_CAPACITY);
  }

  /** Ties with a delta. */
  get size(): number {
    return this.#size;
  }

  /** Adds (1) or takes away (-1) one term of a meeting. */
  add(term: Readonly<TieTerm>, sign: 1 | -1): void {
    const size = this.#size;
    const i = this.#entry(term.otherId, term.personId);
    // who the other is comes from the term that made the entry, and from every term added
    if (sign === 1 || i === size) {
      this.#internal[i] = term.otherInternal ? 1 : 0;
      this.#domain[i] = this.#domainOf(term.otherDomain);
    }
    if (sign === 1) {
      if (term.at < this.#firstAdded[i]!) this.#firstAdded[i] = term.at;
      if (term.at > this.#lastAdded[i]!) this.#lastAdded[i] = term.at;
    } else {
      if (term.at < this.#firstRemoved[i]!) this.#firstRemoved[i] = term.at;
      if (term.at > this.#lastRemoved[i]!) this.#lastRemoved[i] = term.at;
    }
    this.#g30[i]! += sign * term.g30;
    this.#g90[i]! += sign * term.g90;
    this.#g365[i]! += sign * term.g365;
    this.#meetings[i]! += sign;
    if (term.oneOnOne) this.#oneOnOnes[i]! += sign;
    if (term.reciprocated) this.#reciprocated[i]! += sign;
  }

  /** Entry indices in primary-key order (other, person): writers lock tie rows in one order. */
  sortedIndices(): Int32Array {
    const order = new Int32Array(this.#size);
    let packable = true;
    for (let i = 0; i < this.#size; i++) {
      order[i] = i;
      if (this.#other[i]! < 0 || this.#other[i]! >= PACKED_OTHER_LIMIT || this.#person[i]! < 0) {
        packable = false;
      }
    }
    if (!packable) {
      return order.sort(
        (a, b) => this.#other[a]! - this.#other[b]! || this.#person[a]! - this.#person[b]!,
      );
    }
    // a native numeric sort of packed keys, then each key's entry found again by its hash
    const keys = new Float64Array(this.#size);
    for (let i = 0; i < this.#size; i++) keys[i] = this.#other[i]! * PERSON_SPAN + this.#person[i]!;
    keys.sort();
    for (let k = 0; k < keys.length; k++) {
      const other = Math.floor(keys[k]! / PERSON_SPAN);
      order[k] = this.#find(other, keys[k]! - other * PERSON_SPAN);
    }
    return order;
  }

  /** The delta of one entry, as an object. */
  delta(i: number): TieDelta {
    const domain = this.#domain[i]!;
    return {
      personId: this.#person[i]!,
      otherId: this.#other[i]!,
      otherInternal: this.#internal[i] === 1,
      otherDomain: domain < 0 ? null : this.#domains[domain]!,
      g30: this.#g30[i]!,
      g90: this.#g90[i]!,
      g365: this.#g365[i]!,
      meetings: this.#meetings[i]!,
      oneOnOnes: this.#oneOnOnes[i]!,
      reciprocated: this.#reciprocated[i]!,
      firstAdded: this.#firstAdded[i]!,
      lastAdded: this.#lastAdded[i]!,
      firstRemoved: this.#firstRemoved[i]!,
      lastRemoved: this.#lastRemoved[i]!,
    };
  }

  /** Every delta in primary-key order. */
  sorted(): TieDelta[] {
    return Array.from(this.sortedIndices(), (i) => this.delta(i));
  }

  #domainOf(domain: string | null): number {
    if (domain === null) return -1;
    let index = this.#domainIndex.get(domain);
    if (index === undefined) {
      index = this.#domains.length;
      this.#domains.push(domain);
      this.#domainIndex.set(domain, index);
    }
    return index;
  }

  #hash(other: number, person: number): number {
    return (
      (Math.imul(other, 0x9e3779b1) ^ Math.imul(person, 0x85ebca77)) & (this.#slots.length - 1)
    );
  }

  #find(other: number, person: number): number {
    for (let slot = this.#hash(other, person); ; slot = (slot + 1) & (this.#slots.length - 1)) {
      const i = this.#slots[slot]! - 1;
      if (i < 0) return -1;
      if (this.#other[i] === other && this.#person[i] === person) return i;
    }
  }

  #entry(other: number, person: number): number {
    let slot = this.#hash(other, person);
    for (;;) {
      const i = this.#slots[slot]! - 1;
      if (i < 0) break;
      if (this.#other[i] === other && this.#person[i] === person) return i;
      slot = (slot + 1) & (this.#slots.length - 1);
    }
    if (this.#size === this.#capacity) {
      this.#grow(this.#capacity * 2);
      return this.#entry(other, person);
    }
    const i = this.#size++;
    this.#slots[slot] = i + 1;
    this.#other[i] = other;
    this.#person[i] = person;
    this.#domain[i] = -1;
    this.#firstAdded[i] = Infinity;
    this.#lastAdded[i] = -Infinity;
    this.#firstRemoved[i] = Infinity;
    this.#lastRemoved[i] = -Infinity;
    return i;
  }

  #grow(capacity: number): void {
    const widen = <T extends Int32Array | Uint8Array | Float64Array>(
      from: T,
      make: (length: number) => T,
    ): T => {
      const to = make(capacity);
      to.set(from.subarray(0, this.#size));
      return to;
    };
    this.#other = widen(this.#other, (n) => new Int32Array(n));
    this.#person = widen(this.#person, (n) => new Int32Array(n));
    this.#internal = widen(this.#internal, (n) => new Uint8Array(n));
    this.#domain = widen(this.#domain, (n) => new Int32Array(n));
    this.#g30 = widen(this.#g30, (n) => new Float64Array(n));
    this.#g90 = widen(this.#g90, (n) => new Float64Array(n));
    this.#g365 = widen(this.#g365, (n) => new Float64Array(n));
    this.#meetings = widen(this.#meetings, (n) => new Int32Array(n));
    this.#oneOnOnes = widen(this.#oneOnOnes, (n) => new Int32Array(n));
    this.#reciprocated = widen(this.#reciprocated, (n) => new Int32Array(n));
    this.#firstAdded = widen(this.#firstAdded, (n) => new Float64Array(n));
    this.#lastAdded = widen(this.#lastAdded, (n) => new Float64Array(n));
    this.#firstRemoved = widen(this.#firstRemoved, (n) => new Float64Array(n));
    this.#lastRemoved = widen(this.#lastRemoved, (n) => new Float64Array(n));
    this.#capacity = capacity;
    this.#slots = new Int32Array(capacity * 2);
    for (let i = 0; i < this.#size; i++) {
      let slot = this.#hash(this.#other[i]!, this.#person[i]!);
      while (this.#slots[slot] !== 0) slot = (slot + 1) & (this.#slots.length - 1);
      this.#slots[slot] = i + 1;
    }
  }
}
