import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { EventOf, EventTypeMap } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { catalogEncoder } from '#libs/events'
import type { EventEncoder } from '#libs/publisher'
import { startSchemaRegistry } from '#libs/schema-registry'
import { sampleEvents } from '../../test/helpers/sample-events.ts'
import { benchBrokers, benchKafka, benchName, deleteBenchTopics } from './env.ts'

export interface BenchRegistry {
  readonly url: string
  readonly serde: EventSerde
  close(): Promise<void>
}

/** The embedded registry, in this process, on a bench-only storage topic; serde goes over HTTP to it. */
export async function startBenchRegistry(): Promise<BenchRegistry> {
  const topic = benchName('_schemas-bench')
  const registry = await startSchemaRegistry({ brokers: benchBrokers(), port: 0, topic })
  return {
    url: registry.url,
    serde: new EventSerde(new ConfluentRegistryClient(registry.url)),
    close: async () => {
      await registry.close()
      await deleteBenchTopics(benchKafka(), [topic])
    },
  }
}

/** The catalog's encoder, writing to a bench-only topic instead of the catalog's shared one. */
export function catalogEncoderOn(serde: EventSerde, topic: string): EventEncoder<EventTypeMap> {
  const encoder = catalogEncoder(serde)
  return { encode: async (eventType, event) => ({ ...(await encoder.encode(eventType, event)), topic }) }
}

/** A fresh payment whose `occurredAt` is now: consumers measure latency from it. */
export function benchPayment(): EventOf<'PaymentConfirmed'> {
  return {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
    occurredAt: new Date(),
  }
}

/**
 * Calls `send(i)` for i in [0, count) at `perSecond`, on schedule from the start (a late call is
 * made at once, not skipped), without waiting for sends to finish; resolves when all have.
 */
export async function steadily(
  count: number,
  perSecond: number,
  send: (i: number) => Promise<unknown>,
): Promise<void> {
  const started = performance.now()
  const pending: Array<Promise<unknown>> = []
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1_000) / perSecond - performance.now()
    if (wait >= 1) await sleep(wait)
    pending.push(send(i))
  }
  await Promise.all(pending)
}
