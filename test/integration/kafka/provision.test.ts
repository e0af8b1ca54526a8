// Proves that topic provisioning creates missing topics with their configs, leaves existing ones and refuses too few partitions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TopicPartitionMismatchError } from '@event-backbone/errors'
import { ensureTopics } from '#libs/kafka'
import { createTestTopics, testAdmin, uniqueName } from '../../helpers/kafka.ts'

test('missing topics are created with their configs and a second run changes nothing', async (t) => {
  const admin = await testAdmin(t)
  const topic = uniqueName('provision')
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const spec = { topic, numPartitions: 3, configs: { 'retention.ms': '3600000' } }
  assert.deepEqual(await ensureTopics(admin, [spec]), { created: [topic], existing: [] })
  assert.deepEqual(await ensureTopics(admin, [spec]), { created: [], existing: [topic] })
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics
  assert.equal(metadata?.partitions.length, 3)
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
  })
  assert.equal(described.resources[0]?.configEntries[0]?.configValue, '3600000')
})

test('an existing topic with fewer partitions than required is refused', async (t) => {
  const topic = uniqueName('provision-small')
  await createTestTopics(t, [{ topic, numPartitions: 1 }])
  const admin = await testAdmin(t)
  await assert.rejects(ensureTopics(admin, [{ topic, numPartitions: 4 }]), TopicPartitionMismatchError)
})
