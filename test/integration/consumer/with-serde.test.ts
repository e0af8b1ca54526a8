// Proves the runtime works with the real serde and registry: typed events reach the handler, unknown schema ids and bad magic bytes are dead-lettered at once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EventOf } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde, frame } from '@event-backbone/serde'
import { type Decoder, Header, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { testRegistry } from '../../helpers/registry.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

type Payment = EventOf<'PaymentConfirmed'>

test('payments decoded by EventSerde reach the handler typed; undecodable records are dead-lettered with their serde error', async (t) => {
  const registry = await testRegistry(t)
  const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
  const decoder: Decoder<Payment> = {
    decode: (bytes, record) =>
      serde.decode('PaymentConfirmed', bytes, {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
      }),
  }
  const kafka = testKafka()
  const topic = uniqueName('payments')
  await createTestTopics(t, [{ topic }], kafka)
  const good = await serde.encode('PaymentConfirmed', sampleEvents.PaymentConfirmed)
  const unknownId = frame(99_999, good.subarray(5))
  const badMagic = Buffer.concat([Buffer.from([1]), good.subarray(1)])
  await produce(t, kafka, topic, [{ value: unknownId }, { value: badMagic }, { value: good }])

  const amounts: number[] = []
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('ledger'),
    defaults: { retryTopics: ['1s'] },
    subscriptions: [
      subscription({
        topic,
        decode: decoder,
        handler: async (payment) => void amounts.push(payment.amountMinor),
      }),
    ],
  })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => amounts.length === 1 && dlt.length === 2, {
    description: 'one payment handled, two dead-lettered',
  })
  assert.deepEqual(amounts, [sampleEvents.PaymentConfirmed.amountMinor])
  assert.deepEqual(
    dlt.map((r) => [header(r.message.headers, Header.stage), header(r.message.headers, Header.errorCode)]),
    [
      ['deserialize', 'EB_SERDE_UNKNOWN_SCHEMA_ID'],
      ['deserialize', 'EB_SERDE_BAD_MAGIC_BYTE'],
    ],
  )
  assert.deepEqual(dlt[0]!.message.value, unknownId)
})
