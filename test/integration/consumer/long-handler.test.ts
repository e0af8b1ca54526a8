// Proves that a member whose handler runs 60 s, six times its 10 s session timeout, stays in its group: it keeps heartbeating, is never evicted, handles the record once and commits it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { onChannel, subscription } from '#libs/consumer'
import { fastTuning, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('a 60 s handler under a 10 s session timeout keeps its member in the group', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('long')
  const groupId = uniqueName('long')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [
    { key: 'a', value: 'slow' },
    { key: 'a', value: 'next' },
  ])
  const lifecycle: string[] = []
  t.after(onChannel('lifecycle', (event) => event.groupId === groupId && lifecycle.push(event.state)))
  const calls: string[] = []
  await startGroup(t, {
    kafka,
    groupId,
    consumer: { ...fastTuning, sessionTimeout: 10_000, heartbeatInterval: 1_000 },
    subscriptions: [
      subscription({
        topic,
        decode: { decode: (bytes: Buffer) => bytes.toString() },
        handler: async (value) => {
          calls.push(value)
          // The behaviour under test is a handler this long, not a wait for a condition.
          if (value === 'slow') await delay(60_000)
        },
      }),
    ],
  })
  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
      return offsets?.partitions[0]?.offset === '2'
    },
    { description: 'both records committed', timeoutMs: 120_000, intervalMs: 500 },
  )
  assert.deepEqual(calls, ['slow', 'next'], 'each record handled once: the member was never evicted')
  assert.deepEqual(lifecycle, ['joined'], 'one join, no crash, no rejoin')
  const { groups } = await admin.describeGroups([groupId])
  assert.equal(groups[0]?.state, 'Stable')
  assert.equal(groups[0]?.members.length, 1)
})
