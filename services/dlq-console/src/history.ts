/** One measurement of a series: when, and what. */
export interface Sample<T> {
  readonly at: number
  readonly value: T
}

/**
 * The last `capacity` measurements per key (a group, a dead-letter topic), in memory: enough for a
 * chart of the last hour at the measuring interval, and bounded whatever the cluster holds (each
 * key costs at most `capacity` samples; keys that disappear are dropped with `retain`).
 */
export class History<T> {
  readonly capacity: number
  readonly #rings = new Map<string, { samples: Sample<T>[]; next: number }>()

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity needs to be ≥ 1')
    this.capacity = capacity
  }

  add(key: string, at: number, value: T): void {
    let ring = this.#rings.get(key)
    if (!ring) {
      ring = { samples: [], next: 0 }
      this.#rings.set(key, ring)
    }
    if (ring.samples.length < this.capacity) ring.samples.push({ at, value })
    else ring.samples[ring.next] = { at, value }
    ring.next = (ring.next + 1) % this.capacity
  }

  /** Oldest first. */
  get(key: string): Sample<T>[] {
    const ring = this.#rings.get(key)
    if (!ring) return []
    if (ring.samples.length < this.capacity) return [...ring.samples]
    return [...ring.samples.slice(ring.next), ...ring.samples.slice(0, ring.next)]
  }

  delete(key: string): void {
    this.#rings.delete(key)
  }

  /** Forgets every key not in `keys` (a deleted group or topic). */
  retain(keys: Iterable<string>): void {
    const kept = new Set(keys)
    for (const key of [...this.#rings.keys()]) if (!kept.has(key)) this.#rings.delete(key)
  }

  keys(): string[] {
    return [...this.#rings.keys()]
  }
}

/** Samples kept per key: `windowMs` at `intervalMs`, at least 2 (a line) and at most 2 880. */
export function historyCapacity(windowMs: number, intervalMs: number): number {
  if (intervalMs <= 0) return 2
  return Math.min(2_880, Math.max(2, Math.ceil(windowMs / intervalMs)))
}
