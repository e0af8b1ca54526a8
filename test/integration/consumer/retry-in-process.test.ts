// Proves the in-process retry rules: transient handler and decoder errors are retried in place, programming errors are not.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegistryUnavailableError } from '@event-backbone/errors'
import { onChannel, subscription } from '#libs/consumer'
import { produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { encodeWire, type OrderPlaced, orderDecoder } from '../../helpers/wire.ts'

test('a record whose handler fails twice with a transient error is processed on the third attempt', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  const groupId = uniqueName('retry-group')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [{ key: 'k1', value: encodeWire({ eventId: 'e1', amount: 5, note: '' }) }])

  const attempts: number[] = []
  const seen: OrderPlaced[] = []
  const retried: string[] = []
  t.after(onChannel('retried', (event) => retried.push(event.kind)))
  const started = Date.now()
  const group = await startGroup(t, {
    kafka,
    groupId,
    defaults: { retry: { attempts: 2, initialDelay: 20, maxDelay: 50 } },
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: async (order, ctx) => {
          attempts.push(ctx.attempt)
          if (ctx.attempt < 3) throw new Error('database timeout')
          seen.push(order)
        },
      }),
    ],
  })
  await waitFor(() => seen.length === 1, { description: 'the record to be handled' })
  t.diagnostic(`first record handled ${Date.now() - started} ms after start`)
  assert.deepEqual(attempts, [1, 2, 3])
  assert.deepEqual(
    seen.map((order) => ({ ...order })),
    [{ eventId: 'e1', amount: 5, note: '' }],
  )
  assert.deepEqual(retried, ['in-process', 'in-process'])
  assert.equal(group.ready, true)

  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
      return offsets?.partitions[0]?.offset === '1'
    },
    { description: 'the offset after the record to be committed' },
  )
})

test('a decoder failing with a retriable error (registry unavailable) is retried in process', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [{ value: encodeWire({ eventId: 'e1', amount: 1, note: '' }) }])
  let decodes = 0
  const seen: string[] = []
  await startGroup(t, {
    kafka,
    groupId: uniqueName('registry-down'),
    defaults: { retry: { attempts: 3, initialDelay: 10, maxDelay: 20 } },
    subscriptions: [
      subscription({
        topic,
        decode: {
          decode: async (bytes: Buffer) => {
            decodes++
            if (decodes < 3) throw new RegistryUnavailableError()
            return orderDecoder.decode(bytes)
          },
        },
        handler: async (order) => void seen.push(order.eventId),
      }),
    ],
  })
  await waitFor(() => seen.length === 1, { description: 'the record to be handled' })
  assert.equal(decodes, 3)
})

test('a programming error is not retried in place but goes to the first retry topic', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [{ value: encodeWire({ eventId: 'e1', amount: 1, note: '' }) }])
  const calls: Array<{ attempt: number; sourceTopic: string }> = []
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('typeerror'),
    defaults: { retry: { attempts: 3, initialDelay: 10 }, retryTopics: ['1s'] },
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: async (_order, ctx) => {
          calls.push({ attempt: ctx.attempt, sourceTopic: ctx.sourceTopic })
          if (ctx.attempt === 1) throw new TypeError("Cannot read properties of undefined (reading 'id')")
        },
      }),
    ],
  })
  await waitFor(() => calls.length === 2, {
    description: 'the retry from the retry topic',
    timeoutMs: 15_000,
  })
  assert.deepEqual(calls, [
    { attempt: 1, sourceTopic: topic },
    { attempt: 2, sourceTopic: group.subscriptions[0]!.retryTopics[0] },
  ])
})
