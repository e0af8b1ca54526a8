// Proves that records the group cannot process reach its dead-letter topic with the original bytes and every documented header, and the partition keeps going.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { allHeaders, Header, nonRetriable, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { encodeWire, type OrderPlaced, orderDecoder } from '../../helpers/wire.ts'

const retryOnly = [Header.retryTier, Header.retryDueAt]

test('exhausted in-process retries dead-letter the record with its original bytes and every documented header', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  const groupId = uniqueName('dlt')
  await createTestTopics(t, [{ topic }], kafka)
  const value = encodeWire({ eventId: 'e1', amount: 7, note: 'x' })
  await produce(t, kafka, topic, [{ key: 'key-1', value, headers: { traceparent: '00-abc-def-01' } }])
  const group = await startGroup(t, {
    kafka,
    groupId,
    defaults: { retry: { attempts: 2, initialDelay: 10, maxDelay: 20 } },
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: async () => {
          throw new Error('the ledger said no')
        },
      }),
    ],
  })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => dlt.length === 1, { description: 'the dead-letter record' })
  const { message } = dlt[0]!
  assert.deepEqual(message.key, Buffer.from('key-1'))
  assert.deepEqual(message.value, value)
  assert.equal(header(message.headers, 'traceparent'), '00-abc-def-01')
  for (const name of allHeaders.filter((h) => !retryOnly.includes(h as never) && h !== Header.errorCode)) {
    assert.ok(header(message.headers, name) !== undefined, `header ${name} is present`)
  }
  assert.equal(header(message.headers, Header.originalTopic), topic)
  assert.equal(header(message.headers, Header.originalPartition), '0')
  assert.equal(header(message.headers, Header.originalOffset), '0')
  assert.equal(header(message.headers, Header.group), groupId)
  assert.equal(header(message.headers, Header.stage), 'handle')
  assert.equal(header(message.headers, Header.errorClass), 'Error')
  assert.equal(header(message.headers, Header.errorMessage), 'the ledger said no')
  assert.match(header(message.headers, Header.errorStack)!, /the ledger said no/)
  assert.equal(header(message.headers, Header.attempts), '3')
  assert.ok(
    Number(header(message.headers, Header.firstFailureAt)) <=
      Number(header(message.headers, Header.lastFailureAt)),
  )
})

test('a poison pill is dead-lettered at once at the deserialize stage and the next record is processed', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  const pill = Buffer.concat([Buffer.from([0xff]), Buffer.from('not avro at all')])
  await produce(t, kafka, topic, [
    { key: 'p', value: pill },
    { key: 'q', value: encodeWire({ eventId: 'after', amount: 1, note: '' }) },
  ])
  const handled: OrderPlaced[] = []
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('poison'),
    defaults: { retryTopics: ['1s'] },
    subscriptions: [
      subscription({ topic, decode: orderDecoder, handler: async (o) => void handled.push(o) }),
    ],
  })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => dlt.length === 1 && handled.length === 1, {
    description: 'the pill dead-lettered, the next handled',
  })
  assert.equal(handled[0]!.eventId, 'after')
  const { message } = dlt[0]!
  assert.deepEqual(message.value, pill)
  assert.equal(header(message.headers, Header.stage), 'deserialize')
  assert.equal(header(message.headers, Header.errorClass), 'BadMagicByteError')
  assert.equal(header(message.headers, Header.errorCode), 'EB_SERDE_BAD_MAGIC_BYTE')
  assert.equal(header(message.headers, Header.attempts), '1')
})

test('a handler error marked non-retriable skips retries and retry topics', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [{ value: encodeWire({ eventId: 'e', amount: -1, note: '' }) }])
  let calls = 0
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('nonretriable'),
    defaults: { retry: { attempts: 5 }, retryTopics: ['1s'] },
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: async () => {
          calls++
          throw nonRetriable(new Error('amount must be positive'))
        },
      }),
    ],
  })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => dlt.length === 1, { description: 'the dead-letter record' })
  assert.equal(calls, 1)
  assert.equal(header(dlt[0]!.message.headers, Header.errorClass), 'NonRetriableError')
  assert.equal(header(dlt[0]!.message.headers, Header.errorMessage), 'amount must be positive')
})
