/**
 * How long a store keeps a key after its last write. The clock is the changelog record's timestamp
 * (the time the store wrote it, CreateTime), not a time inside the value: it is what the broker's
 * `retention.ms` judges segments by, so memory and changelog forget on the same clock, and it
 * needs no decoding to decide on restore.
 */
export interface Horizon {
  /** How long after its last write a key is kept, in milliseconds. */
  readonly ms: number
  /** The clock; unit tests pass a fake. */
  readonly now?: () => number
}

// Seconds since this base fit a small integer (V8 Smi, ±2^30) until 2058: no heap number per key.
const baseMs = Date.UTC(2024, 0, 1)
const toSeconds = (ms: number) => Math.floor((ms - baseMs) / 1000)

/**
 * The last write time of every key of one partition, oldest first (Map order is insertion order and
 * a write re-inserts its key), so expiring is a walk from the front that stops at the first key
 * still inside the horizon: O(expired), nothing to scan when nothing expires. Times are kept in
 * whole seconds. Writes come from one producer per partition at a time, so times are in order up
 * to the clock skew between two owners; a key written out of order expires that much late.
 */
export class WriteTimes {
  readonly #seconds = new Map<string, number>()

  get size(): number {
    return this.#seconds.size
  }

  touch(key: string, atMs: number): void {
    this.#seconds.delete(key)
    this.#seconds.set(key, toSeconds(atMs))
  }

  forget(key: string): void {
    this.#seconds.delete(key)
  }

  /** Removes the keys last written before `cutoffMs` and calls `drop` for each. */
  expire(cutoffMs: number, drop: (key: string) => void): number {
    const cutoff = toSeconds(cutoffMs)
    let dropped = 0
    for (const [key, seconds] of this.#seconds) {
      if (seconds >= cutoff) break
      this.#seconds.delete(key)
      drop(key)
      dropped++
    }
    return dropped
  }
}

/**
 * The changelog's retention for a horizon: the horizon plus a margin (a tenth, at least an hour),
 * so clock skew between the writer and the broker never lets retention drop a key memory would
 * still keep. The broker deletes a segment only once its newest record is older than retention,
 * so nothing inside the horizon is ever deleted; what is past it lingers up to one segment longer
 * (`segmentMsFor`) and is skipped on restore.
 */
export function retentionMsFor(horizonMs: number): number {
  return horizonMs + Math.max(3_600_000, Math.ceil(horizonMs / 10))
}

/**
 * Segment roll time for a changelog: neither retention nor compaction touches the active segment,
 * so a segment a tenth of the horizon long (between ten minutes and a day) bounds how much
 * uncompacted, expired history a restore reads.
 */
export function segmentMsFor(horizonMs: number): number {
  return Math.min(86_400_000, Math.max(600_000, Math.floor(horizonMs / 10)))
}
