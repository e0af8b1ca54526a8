import type { IHeaders, Message } from 'kafkajs'

/** What one transaction may hold. */
export interface ChunkLimits {
  /** Dead-letter records read (selected or not): the job's chunk size. */
  readonly records: number
  /** Encoded bytes per target partition: the broker refuses a record batch over `max.message.bytes`. */
  readonly bytesPerPartition: number
  /** Encoded bytes in all: bounds the produce request and the memory held per transaction. */
  readonly bytes: number
}

/** One transaction's worth of work: the records to write and how far it moves the job. */
export interface Chunk {
  readonly messages: Message[]
  /** Dead-letter partition → the next offset to read there once this chunk is committed. */
  readonly progress: Map<number, string>
  scanned: number
  replayed: number
  unmatched: number
  skipped: number
  bytes: number
  readonly bytesByPartition: Map<number, number>
}

function emptyChunk(): Chunk {
  return {
    messages: [],
    progress: new Map(),
    scanned: 0,
    replayed: 0,
    unmatched: 0,
    skipped: 0,
    bytes: 0,
    bytesByPartition: new Map(),
  }
}

// Header names repeat on every record: their UTF-8 length is measured once.
const nameBytes = new Map<string, number>()

function utf8Length(name: string): number {
  let bytes = nameBytes.get(name)
  if (bytes === undefined) {
    bytes = Buffer.byteLength(name)
    if (nameBytes.size < 10_000) nameBytes.set(name, bytes)
  }
  return bytes
}

/**
 * An upper bound of a record's size in a v2 record batch: the varints (length, timestamp and offset
 * deltas, key, value and header lengths) counted at their widest.
 */
export function encodedSizeBound(key: Buffer | null, value: Buffer | null, headers: IHeaders): number {
  let size = 40 + (key?.length ?? 0) + (value?.length ?? 0)
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined) continue
    const nameSize = 10 + utf8Length(name)
    if (Array.isArray(value)) {
      for (const one of value) size += nameSize + (Buffer.isBuffer(one) ? one.length : Buffer.byteLength(one))
    } else {
      size += nameSize + (Buffer.isBuffer(value) ? value.length : Buffer.byteLength(value))
    }
  }
  return size
}

export type Outcome = 'replayed' | 'unmatched' | 'skipped'

/**
 * Cuts the records a replay reads into transactions while the previous one commits (the reader
 * fills, the committer takes). A chunk closes when the next record would break a limit; the
 * committer takes closed chunks first, and when none is waiting the open one, so it never idles
 * while records are ready. `room()` is false once `maxWaiting` closed chunks wait: the reader then
 * waits, which bounds memory to about `maxWaiting + 2` transactions.
 */
export class ChunkQueue {
  readonly #limits: ChunkLimits
  readonly #maxWaiting: number
  readonly #closed: Chunk[] = []
  #open: Chunk = emptyChunk()
  #wake: (() => void) | undefined
  #changed: Promise<void>

  constructor(limits: ChunkLimits, maxWaiting = 2) {
    this.#limits = limits
    this.#maxWaiting = maxWaiting
    this.#changed = this.#nextChange()
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve
    })
  }

  /** Resolves the current waiters (reader or committer) and arms the next change. */
  signal(): void {
    const wake = this.#wake
    this.#changed = this.#nextChange()
    wake?.()
  }

  /** A promise that settles at the next `add` that closes or starts a chunk, `take` or `signal`. */
  changed(): Promise<void> {
    return this.#changed
  }

  room(): boolean {
    return this.#closed.length < this.#maxWaiting
  }

  /** Records one read record; `message` (with its target partition set) when it is replayed. */
  add(
    partition: number,
    offset: string,
    outcome: Outcome,
    message?: Message & { partition: number },
    size = 0,
  ): void {
    let open = this.#open
    if (open.scanned > 0) {
      const partitionBytes = message ? (open.bytesByPartition.get(message.partition) ?? 0) + size : 0
      if (
        open.scanned >= this.#limits.records ||
        (message &&
          (open.bytes + size > this.#limits.bytes || partitionBytes > this.#limits.bytesPerPartition))
      ) {
        this.#closed.push(open)
        open = emptyChunk()
        this.#open = open
        this.signal()
      }
    }
    const starting = open.scanned === 0
    open.scanned += 1
    open.progress.set(partition, String(BigInt(offset) + 1n))
    if (outcome === 'replayed' && message) {
      open.replayed += 1
      open.messages.push(message)
      open.bytes += size
      open.bytesByPartition.set(message.partition, (open.bytesByPartition.get(message.partition) ?? 0) + size)
    } else if (outcome === 'skipped') {
      open.skipped += 1
    } else {
      open.unmatched += 1
    }
    if (starting) this.signal()
  }

  /** The next transaction: the oldest closed chunk, else the open one, else nothing. */
  take(): Chunk | undefined {
    let chunk = this.#closed.shift()
    if (!chunk && this.#open.scanned > 0) {
      chunk = this.#open
      this.#open = emptyChunk()
    }
    if (chunk) this.signal()
    return chunk
  }

  get pending(): boolean {
    return this.#closed.length > 0 || this.#open.scanned > 0
  }
}
