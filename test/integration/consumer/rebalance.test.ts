// Proves that two members of one group share the partitions and that members joining and leaving lose no record.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { subscription } from '#libs/consumer'
import { produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('two instances of one group share the partitions and a rebalance loses no record', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('shared')
  const groupId = uniqueName('pair')
  const wave = 300
  const total = 3 * wave
  await createTestTopics(t, [{ topic, numPartitions: 4 }], kafka)
  const sendWave = (n: number) =>
    produce(
      t,
      kafka,
      topic,
      Array.from({ length: wave }, (_, j) => n * wave + j).map((i) => ({ key: `k${i}`, value: String(i) })),
    )
  await sendWave(0)
  const handledBy = { a: new Set<string>(), b: new Set<string>() }
  const partitionsBy = { a: new Set<number>(), b: new Set<number>() }
  const member = (name: 'a' | 'b') =>
    startGroup(t, {
      kafka,
      groupId,
      defaults: { concurrency: 4 },
      subscriptions: [
        subscription({
          topic,
          decode: { decode: (bytes: Buffer) => bytes.toString() },
          handler: async (value, ctx) => {
            await delay(3)
            handledBy[name].add(value)
            partitionsBy[name].add(ctx.partition)
          },
        }),
      ],
    })
  const a = await member('a')
  await waitFor(() => handledBy.a.size >= 100, { description: 'the first member to make progress' })
  const b = await member('b')
  await waitFor(() => b.ready, { description: 'the second member to join' })
  await sendWave(1)
  await waitFor(() => handledBy.b.size >= 50, {
    description: 'the second member to get partitions',
    timeoutMs: 30_000,
  })
  assert.ok(
    partitionsBy.b.size > 0 && partitionsBy.b.size < 4,
    'the second member got some of the partitions',
  )
  await a.stop()
  await sendWave(2)
  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) === total
    },
    { description: 'every offset to be committed', timeoutMs: 60_000 },
  )
  assert.equal(b.ready, true)
  const union = new Set([...handledBy.a, ...handledBy.b])
  assert.equal(union.size, total, 'every record was handled by one member or the other')
})
