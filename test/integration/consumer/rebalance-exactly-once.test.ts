// Proves that under exactly-once a partition moving between two members (one joins, one leaves) leaves every input in the output exactly once, partition-ordered and key-ordered.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { subscription } from '#libs/consumer'
import { produce, startGroup } from '../../helpers/consumer.ts'
import { readCommittedValues } from '../../helpers/java-reader.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

async function moveBetweenMembers(t: import('node:test').TestContext, ordering: 'partition' | 'key') {
  const kafka = testKafka()
  const input = uniqueName('eos-pair-in')
  const output = uniqueName('eos-pair-out')
  const groupId = uniqueName('eos-pair')
  const wave = 300
  const total = 3 * wave
  await createTestTopics(t, [{ topic: input, numPartitions: 4 }, { topic: output }], kafka)
  const sendWave = (n: number) =>
    produce(
      t,
      kafka,
      input,
      Array.from({ length: wave }, (_, j) => n * wave + j).map((i) => ({ key: `k${i}`, value: `v${i}` })),
    )
  await sendWave(0)
  const handled = { a: 0, b: 0 }
  const member = (name: 'a' | 'b') =>
    startGroup(t, {
      kafka,
      groupId,
      defaults: { guarantee: 'exactly-once', concurrency: 4, ordering, maxInFlight: 16 },
      exactlyOnce: { maxBatchRecords: 20, flushRecords: 5 },
      subscriptions: [
        subscription({
          topic: input,
          decode: { decode: (bytes: Buffer) => bytes.toString() },
          handler: async (value, ctx) => {
            await ctx.emit(output, ctx.key, value)
            await delay(4)
            handled[name]++
          },
        }),
      ],
    })
  const a = await member('a')
  await waitFor(() => handled.a >= 100, { description: 'the first member to make progress' })
  const b = await member('b')
  await waitFor(() => b.ready, { description: 'the second member to join' })
  await sendWave(1)
  await waitFor(() => handled.b >= 40, {
    description: 'the second member to get partitions',
    timeoutMs: 30_000,
  })
  await a.stop()
  await sendWave(2)
  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] })
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) === total
    },
    { description: 'every input offset committed', timeoutMs: 60_000 },
  )
  await produce(t, kafka, output, [{ value: 'end-marker' }])
  // Kafka's Java consumer: kafkajs's read_committed can show aborted records (test/helpers/java-reader.ts).
  // Exactly total + 1 values when nothing is lost or duplicated; a duplicate pushes the marker out.
  const values = await readCommittedValues(output, total + 1)
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  assert.equal(counts.get('end-marker'), 1, 'the end marker follows exactly the committed outputs')
  counts.delete('end-marker')
  assert.equal(counts.size, total, 'no input is lost')
  assert.deepEqual(
    [...counts].filter(([, n]) => n > 1),
    [],
    'no input appears twice in the committed output',
  )
  t.diagnostic(
    `handled by a: ${handled.a}, by b: ${handled.b} (re-handled after moves: ${handled.a + handled.b - total})`,
  )
}

test('partitions moving between two exactly-once members leave every input in the output exactly once', async (t) => {
  await moveBetweenMembers(t, 'partition')
})

test('partitions moving between two key-ordered exactly-once members leave every input in the output exactly once', async (t) => {
  await moveBetweenMembers(t, 'key')
})
