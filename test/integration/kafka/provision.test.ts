// Proves that topic provisioning creates missing topics with their configs and durability, leaves existing ones (reporting those short of the profile) and refuses too few partitions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TopicPartitionMismatchError } from '@event-backbone/errors'
import { defaultDurability, ensureTopics } from '#libs/kafka'
import { createTestTopics, testAdmin, uniqueName } from '../../helpers/kafka.ts'

test('missing topics are created with their configs and a second run changes nothing', async (t) => {
  const admin = await testAdmin(t)
  const topic = uniqueName('provision')
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const spec = { topic, numPartitions: 3, configs: { 'retention.ms': '3600000' } }
  const first = await ensureTopics(admin, [spec])
  assert.deepEqual(first, {
    created: [topic],
    existing: [],
    shortfalls: [],
    configDrifts: [],
    brokers: first.brokers,
  })
  assert.deepEqual(await ensureTopics(admin, [spec]), {
    created: [],
    existing: [topic],
    shortfalls: [],
    configDrifts: [],
    brokers: first.brokers,
  })
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics
  assert.equal(metadata?.partitions.length, 3)
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
  })
  assert.equal(described.resources[0]?.configEntries[0]?.configValue, '3600000')
})

test('an existing topic whose cleanup policy or retention differs from its spec is reported, not changed', async (t) => {
  const topic = uniqueName('provision-drift')
  await createTestTopics(t, [{ topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }])
  const admin = await testAdmin(t)
  const spec = {
    topic,
    numPartitions: 1,
    family: 'changelog' as const,
    configs: { 'cleanup.policy': 'delete,compact', 'retention.ms': '7200000' },
  }
  const report = await ensureTopics(admin, [spec])
  assert.deepEqual(
    report.configDrifts.map(({ config, wanted, actual }) => ({ config, wanted, actual })),
    [
      { config: 'cleanup.policy', wanted: 'delete,compact', actual: 'compact' },
      { config: 'retention.ms', wanted: '7200000', actual: '604800000' },
    ],
  )
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
  })
  assert.equal(described.resources[0]?.configEntries[0]?.configValue, 'compact', 'left as it was')

  const matching = uniqueName('provision-nodrift')
  await createTestTopics(t, [
    {
      topic: matching,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact,delete' },
        { name: 'retention.ms', value: '7200000' },
      ],
    },
  ])
  const same = await ensureTopics(admin, [{ ...spec, topic: matching }])
  assert.deepEqual(same.configDrifts, [], 'the policy is compared as a set: compact,delete = delete,compact')
})

test('an existing topic with fewer partitions than required is refused', async (t) => {
  const topic = uniqueName('provision-small')
  await createTestTopics(t, [{ topic, numPartitions: 1 }])
  const admin = await testAdmin(t)
  await assert.rejects(ensureTopics(admin, [{ topic, numPartitions: 4 }]), TopicPartitionMismatchError)
})

test("a created topic gets the profile's replication factor and min.insync.replicas", async (t) => {
  const admin = await testAdmin(t)
  const topic = uniqueName('provision-durable')
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const { brokers } = await ensureTopics(admin, [{ topic, numPartitions: 2 }])
  const wanted = defaultDurability(brokers)
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics
  assert.deepEqual(
    metadata?.partitions.map((p) => p.replicas.length),
    [wanted.replicationFactor, wanted.replicationFactor],
  )
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }],
  })
  assert.equal(described.resources[0]?.configEntries[0]?.configValue, String(wanted.minInsyncReplicas))
})

test('an existing topic with fewer replicas than the profile asks for is reported, not changed', async (t) => {
  const topic = uniqueName('provision-short')
  await createTestTopics(t, [{ topic, numPartitions: 1 }])
  const admin = await testAdmin(t)
  // Whatever the suite's cluster, ask for one replica more than the topic has.
  const report = await ensureTopics(admin, [{ topic, numPartitions: 1 }], {
    profile: { domain: { replicationFactor: 2, minInsyncReplicas: 1 } },
  })
  assert.deepEqual(report.shortfalls, [
    {
      topic,
      family: 'domain',
      wanted: { replicationFactor: 2, minInsyncReplicas: 1 },
      replicationFactor: 1,
      minInsyncReplicas: report.shortfalls[0]?.minInsyncReplicas,
    },
  ])
})
