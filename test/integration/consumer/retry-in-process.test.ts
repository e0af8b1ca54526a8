// Proves that a handler failing with a transient error is retried in process and then succeeds, committing once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
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
