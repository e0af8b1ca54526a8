// Proves that under exactly-once the outputs, the dead-letter copies and the input offsets commit together in one transaction per batch.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Header, nonRetriable, onChannel, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { encodeWire, orderDecoder } from '../../helpers/wire.ts'

test('outputs and dead-letter copies of an exactly-once batch are committed with the input offsets', async (t) => {
  const kafka = testKafka()
  const input = uniqueName('eos-in')
  const output = uniqueName('eos-out')
  const groupId = uniqueName('eos')
  await createTestTopics(t, [{ topic: input, numPartitions: 2 }, { topic: output }], kafka)
  const total = 50
  await produce(
    t,
    kafka,
    input,
    Array.from({ length: total }, (_, i) => ({
      key: `k${i}`,
      value: encodeWire({ eventId: `e${i}`, amount: i % 10 === 0 ? -1 : i, note: '' }),
    })),
  )
  const commits: Array<{ records: number; transactional: boolean }> = []
  t.after(onChannel('committed', (event) => commits.push(event)))
  const group = await startGroup(t, {
    kafka,
    groupId,
    defaults: { guarantee: 'exactly-once' },
    subscriptions: [
      subscription({
        topic: input,
        decode: orderDecoder,
        handler: async (order, ctx) => {
          if (order.amount < 0) throw nonRetriable(new Error('negative amount'))
          await ctx.emit(output, ctx.key, order.eventId, {
            encoder: { encode: (id: string) => Buffer.from(id.toUpperCase()) },
            headers: { source: ctx.topic },
          })
        },
      }),
    ],
  })
  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] })
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) === total
    },
    { description: 'every input offset committed' },
  )
  const outputs = await collect(t, kafka, [output], { readCommitted: true })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic], { readCommitted: true })
  await waitFor(() => outputs.length === 45 && dlt.length === 5, {
    description: '45 outputs and 5 dead-letter copies',
  })
  assert.deepEqual(
    outputs.map((r) => String(r.message.value)).sort(),
    Array.from({ length: total }, (_, i) => i)
      .filter((i) => i % 10 !== 0)
      .map((i) => `E${i}`)
      .sort(),
  )
  assert.equal(header(outputs[0]!.message.headers, 'source'), input)
  assert.ok(dlt.every((r) => header(r.message.headers, Header.errorClass) === 'NonRetriableError'))
  assert.ok(commits.length > 0 && commits.every((c) => c.transactional))
  assert.ok(
    commits.length < total,
    `one transaction per batch, not per record (${commits.length} for ${total})`,
  )
})

test('a record that fails once under exactly-once goes through the retry topic and its output appears exactly once', async (t) => {
  const kafka = testKafka()
  const input = uniqueName('eos-retry-in')
  const output = uniqueName('eos-retry-out')
  await createTestTopics(t, [{ topic: input }, { topic: output }], kafka)
  await produce(
    t,
    kafka,
    input,
    Array.from({ length: 10 }, (_, i) => ({
      key: `k${i}`,
      value: encodeWire({ eventId: `e${i}`, amount: i, note: '' }),
    })),
  )
  const failedOnce = new Set<string>()
  await startGroup(t, {
    kafka,
    groupId: uniqueName('eos-retry'),
    defaults: { guarantee: 'exactly-once', retry: { attempts: 0 }, retryTopics: ['1s'] },
    subscriptions: [
      subscription({
        topic: input,
        decode: orderDecoder,
        handler: async (order, ctx) => {
          await ctx.emit(output, ctx.key, `${order.eventId}@${ctx.attempt}`)
          if (order.amount % 3 === 0 && !failedOnce.has(order.eventId)) {
            failedOnce.add(order.eventId)
            throw new Error('flaky downstream')
          }
        },
      }),
    ],
  })
  const outputs = await collect(t, kafka, [output], { readCommitted: true })
  await waitFor(() => outputs.length >= 10, { description: 'ten outputs', timeoutMs: 20_000 })
  await produce(t, kafka, output, [{ value: 'end-marker' }])
  await waitFor(() => outputs.some((r) => String(r.message.value) === 'end-marker'), {
    description: 'the end marker',
  })
  const values = outputs.map((r) => String(r.message.value)).filter((v) => v !== 'end-marker')
  assert.deepEqual(
    values.sort(),
    Array.from({ length: 10 }, (_, i) => `e${i}@${i % 3 === 0 ? 2 : 1}`).sort(),
    'failed attempts left no output; retried records produced theirs once, on attempt 2',
  )
})
