// The change to each tie that a batch of meetings makes (or, in a rebuild, every tie's whole sum),
// held in typed arrays behind an open-addressing hash on (other, person). A rebuild of a
// 10,000-mailbox tenant visits ~20 million terms into ~3 million ties: as a Map of objects that
// was most of its time and all of its garbage collection.
import type { TieTerm } from './model.js';

/** A tie's change, summed over every meeting of a batch: its terms' sums, and counts. */
export interface TieDelta extends Pick<
  TieTerm,
  'personId' | 'otherId' | 'otherInternal' | 'otherDomain' | 'g30' | 'g90' | 'g365'
> {
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

const INITIAL_SLOTS = 1 << 11;
// entries per page of numbers: pages are added, never copied, so 3 million ties take their own
// ~340 MB and no more (a doubled array held the old and the new copy, up to 3x, while growing)
const PAGE_BITS = 15;
const PAGE_ENTRIES = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_ENTRIES - 1;
// other ids below this make (other, person) one exact double, so keys sort natively
const PACKED_OTHER_LIMIT = 2 ** 22;
const PERSON_SPAN = 2 ** 31;

// one entry's numbers side by side, so an update touches one or two cache lines, not fourteen
const G30 = 0;
const G90 = 1;
const G365 = 2;
const MEETINGS = 3;
const ONE_ON_ONES = 4;
const RECIPROCATED = 5;
const FIRST_ADDED = 6;
const LAST_ADDED = 7;
const FIRST_REMOVED = 8;
const LAST_REMOVED = 9;
const INTERNAL = 10;
const DOMAIN = 11;
const OTHER = 12;
const PERSON = 13;
const STRIDE = 14;

export class TieDeltas {
  #size = 0;
  /** per hash slot: other id, person id, entry + 1 (0: empty), side by side for one cache line */
  #slots = new Int32Array(0);
  /** per entry, in the order made: STRIDE numbers, PAGE_ENTRIES entries to a page */
  readonly #pages: Float64Array[] = [];
  readonly #domains: string[] = [];
  readonly #domainIndex = new Map<string, number>();

  constructor() {
    this.#resize(INITIAL_SLOTS);
  }

  /** Ties with a delta. */
  get size(): number {
    return this.#size;
  }

  /** Adds (1) or takes away (-1) one term of a meeting. */
  add(term: Readonly<TieTerm>, sign: 1 | -1): void {
    const size = this.#size;
    const entry = this.#entry(term.otherId, term.personId);
    const v = this.#pages[entry >>> PAGE_BITS]!;
    const at = (entry & PAGE_MASK) * STRIDE;
    // who the other is comes from the term that made the entry, and from every term added
    if (sign === 1 || this.#size !== size) {
      v[at + INTERNAL] = term.otherInternal ? 1 : 0;
      v[at + DOMAIN] = this.#domainOf(term.otherDomain);
    }
    if (sign === 1) {
      if (term.at < v[at + FIRST_ADDED]!) v[at + FIRST_ADDED] = term.at;
      if (term.at > v[at + LAST_ADDED]!) v[at + LAST_ADDED] = term.at;
    } else {
      if (term.at < v[at + FIRST_REMOVED]!) v[at + FIRST_REMOVED] = term.at;
      if (term.at > v[at + LAST_REMOVED]!) v[at + LAST_REMOVED] = term.at;
    }
    v[at + G30]! += sign * term.g30;
    v[at + G90]! += sign * term.g90;
    v[at + G365]! += sign * term.g365;
    v[at + MEETINGS]! += sign;
    if (term.oneOnOne) v[at + ONE_ON_ONES]! += sign;
    if (term.reciprocated) v[at + RECIPROCATED]! += sign;
  }

  /** Entries in primary-key order (other, person): writers lock tie rows in one order. */
  sortedIndices(): Int32Array {
    const slots = this.#slots;
    const others = new Int32Array(this.#size);
    const people = new Int32Array(this.#size);
    let packable = true;
    for (let s = 0; s < slots.length; s += 3) {
      const entry = slots[s + 2]! - 1;
      if (entry < 0) continue;
      others[entry] = slots[s]!;
      people[entry] = slots[s + 1]!;
      if (slots[s]! < 0 || slots[s]! >= PACKED_OTHER_LIMIT || slots[s + 1]! < 0) packable = false;
    }
    const order = new Int32Array(this.#size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (!packable) {
      return order.sort((a, b) => others[a]! - others[b]! || people[a]! - people[b]!);
    }
    // a native numeric sort of packed keys, then each key's entry found again by its hash
    const packed = new Float64Array(this.#size);
    for (let i = 0; i < packed.length; i++) packed[i] = others[i]! * PERSON_SPAN + people[i]!;
    packed.sort();
    for (let k = 0; k < packed.length; k++) {
      const other = Math.floor(packed[k]! / PERSON_SPAN);
      order[k] = this.#find(other, packed[k]! - other * PERSON_SPAN);
    }
    return order;
  }

  /** The delta of one entry (from sortedIndices), as an object. */
  delta(entry: number): TieDelta {
    const v = this.#pages[entry >>> PAGE_BITS]!;
    const at = (entry & PAGE_MASK) * STRIDE;
    const domain = v[at + DOMAIN]!;
    return {
      personId: v[at + PERSON]!,
      otherId: v[at + OTHER]!,
      otherInternal: v[at + INTERNAL] === 1,
      otherDomain: domain < 0 ? null : this.#domains[domain]!,
      g30: v[at + G30]!,
      g90: v[at + G90]!,
      g365: v[at + G365]!,
      meetings: v[at + MEETINGS]!,
      oneOnOnes: v[at + ONE_ON_ONES]!,
      reciprocated: v[at + RECIPROCATED]!,
      firstAdded: v[at + FIRST_ADDED]!,
      lastAdded: v[at + LAST_ADDED]!,
      firstRemoved: v[at + FIRST_REMOVED]!,
      lastRemoved: v[at + LAST_REMOVED]!,
    };
  }

  /** Every delta in primary-key order. */
  sorted(): TieDelta[] {
    return Array.from(this.sortedIndices(), (entry) => this.delta(entry));
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

  /** The first slot (a multiple of 3) to probe for (other, person). */
  #hash(other: number, person: number, mask: number): number {
    // murmur3's finaliser: ids are dense runs, and the table is indexed by the low bits
    let h = Math.imul(other, 0x9e3779b1) ^ person;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) & mask) * 3;
  }

  #find(other: number, person: number): number {
    const slots = this.#slots;
    const mask = slots.length / 3 - 1;
    for (let s = this.#hash(other, person, mask); ; s = s + 3 === slots.length ? 0 : s + 3) {
      if (slots[s + 2] === 0) return -1;
      if (slots[s] === other && slots[s + 1] === person) return slots[s + 2]! - 1;
    }
  }

  /** The entry of (other, person), made empty if new. */
  #entry(other: number, person: number): number {
    const slots = this.#slots;
    const mask = slots.length / 3 - 1;
    let s = this.#hash(other, person, mask);
    while (slots[s + 2] !== 0) {
      if (slots[s] === other && slots[s + 1] === person) return slots[s + 2]! - 1;
      s = s + 3 === slots.length ? 0 : s + 3;
    }
    // at most half full keeps linear probes short
    if (2 * (this.#size + 1) > mask + 1) {
      this.#resize(2 * (mask + 1));
      return this.#entry(other, person);
    }
    const entry = this.#size++;
    slots[s] = other;
    slots[s + 1] = person;
    slots[s + 2] = entry + 1;
    if (entry >>> PAGE_BITS === this.#pages.length) {
      this.#pages.push(new Float64Array(PAGE_ENTRIES * STRIDE));
    }
    const v = this.#pages[entry >>> PAGE_BITS]!;
    const at = (entry & PAGE_MASK) * STRIDE;
    v[at + OTHER] = other;
    v[at + PERSON] = person;
    v[at + DOMAIN] = -1;
    v[at + FIRST_ADDED] = Infinity;
    v[at + LAST_ADDED] = -Infinity;
    v[at + FIRST_REMOVED] = Infinity;
    v[at + LAST_REMOVED] = -Infinity;
    return entry;
  }

  #resize(slotCount: number): void {
    const old = this.#slots;
    const slots = new Int32Array(3 * slotCount);
    const mask = slotCount - 1;
    for (let from = 0; from < old.length; from += 3) {
      if (old[from + 2] === 0) continue;
      let to = this.#hash(old[from]!, old[from + 1]!, mask);
      while (slots[to + 2] !== 0) to = to + 3 === slots.length ? 0 : to + 3;
      slots[to] = old[from]!;
      slots[to + 1] = old[from + 1]!;
      slots[to + 2] = old[from + 2]!;
    }
    this.#slots = slots;
  }
}
