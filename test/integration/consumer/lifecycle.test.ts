// Proves the group's lifecycle: readiness follows membership, and a graceful stop mid-batch commits exactly what was handled (key-ordered: the contiguous handled prefix).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { MissingTopicError } from '@event-backbone/errors'
import { createConsumerGroup, subscription } from '#libs/consumer'
import { fastTuning, produce } from '../../helpers/consumer.ts'
import {
  committedOffsetBecomes,
  createTestTopics,
  testAdmin,
  testKafka,
  uniqueName,
  waitFor,
} from '../../helpers/kafka.ts'

for (const guarantee of ['at-least-once', 'exactly-once'] as const) {
  test(`a graceful ${guarantee} stop in the middle of a batch commits exactly the records handled`, async (t) => {
    const kafka = testKafka()
    const topic = uniqueName('lifecycle')
    const groupId = uniqueName('lifecycle')
    await createTestTopics(t, [{ topic }], kafka)
    await produce(
      t,
      kafka,
      topic,
      Array.from({ length: 300 }, (_, i) => ({ value: String(i) })),
    )
    let handled = 0
    const group = createConsumerGroup({
      kafka,
      groupId,
      consumer: fastTuning,
      defaults: { guarantee },
      exactlyOnce: { maxBatchRecords: 1_000 },
      subscriptions: [
        subscription({
          topic,
          decode: { decode: (bytes: Buffer) => bytes },
          handler: async () => {
            await delay(5)
            handled++
          },
        }),
      ],
    })
    t.after(() => group.stop())
    assert.equal(group.ready, false)
    await group.start()
    await waitFor(() => group.ready, { description: 'the member to join' })
    await waitFor(() => handled >= 30, { description: 'some records handled' })
    await group.stop()
    assert.equal(group.ready, false)
    assert.ok(handled < 300, 'the stop came mid-batch')
    const admin = await testAdmin(t, kafka)
    await committedOffsetBecomes(
      admin,
      groupId,
      topic,
      handled,
      'the committed offset is right after the last handled record',
    )
  })
}

for (const guarantee of ['at-least-once', 'exactly-once'] as const) {
  test(`a graceful ${guarantee} stop in the middle of a key-ordered batch commits exactly the contiguous handled prefix`, async (t) => {
    const kafka = testKafka()
    const topic = uniqueName('lifecycle-key')
    const groupId = uniqueName('lifecycle-key')
    await createTestTopics(t, [{ topic }], kafka)
    await produce(
      t,
      kafka,
      topic,
      Array.from({ length: 600 }, (_, i) => ({ key: `k${i % 7}`, value: String(i) })),
    )
    const handled = new Set<number>()
    const group = createConsumerGroup({
      kafka,
      groupId,
      consumer: fastTuning,
      exactlyOnce: { maxBatchRecords: 1_000 },
      subscriptions: [
        subscription({
          topic,
          decode: { decode: (bytes: Buffer) => Number(bytes.toString()) },
          policy: { guarantee, ordering: 'key', maxInFlight: 4 },
          handler: async (value) => {
            await delay(5)
            handled.add(value)
          },
        }),
      ],
    })
    t.after(() => group.stop())
    await group.start()
    await waitFor(() => handled.size >= 30, { description: 'some records handled' })
    await group.stop()
    assert.ok(handled.size < 600, 'the stop came mid-batch')
    const admin = await testAdmin(t, kafka)
    let firstUnhandled = 0
    while (handled.has(firstUnhandled)) firstUnhandled++
    assert.ok(firstUnhandled > 0, 'a prefix was handled')
    await committedOffsetBecomes(
      admin,
      groupId,
      topic,
      firstUnhandled,
      'committed up to the first record not handled, not past it',
    )
  })
}

test('starting a group on a topic that does not exist fails with MissingTopicError and leaves nothing connected', async (t) => {
  const group = createConsumerGroup({
    kafka: testKafka(),
    groupId: uniqueName('missing'),
    consumer: fastTuning,
    subscriptions: [
      subscription({
        topic: uniqueName('no-such-topic'),
        decode: { decode: (b: Buffer) => b },
        handler: () => {},
      }),
    ],
  })
  t.after(() => group.stop())
  await assert.rejects(group.start(), MissingTopicError)
  assert.equal(group.ready, false)
})
