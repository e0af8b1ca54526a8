// Proves that outputs the producer gives up on dead-letter the input at the produce stage, and that deadLetter: false skips failed records.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Header, onChannel, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('an output to a topic that does not exist dead-letters the input at the produce stage', async (t) => {
  // Few client retries, so kafkajs gives up on the missing topic quickly.
  const kafka = testKafka({ retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 } })
  const topic = uniqueName('produce-stage')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [
    { key: 'k', value: 'v1' },
    { key: 'k', value: 'v2' },
  ])
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('produce-stage'),
    subscriptions: [
      subscription({
        topic,
        decode: { decode: (bytes: Buffer) => bytes.toString() },
        handler: async (value, ctx) => {
          await ctx.emit(
            value === 'v1' ? uniqueName('missing-topic') : topic.replace('produce-stage', 'nowhere'),
            null,
            value,
          )
        },
      }),
    ],
  })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => dlt.length === 2, { description: 'both inputs dead-lettered', timeoutMs: 30_000 })
  assert.deepEqual(
    dlt.map((r) => String(r.message.value)),
    ['v1', 'v2'],
  )
  for (const { message } of dlt) assert.equal(header(message.headers, Header.stage), 'produce')
})

test('with deadLetter: false a failed record is skipped, reported, and the partition moves on', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('skip')
  const groupId = uniqueName('skip')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [{ value: 'bad' }, { value: 'good' }])
  const skipped: string[] = []
  t.after(onChannel('skipped', (event) => skipped.push(event.offset)))
  const handled: string[] = []
  await startGroup(t, {
    kafka,
    groupId,
    defaults: { deadLetter: false, retry: { attempts: 0 } },
    subscriptions: [
      subscription({
        topic,
        decode: { decode: (bytes: Buffer) => bytes.toString() },
        handler: async (value) => {
          if (value === 'bad') throw new Error('nope')
          handled.push(value)
        },
      }),
    ],
  })
  await waitFor(() => handled.length === 1, { description: 'the good record' })
  assert.deepEqual(skipped, ['0'])
  const admin = await testAdmin(t, kafka)
  const topics = await admin.listTopics()
  assert.ok(!topics.some((name) => name.startsWith(`${groupId}.`)), 'no dead-letter topic was created')
})
