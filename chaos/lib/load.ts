import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import type { EventType } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'

/** One HTTP attempt of the load: when it was sent, how long it took and what came back. */
export interface Attempt {
  readonly at: number
  readonly ms: number
  /** The HTTP status, or the name of the network error. */
  readonly status: number | string
}

/** What happened to one event the load tried to publish. */
export interface Outcome {
  readonly key: string
  /** Whether some attempt got a 2xx: the gateway then promised the event is stored. */
  readonly acknowledged: boolean
  /** When the 2xx came (ms since the epoch), else undefined. */
  readonly ackedAt?: number
  readonly attempts: readonly Attempt[]
  /** The last answer when never acknowledged (a 4xx is a refusal, anything else unconfirmed). */
  readonly lastStatus: number | string
}

export interface LoadOptions {
  readonly url: string
  readonly apiKey: string
  readonly makeEvent: () => { readonly body: Record<string, unknown>; readonly key: string }
  readonly total: number
  readonly ratePerSecond: number
  readonly workers?: number
  /** How long one event is retried (same body, same ids) before it counts as unconfirmed. */
  readonly boundMs?: number
}

/**
 * A paced stream of POSTs, as a well-behaved client sends them: a 502/503/network error is
 * retried with backoff and the same body (same eventId, same business key), a 4xx is final.
 */
export class Load {
  readonly outcomes: Outcome[] = []
  readonly done: Promise<void>
  readonly started = Date.now()
  #stopping = false

  constructor(options: LoadOptions) {
    let next = 0
    const worker = async () => {
      for (;;) {
        const index = next++
        if (index >= options.total || this.#stopping) return
        const due = this.started + (index / options.ratePerSecond) * 1000
        if (due > Date.now()) await delay(due - Date.now())
        this.outcomes.push(await postUntilAcknowledged(options, options.makeEvent()))
      }
    }
    this.done = Promise.all(Array.from({ length: options.workers ?? 8 }, worker)).then(() => {})
  }

  /** Sends nothing new after this; what is in flight completes. */
  stop(): Promise<void> {
    this.#stopping = true
    return this.done
  }

  acknowledged(): Set<string> {
    return new Set(this.outcomes.filter((o) => o.acknowledged).map((o) => o.key))
  }

  /** Events the gateway answered with a 4xx: final, never retried. */
  refused(): Outcome[] {
    return this.outcomes.filter((o) => !o.acknowledged && isRefusal(o.lastStatus))
  }

  /** Events never acknowledged nor refused within the client's bound: the gateway may have stored them. */
  unconfirmed(): Outcome[] {
    return this.outcomes.filter((o) => !o.acknowledged && !isRefusal(o.lastStatus))
  }

  attempts(from = 0, to = Number.POSITIVE_INFINITY): Attempt[] {
    return this.outcomes.flatMap((o) => o.attempts).filter((a) => a.at >= from && a.at < to)
  }
}

const isRefusal = (status: number | string) => typeof status === 'number' && status < 500

async function postUntilAcknowledged(
  options: LoadOptions,
  event: { readonly body: Record<string, unknown>; readonly key: string },
): Promise<Outcome> {
  const deadline = Date.now() + (options.boundMs ?? 120_000)
  const attempts: Attempt[] = []
  let status: number | string = 'none'
  while (Date.now() < deadline) {
    const at = Date.now()
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify(event.body),
        signal: AbortSignal.timeout(20_000),
      })
      await response.body?.cancel()
      status = response.status
    } catch (error) {
      status = (error as Error).name
    }
    attempts.push({ at, ms: Date.now() - at, status })
    if (typeof status === 'number' && status >= 200 && status < 300)
      return { key: event.key, acknowledged: true, ackedAt: Date.now(), attempts, lastStatus: status }
    if (typeof status === 'number' && status !== 502 && status !== 503)
      return { key: event.key, acknowledged: false, attempts, lastStatus: status }
    await delay(Math.min(2_000, 100 * 2 ** Math.min(attempts.length, 5)))
  }
  return { key: event.key, acknowledged: false, attempts, lastStatus: status }
}

/** Nearest-rank percentile of `values` (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** The longest time between consecutive instants within [from, to] (bounds included as instants). */
export function longestGap(instants: readonly number[], from: number, to: number): number {
  const inside = [from, ...instants.filter((t) => t > from && t < to), to].sort((a, b) => a - b)
  let longest = 0
  for (let i = 1; i < inside.length; i++) longest = Math.max(longest, inside[i]! - inside[i - 1]!)
  return longest
}

