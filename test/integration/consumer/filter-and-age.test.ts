// Proves the declarative filter and maxRecordAge against the broker: filtered records are never handled but their offsets commit under both guarantees, and records older than maxRecordAge are dead-lettered with the reason.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Header, onChannel, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

for (const guarantee of ['at-least-once', 'exactly-once'] as const) {
  test(`filtered records are skipped and their offsets still commit (${guarantee}, key ordering)`, async (t) => {
    const kafka = testKafka()
    const topic = uniqueName('filter')
    const groupId = uniqueName('filter')
    await createTestTopics(t, [{ topic }], kafka)
    await produce(
      t,
      kafka,
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 3}`, value: String(i) })),
    )
    const filtered: string[] = []
    t.after(onChannel('filtered', (event) => event.groupId === groupId && filtered.push(event.offset)))
    const handled: number[] = []
    await startGroup(t, {
      kafka,
      groupId,
      subscriptions: [
        subscription({
          topic,
          decode: { decode: (bytes: Buffer) => Number(bytes.toString()) },
          filter: (value) => value % 2 === 0,
          policy: { guarantee, ordering: 'key' },
          handler: async (value) => void handled.push(value),
        }),
      ],
    })
    const admin = await testAdmin(t, kafka)
    await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
        return offsets?.partitions[0]?.offset === '10'
      },
      { description: 'the offset after the last record committed' },
    )
    assert.deepEqual(
      handled.toSorted((a, b) => a - b),
      [0, 2, 4, 6, 8],
    )
    assert.deepEqual(
      filtered.toSorted((a, b) => Number(a) - Number(b)),
      ['1', '3', '5', '7', '9'],
    )
  })
}

test('a record older than maxRecordAge goes to the dead-letter topic with RecordTooOldError', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('aged')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [
    { key: 'a', value: 'stale', timestamp: String(Date.now() - 3_600_000) },
    { key: 'a', value: 'fresh' },
  ])
  const handled: string[] = []
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('aged'),
    subscriptions: [
      subscription({
        topic,
        decode: { decode: (bytes: Buffer) => bytes.toString() },
        policy: { maxRecordAge: '10m' },
        handler: async (value) => void handled.push(value),
      }),
    ],
  })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => dlt.length === 1 && handled.length === 1, {
    description: 'one dead-lettered, one handled',
  })
  assert.deepEqual(handled, ['fresh'])
  assert.equal(String(dlt[0]!.message.value), 'stale')
  assert.equal(header(dlt[0]!.message.headers, Header.errorClass), 'RecordTooOldError')
  assert.match(
    header(dlt[0]!.message.headers, Header.errorMessage) ?? '',
    /more than maxRecordAge \(600000 ms\)/,
  )
})
