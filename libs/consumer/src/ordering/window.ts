import { Ordering } from '../policy/types.ts'

/**
 * Which records of one fetched batch may run now, and how far the batch is finished. Pure: no I/O,
 * no timers; records are the batch's indexes 0..n-1 (offset order), keys are compared as strings.
 *
 * - `partition`: one record at a time, in offset order (the runtime's classic path).
 * - `key`: records of different keys run at once; a record starts only after every earlier record
 *   of its key finished. Records without a key count as one key (the conservative reading: nothing
 *   says they may be reordered).
 * - `none`: any record may start, in offset order, up to the bound.
 *
 * `finishedPrefix` is what may be committed: every index below it has finished. An index that never
 * finishes (its group stopped, its retry record is not due) holds the prefix, so an offset never
 * passes an unfinished record.
 */
export class InFlightWindow {
  readonly #size: number
  readonly #ordering: Ordering
  readonly #maxInFlight: number
  /** Next index of the same key, or -1 (key ordering only). */
  readonly #nextOfKey: Int32Array | undefined
  /** 1 for a record with an earlier record of its key: it starts only when that one finishes. */
  readonly #blocked: Uint8Array | undefined
  readonly #finished: Uint8Array
  /** Indexes unblocked by a finished predecessor, oldest first: they run before newer records. */
  #released: number[] = []
  #releasedHead = 0
  #cursor = 0
  #prefix = 0
  #running = 0

  constructor(keys: ArrayLike<string | null>, ordering: Ordering, maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight needs to be a whole number ≥ 1, got ${maxInFlight}`)
    }
    this.#size = keys.length
    this.#ordering = ordering
    this.#maxInFlight = ordering === Ordering.partition ? 1 : maxInFlight
    this.#finished = new Uint8Array(this.#size)
    if (ordering === Ordering.key) {
      const nextOfKey = new Int32Array(this.#size).fill(-1)
      const blocked = new Uint8Array(this.#size)
      const lastOfKey = new Map<string | null, number>()
      for (let i = 0; i < this.#size; i++) {
        const key = keys[i] ?? null
        const previous = lastOfKey.get(key)
        if (previous !== undefined) {
          nextOfKey[previous] = i
          blocked[i] = 1
        }
        lastOfKey.set(key, i)
      }
      this.#nextOfKey = nextOfKey
      this.#blocked = blocked
    }
  }

  /** The next index that may start now, or -1 (bound reached, or every startable record started). */
  take(): number {
    if (this.#running >= this.#maxInFlight) return -1
    if (this.#releasedHead < this.#released.length) {
      const index = this.#released[this.#releasedHead++]!
      if (this.#releasedHead === this.#released.length) {
        this.#released = []
        this.#releasedHead = 0
      }
      this.#running++
      return index
    }
    const blocked = this.#blocked
    while (this.#cursor < this.#size && blocked?.[this.#cursor] === 1) this.#cursor++
    if (this.#cursor >= this.#size) return -1
    this.#running++
    return this.#cursor++
  }

  /** Marks a started record finished: its key's next record may start, the prefix may move. */
  finish(index: number): void {
    if (index < 0 || index >= this.#size || this.#finished[index] === 1) {
      throw new RangeError(`record ${index} is not running`)
    }
    this.#finished[index] = 1
    this.#running--
    const next = this.#nextOfKey?.[index] ?? -1
    // A blocked record stays marked: the cursor skips it, only this release starts it.
    if (next >= 0) this.#released.push(next)
    while (this.#prefix < this.#size && this.#finished[this.#prefix] === 1) this.#prefix++
  }

  /** Records started and not finished. */
  get running(): number {
    return this.#running
  }

  /** Every index below this one has finished. */
  get finishedPrefix(): number {
    return this.#prefix
  }

  /** True when every record of the batch finished. */
  get complete(): boolean {
    return this.#prefix === this.#size
  }

  get size(): number {
    return this.#size
  }

  get ordering(): Ordering {
    return this.#ordering
  }
}
