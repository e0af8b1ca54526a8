// Proves that a consumer killed with SIGKILL mid-batch and restarted leaves every input in the output exactly once (exactly-once) or at least once (at-least-once), partition-ordered and key-ordered.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runFixture } from '../../helpers/child.ts'
import { collect, produce } from '../../helpers/consumer.ts'
import { readCommittedValues } from '../../helpers/java-reader.ts'
import {
  createTestTopics,
  testAdmin,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
} from '../../helpers/kafka.ts'

const total = 600

async function killMidBatchAndRestart(
  t: import('node:test').TestContext,
  guarantee: string,
  ordering = 'partition',
) {
  const kafka = testKafka()
  const input = uniqueName('copy-in')
  const output = uniqueName('copy-out')
  const groupId = uniqueName(`copy-${guarantee}`)
  await createTestTopics(t, [{ topic: input, numPartitions: 3 }, { topic: output }], kafka)
  await produce(
    t,
    kafka,
    input,
    Array.from({ length: total }, (_, i) => ({ key: `k${i % 17}`, value: `record-${i}` })),
  )
  const env = {
    KAFKA_BROKERS: testBrokers().join(','),
    GROUP: groupId,
    INPUT: input,
    OUTPUT: output,
    GUARANTEE: guarantee,
    ORDERING: ordering,
    WORK_MS: '2',
    FLUSH_RECORDS: '5',
    MAX_BATCH_RECORDS: '200',
  }
  const first = runFixture(t, 'copy-consumer.ts', env)
  await waitFor(() => first.handled() >= 150, {
    description: 'the first consumer to be mid-way',
    timeoutMs: 60_000,
  })
  first.process.kill('SIGKILL')
  await first.exited
  const killedAt = first.handled()
  t.diagnostic(`killed after ${killedAt} handled records`)
  assert.ok(killedAt < total, 'the consumer was killed before it finished')

  const second = runFixture(t, 'copy-consumer.ts', env)
  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] })
      const done = (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
      return done === total
    },
    { description: 'the restarted consumer to commit every input offset', timeoutMs: 90_000 },
  )
  second.process.kill('SIGTERM')
  assert.equal(await second.exited, 0, 'the restarted consumer stops gracefully on SIGTERM')

  // A plain record after everything: once a read_committed reader sees it, it has seen all before it.
  await produce(t, kafka, output, [{ value: 'end-marker' }])
  let values: string[]
  if (guarantee === 'exactly-once') {
    // Kafka's Java consumer: kafkajs's read_committed can show aborted records (test/helpers/java-reader.ts).
    // Exactly total + 1 values when nothing is lost or duplicated; a duplicate pushes the marker out.
    values = await readCommittedValues(output, total + 1)
  } else {
    const seen = await collect(t, kafka, [output], { readCommitted: true })
    await waitFor(() => seen.some((r) => String(r.message.value) === 'end-marker'), {
      description: 'the end marker in the output',
      timeoutMs: 30_000,
    })
    values = seen.map((r) => String(r.message.value))
  }
  const counts = new Map<string, number>()
  for (const value of values) {
    if (value !== 'end-marker') counts.set(value, (counts.get(value) ?? 0) + 1)
  }
  return counts
}

test('a consumer killed with SIGKILL mid-batch under exactly-once leaves every input in the output exactly once', async (t) => {
  const counts = await killMidBatchAndRestart(t, 'exactly-once')
  assert.equal(counts.size, total, 'no input is lost')
  const duplicates = [...counts].filter(([, n]) => n > 1)
  assert.deepEqual(duplicates, [], 'no input appears twice in the committed output')
})

test('a consumer killed with SIGKILL mid-batch under at-least-once loses nothing', async (t) => {
  const counts = await killMidBatchAndRestart(t, 'at-least-once')
  assert.equal(counts.size, total, 'no input is lost')
  const duplicates = [...counts.values()].filter((n) => n > 1).length
  t.diagnostic(`${duplicates} inputs were delivered twice, as at-least-once allows`)
})

test('a consumer killed with SIGKILL mid key-ordered batch under exactly-once leaves every input in the output exactly once', async (t) => {
  const counts = await killMidBatchAndRestart(t, 'exactly-once', 'key')
  assert.equal(counts.size, total, 'no input is lost')
  const duplicates = [...counts].filter(([, n]) => n > 1)
  assert.deepEqual(duplicates, [], 'no input appears twice in the committed output')
})

test('a consumer killed with SIGKILL mid key-ordered batch under at-least-once loses nothing', async (t) => {
  const counts = await killMidBatchAndRestart(t, 'at-least-once', 'key')
  assert.equal(counts.size, total, 'no input is lost')
  const duplicates = [...counts.values()].filter((n) => n > 1).length
  t.diagnostic(`${duplicates} inputs were delivered twice, as at-least-once allows`)
})
