// What the kafkajs patch (patches/kafkajs+2.2.4.patch) changes in how clients behave against the
// broker: a topic deleted by someone else no longer stops a long-lived client's metadata refreshes
// (tulios/kafkajs#1622), and admin.setOffsets commits like Kafka's AdminClient instead of joining
// the group. test/unit/kafka/kafkajs-patch.test.ts covers the encoding half of the patch.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

// Short retries: unpatched, the calls below fail after them (about 2.5 s) instead of after ~12 s;
// enough of them for a just-created topic whose leader is still settling (NOT_LEADER_FOR_PARTITION).
const quickRetries = { retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 } }

// kafkajs's text for UNKNOWN_TOPIC_OR_PARTITION (the admin wraps it, the producer does not).
const unknownTopic = /does not host this topic-partition/

/** Setup that may meet a loaded broker's transient errors: tried again, bounded, until it succeeds. */
const eventually = (work: () => Promise<unknown>, description: string) =>
  waitFor(
    () =>
      work().then(
        () => true,
        () => false,
      ),
    { description, intervalMs: 200 },
  )

/** Deletes `topic` with another client and waits until the broker's metadata no longer has it. */
async function deleteTopic(t: Parameters<typeof testAdmin>[0], topic: string) {
  const other = await testAdmin(t)
  await other.deleteTopics({ topics: [topic] })
  await waitFor(async () => !(await other.listTopics()).includes(topic), { description: `${topic} gone` })
}

test('a producer goes on sending to its other topics and to new ones after one it sent to is deleted elsewhere', async (t) => {
  const [kept, doomed, later] = [uniqueName('kept'), uniqueName('doomed'), uniqueName('later')]
  await createTestTopics(t, [{ topic: kept }, { topic: doomed }, { topic: later }])
  // metadataMaxAge 0: every send refreshes, as a producer's does once its metadata is 5 minutes old.
  const producer = testKafka(quickRetries).producer({ metadataMaxAge: 0, allowAutoTopicCreation: false })
  await producer.connect()
  t.after(() => producer.disconnect())
  await eventually(() => producer.send({ topic: kept, messages: [{ value: '1' }] }), 'a first record in kept')
  await eventually(() => producer.send({ topic: doomed, messages: [{ value: '1' }] }), 'a record in doomed')
  await deleteTopic(t, doomed)

  const [sentKept] = await producer.send({ topic: kept, messages: [{ value: '2' }] })
  assert.equal(sentKept?.errorCode, 0)
  const [sentLater] = await producer.send({ topic: later, messages: [{ value: '1' }] })
  assert.equal(sentLater?.errorCode, 0)
  await assert.rejects(producer.send({ topic: doomed, messages: [{ value: '2' }] }), unknownTopic)
})

test('a long-lived admin reads any topic after one it had read is deleted elsewhere', async (t) => {
  const [doomed, kept] = [uniqueName('doomed'), uniqueName('kept')]
  await createTestTopics(t, [{ topic: doomed }, { topic: kept, numPartitions: 2 }])
  const admin = await testAdmin(t, testKafka(quickRetries))
  await eventually(() => admin.fetchTopicOffsets(doomed), 'the offsets of doomed')
  await deleteTopic(t, doomed)

  const offsets = await admin.fetchTopicOffsets(kept)
  assert.deepEqual(offsets.map((entry) => entry.partition).sort(), [0, 1])
  await assert.rejects(admin.fetchTopicOffsets(doomed), unknownTopic)
})

test('setOffsets commits offsets without joining the group, resolving earliest and latest to the bounds', async (t) => {
  const topic = uniqueName('offsets')
  const groupId = uniqueName('g')
  await createTestTopics(t, [{ topic, numPartitions: 3 }])
  const kafka = testKafka()
  const producer = kafka.producer()
  await producer.connect()
  t.after(() => producer.disconnect())
  await producer.send({
    topic,
    messages: [0, 0, 0, 1, 1, 2].map((partition, index) => ({ partition, value: String(index) })),
  })
  const admin = await testAdmin(t, kafka)
  // The bounds as the broker has them (a producer retry under load may have written a record twice).
  const bounds = new Map((await admin.fetchTopicOffsets(topic)).map((bound) => [bound.partition, bound]))
  await admin.setOffsets({
    groupId,
    topic,
    partitions: [
      { partition: 0, offset: '1' },
      { partition: 1, offset: '-1' },
      { partition: 2, offset: '-2' },
    ],
  })

  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] })
  assert.deepEqual(committed?.partitions.map((entry) => [entry.partition, entry.offset]).sort(), [
    [0, '1'],
    [1, bounds.get(1)?.high],
    [2, bounds.get(2)?.low],
  ])
  assert.notEqual(bounds.get(1)?.high, '0', 'latest is not the start of a partition with records')
  // A consumer that had joined would have given the group its protocol; a bare commit gives none.
  const {
    groups: [group],
  } = await admin.describeGroups([groupId])
  assert.equal(group?.state, 'Empty')
  assert.equal(group?.protocolType, '')
  assert.deepEqual(group?.members, [])
})

test('setOffsets refuses a group with a live member and a partition the topic does not have', async (t) => {
  const topic = uniqueName('offsets')
  const groupId = uniqueName('g')
  await createTestTopics(t, [{ topic }])
  const kafka = testKafka()
  const admin = await testAdmin(t, kafka)
  await assert.rejects(
    admin.setOffsets({ groupId, topic, partitions: [{ partition: 7, offset: '0' }] }),
    /has no partition 7/,
  )
  const consumer = kafka.consumer({ groupId })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic })
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve))
  await consumer.run({ eachMessage: async () => {} })
  await joined
  await assert.rejects(
    admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] }),
    /must have no running instances/,
  )
})