/**
 * Reads an output topic read_committed from the beginning for as long as it runs, counting each
 * key and noting when each record arrived (for the processing stall). A record read again at the
 * same partition and offset (this reader's own group failing over to a new coordinator resumes
 * from its last commit) is not counted twice: only the same key at another offset is a duplicate.
 */
export class OutputReader {
  readonly seen = new Map<string, number>()
  readonly arrivals: number[] = []
  /** The records' own timestamps (when the service produced them), in reading order. */
  readonly producedAt: number[] = []
  readonly #positions = new Set<string>()
  /** Where each key was read (partition:offset@timestamp), for explaining duplicates. */
  readonly where = new Map<string, string[]>()
  readonly #listeners = new Set<(value: Record<string, unknown>) => void>()
  records = 0
  rereads = 0
  readonly #consumer: ReturnType<Kafka['consumer']>

  private constructor(consumer: ReturnType<Kafka['consumer']>) {
    this.#consumer = consumer
  }

  static async start(
    kafka: Kafka,
    registryUrl: string,
    topic: string,
    type: EventType,
    keyOf: (value: Record<string, unknown>) => string,
  ): Promise<OutputReader> {
    const serde = new EventSerde(new ConfluentRegistryClient(registryUrl))
    const consumer = kafka.consumer({
      groupId: `chaos-verify-${randomUUID()}`,
      readUncommitted: false,
      maxWaitTimeInMs: 250,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 2_000 },
    })
    const reader = new OutputReader(consumer)
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (!message.value) return
        const position = `${partition}:${message.offset}`
        if (reader.#positions.has(position)) {
          reader.rereads += 1
          return
        }
        reader.#positions.add(position)
        const value = (await serde.decode(type, message.value)) as unknown as Record<string, unknown>
        for (const listener of reader.#listeners) listener(value)
        const key = keyOf(value)
        const places = reader.where.get(key) ?? []
        places.push(`${position}@${new Date(Number(message.timestamp)).toISOString().slice(11, 23)}`)
        reader.where.set(key, places)
        reader.records += 1
        reader.arrivals.push(Date.now())
        reader.producedAt.push(Number(message.timestamp))
        reader.seen.set(key, (reader.seen.get(key) ?? 0) + 1)
      },
    })
    return reader
  }

  /** Calls `listener` with every record read from now on; returns its removal. */
  onValue(listener: (value: Record<string, unknown>) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  missing(expected: Iterable<string>): string[] {
    return [...expected].filter((key) => !this.seen.has(key))
  }

  /** Waits until every expected key arrived or the bound passed; then a little longer for late duplicates. */
  async settle(expected: Iterable<string>, boundMs: number): Promise<string[]> {
    const keys = [...expected]
    const deadline = Date.now() + boundMs
    while (this.missing(keys).length > 0 && Date.now() < deadline) await delay(500)
    await delay(3_000)
    return this.missing(keys)
  }

  /** A few duplicated keys with where each copy was read. */
  duplicateExamples(limit = 3): string[] {
    return [...this.where]
      .filter(([, places]) => places.length > 1)
      .slice(0, limit)
      .map(([key, places]) => `${key} at ${places.join(', ')}`)
  }

  duplicates(): { keys: number; records: number } {
    let keys = 0
    let records = 0
    for (const count of this.seen.values()) {
      if (count > 1) {
        keys += 1
        records += count - 1
      }
    }
    return { keys, records }
  }

  stop(): Promise<void> {
    return this.#consumer.disconnect()
  }
}

/**
 * How many of `keys` the input topic holds more than once (read read_committed from the start):
 * tells a duplicate the gateway wrote (which the consumer must absorb) from one the consumer made.
 */
export async function inputDuplicates(
  kafka: Kafka,
  registryUrl: string,
  topic: string,
  type: EventType,
  keyOf: (value: Record<string, unknown>) => string,
  keys: Iterable<string>,
): Promise<number> {
  const input = await OutputReader.start(kafka, registryUrl, topic, type, keyOf)
  await input.settle(keys, 60_000)
  await input.stop()
  return input.duplicates().keys
}
