// Proves that a retry record with a hostile control header is dead-lettered with a clear error and the consumer keeps going.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Header, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { encodeWire, type OrderPlaced, orderDecoder } from '../../helpers/wire.ts'

test('a retry record due in the year 5000 is dead-lettered and the record behind it is processed', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  const handled: OrderPlaced[] = []
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('hostile'),
    defaults: { retryTopics: ['1s'] },
    subscriptions: [
      subscription({ topic, decode: orderDecoder, handler: async (o) => void handled.push(o) }),
    ],
  })
  const retry1 = group.subscriptions[0]!.retryTopics[0]!
  const hostile = encodeWire({ eventId: 'hostile', amount: 1, note: '' })
  await produce(t, kafka, retry1, [
    { key: 'k', value: hostile, headers: { [Header.retryDueAt]: '95617584000000', [Header.attempts]: '1' } },
    {
      key: 'k',
      value: encodeWire({ eventId: 'garbage', amount: 1, note: '' }),
      headers: { [Header.attempts]: 'lots' },
    },
    {
      key: 'k',
      value: encodeWire({ eventId: 'fine', amount: 1, note: '' }),
      headers: { [Header.retryDueAt]: String(Date.now()) },
    },
  ])
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => dlt.length === 2 && handled.length === 1, {
    description: 'two dead-lettered, one handled',
  })
  assert.equal(handled[0]!.eventId, 'fine')
  assert.deepEqual(dlt[0]!.message.value, hostile)
  for (const { message } of dlt) {
    assert.equal(header(message.headers, Header.errorClass), 'ControlHeaderError')
    assert.equal(header(message.headers, Header.stage), 'deserialize')
    assert.equal(
      header(message.headers, Header.originalTopic),
      retry1,
      'untrusted headers: the retry record is the origin',
    )
  }
  assert.match(header(dlt[0]!.message.headers, Header.errorMessage)!, /eb\.retry\.due/)
  assert.match(header(dlt[1]!.message.headers, Header.errorMessage)!, /eb\.attempts/)
  assert.equal(group.ready, true)
})
