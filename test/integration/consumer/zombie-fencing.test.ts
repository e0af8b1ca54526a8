// Proves that the per-partition transactional id fences a zombie: its open transaction is aborted and it can no longer commit.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { subscription } from '#libs/consumer'
import { transactionalIdFor } from '#libs/kafka'
import { collect, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('a member taking over a partition fences the previous owner and aborts its open transaction', async (t) => {
  const kafka = testKafka()
  const input = uniqueName('zombie-in')
  const output = uniqueName('zombie-out')
  const groupId = uniqueName('zombie')
  await createTestTopics(t, [{ topic: input }, { topic: output }], kafka)
  await produce(
    t,
    kafka,
    input,
    Array.from({ length: 5 }, (_, i) => ({ value: `v${i}` })),
  )

  // The zombie: a previous owner of partition 0, mid-transaction, claiming all five records done.
  const zombie = kafka.producer({
    transactionalId: transactionalIdFor(groupId, input, 0),
    idempotent: true,
    maxInFlightRequests: 1,
  })
  await zombie.connect()
  t.after(() => zombie.disconnect())
  const open = await zombie.transaction()
  await open.send({ topic: output, messages: [{ value: 'from-the-zombie' }] })
  await open.sendOffsets({
    consumerGroupId: groupId,
    topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }],
  })

  await startGroup(t, {
    kafka,
    groupId,
    defaults: { guarantee: 'exactly-once' },
    subscriptions: [
      subscription({
        topic: input,
        decode: { decode: (bytes: Buffer) => bytes.toString() },
        handler: async (value, ctx) => {
          await ctx.emit(output, null, `copied-${value}`)
        },
      }),
    ],
  })
  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] })
      return offsets?.partitions[0]?.offset === '5'
    },
    { description: 'the new owner to commit all five records' },
  )
  await assert.rejects(open.commit(), 'the fenced zombie cannot commit')

  await produce(t, kafka, output, [{ value: 'end-marker' }])
  const seen = await collect(t, kafka, [output], { readCommitted: true })
  await waitFor(() => seen.some((r) => String(r.message.value) === 'end-marker'), {
    description: 'the end marker',
  })
  assert.deepEqual(
    seen.map((r) => String(r.message.value)),
    ['copied-v0', 'copied-v1', 'copied-v2', 'copied-v3', 'copied-v4', 'end-marker'],
    "the zombie's output was aborted; every input was processed by the new owner exactly once",
  )
})
