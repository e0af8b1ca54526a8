/**
 * The publish buffer: records admitted in publish order, waiting to be sent or in flight, with the
 * memory accounting that bounds it. Pure (the caller passes the time), so it is unit-tested alone.
 *
 * Memory counts a record from admission until its batch is acknowledged or failed, as Java's
 * `buffer.memory` does: in-flight batches still hold their bytes.
 */
export interface Sized {
  readonly size: number
}

export interface AccumulatorLimits {
  readonly maxBatchRecords: number
  readonly maxBatchBytes: number
  readonly maxBufferedRecords: number
  readonly maxBufferedBytes: number
}

interface Queued<R> {
  readonly record: R
  readonly at: number
}

export class RecordAccumulator<R extends Sized> {
  readonly #limits: AccumulatorLimits
  #queue: Array<Queued<R>> = []
  #head = 0
  #queuedBytes = 0
  #bufferedRecords = 0
  #bufferedBytes = 0
  #maxRecordsSeen = 0
  #maxBytesSeen = 0

  constructor(limits: AccumulatorLimits) {
    this.#limits = limits
  }

  get queuedRecords(): number {
    return this.#queue.length - this.#head
  }
  get queuedBytes(): number {
    return this.#queuedBytes
  }
  get bufferedRecords(): number {
    return this.#bufferedRecords
  }
  get bufferedBytes(): number {
    return this.#bufferedBytes
  }
  get maxBufferedRecordsSeen(): number {
    return this.#maxRecordsSeen
  }
  get maxBufferedBytesSeen(): number {
    return this.#maxBytesSeen
  }

  hasRoomFor(size: number): boolean {
    return (
      this.#bufferedRecords + 1 <= this.#limits.maxBufferedRecords &&
      this.#bufferedBytes + size <= this.#limits.maxBufferedBytes
    )
  }

  /** Adds a record; the caller checked `hasRoomFor` (the bound is never exceeded). */
  append(record: R, now: number): void {
    if (!this.hasRoomFor(record.size)) throw new RangeError('the publish buffer has no room for this record')
    this.#queue.push({ record, at: now })
    this.#queuedBytes += record.size
    this.#bufferedRecords += 1
    this.#bufferedBytes += record.size
    this.#maxRecordsSeen = Math.max(this.#maxRecordsSeen, this.#bufferedRecords)
    this.#maxBytesSeen = Math.max(this.#maxBytesSeen, this.#bufferedBytes)
  }

  /** A batch may go: it is full, its oldest record has lingered long enough, or sending is forced. */
  isReady(now: number, lingerMs: number, force: boolean): boolean {
    const oldest = this.#queue[this.#head]
    if (!oldest) return false
    if (force) return true
    if (this.queuedRecords >= this.#limits.maxBatchRecords) return true
    if (this.#queuedBytes >= this.#limits.maxBatchBytes) return true
    return now - oldest.at >= lingerMs
  }

  /** When the oldest queued record's linger ends, if any record is queued. */
  readyAt(lingerMs: number): number | undefined {
    const oldest = this.#queue[this.#head]
    return oldest === undefined ? undefined : oldest.at + lingerMs
  }

  /** The next batch from the front: at most maxBatchRecords and maxBatchBytes, never empty. */
  drain(): R[] {
    const batch: R[] = []
    let bytes = 0
    while (this.#head < this.#queue.length && batch.length < this.#limits.maxBatchRecords) {
      const next = this.#queue[this.#head]!.record
      if (batch.length > 0 && bytes + next.size > this.#limits.maxBatchBytes) break
      batch.push(next)
      bytes += next.size
      this.#head += 1
    }
    this.#queuedBytes -= bytes
    this.#compact()
    return batch
  }

  /** Frees the memory of records whose batch was acknowledged or failed. */
  release(records: readonly R[]): void {
    for (const record of records) {
      this.#bufferedRecords -= 1
      this.#bufferedBytes -= record.size
    }
  }

  #compact(): void {
    if (this.#head === this.#queue.length) {
      this.#queue = []
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head)
      this.#head = 0
    }
  }
}
