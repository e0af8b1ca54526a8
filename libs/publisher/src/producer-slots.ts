import type { Kafka, Producer, RetryOptions } from 'kafkajs'
import { recordingPartitioner } from './partitioner.ts'

/** The publisher's producer: idempotent, never creating topics, counting its Produce requests. */
export function idempotentProducer(
  kafka: Kafka,
  retry: RetryOptions | undefined,
  onProduceRequest: () => void,
): Producer {
  const producer = kafka.producer({
    idempotent: true,
    // Kafka keeps an idempotent producer's order with up to 5 unacknowledged requests per
    // connection; kafkajs has no limit by default and holds a per-broker lock around each
    // idempotent Produce request.
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    createPartitioner: recordingPartitioner(),
    ...(retry ? { retry } : {}),
  })
  producer.on(producer.events.REQUEST, (event) => {
    if (event.payload.apiName === 'Produce') onProduceRequest()
  })
  return producer
}

/**
 * The idempotent producer behind the publisher, replaced after a failed batch.
 *
 * kafkajs rolls an idempotent producer's sequence numbers back when a batch fails, and never asks
 * for a new producer id. If the failed request had in fact been written (a timeout after the
 * broker appended it), the next batch would reuse its sequence numbers: the broker would take it
 * for a duplicate and acknowledge it with the earlier batch's offsets, without storing it. A fresh
 * producer (new producer id, sequences from 0) after every failure rules that out, as the Java
 * producer's epoch bump does. The old one is disconnected once its in-flight batches settle.
 */
export interface Slot {
  readonly producer: Producer
  connected: boolean
  connecting: Promise<void> | undefined
  inFlight: number
  retired: boolean
}

export class ProducerSlots {
  readonly #create: () => Producer
  #current: Slot
  readonly #retiring = new Set<Promise<void>>()
  #replacements = 0

  constructor(create: () => Producer) {
    this.#create = create
    this.#current = this.#slot()
  }

  get replacements(): number {
    return this.#replacements
  }

  /** Connects the current producer (shared by concurrent callers; retried after a failure). */
  connect(slot: Slot = this.#current): Promise<void> {
    slot.connecting ??= slot.producer.connect().then(
      () => {
        slot.connected = true
      },
      (error: unknown) => {
        slot.connecting = undefined
        throw error
      },
    )
    return slot.connecting
  }

  /** The producer for the next batch; pair with `release`. */
  acquire(): Slot {
    this.#current.inFlight += 1
    return this.#current
  }

  release(slot: Slot, failed: boolean): void {
    slot.inFlight -= 1
    if (failed && slot === this.#current) {
      slot.retired = true
      this.#current = this.#slot()
      this.#replacements += 1
    }
    if (slot.retired && slot.inFlight === 0) this.#disconnect(slot)
  }

  async close(): Promise<void> {
    const slot = this.#current
    slot.retired = true
    if (slot.inFlight === 0) this.#disconnect(slot)
    await Promise.allSettled([...this.#retiring])
  }

  #slot(): Slot {
    return { producer: this.#create(), connected: false, connecting: undefined, inFlight: 0, retired: false }
  }

  #disconnect(slot: Slot): void {
    if (!slot.connecting) return
    const done = slot.connecting
      .catch(() => {})
      .then(() => slot.producer.disconnect())
      .catch(() => {})
      .finally(() => this.#retiring.delete(done))
    this.#retiring.add(done)
  }
}
