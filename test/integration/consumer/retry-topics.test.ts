// Proves that failed records move through the group's retry topics in order, each held until its due time, without blocking newer records.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Header, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { encodeWire, orderDecoder } from '../../helpers/wire.ts'

test('a failing record is retried through 1 s and 2 s tiers at their due times, then dead-lettered', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  const groupId = uniqueName('tiers')
  await createTestTopics(t, [{ topic }], kafka)
  const calls: Array<{ eventId: string; attempt: number; at: number; sourceTopic: string }> = []
  const group = await startGroup(t, {
    kafka,
    groupId,
    defaults: { retry: { attempts: 0 }, retryTopics: ['1s', '2s'] },
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: async (order, ctx) => {
          calls.push({
            eventId: order.eventId,
            attempt: ctx.attempt,
            at: Date.now(),
            sourceTopic: ctx.sourceTopic,
          })
          if (order.eventId === 'bad') throw new Error('downstream unavailable')
        },
      }),
    ],
  })
  const [retry1, retry2] = group.subscriptions[0]!.retryTopics as [string, string]
  const dlt = group.subscriptions[0]!.deadLetterTopic
  assert.deepEqual(
    [retry1, retry2, dlt],
    [`${groupId}.${topic}.retry.1`, `${groupId}.${topic}.retry.2`, `${groupId}.${topic}.dlt`],
  )

  await produce(t, kafka, topic, [{ key: 'a', value: encodeWire({ eventId: 'bad', amount: 1, note: '' }) }])
  await waitFor(() => calls.length >= 1, { description: 'the first attempt' })
  await produce(t, kafka, topic, [{ key: 'a', value: encodeWire({ eventId: 'good', amount: 2, note: '' }) }])
  const copies = await collect(t, kafka, [retry1, retry2, dlt])
  await waitFor(() => copies.some((c) => c.topic === dlt), {
    description: 'the dead-letter copy',
    timeoutMs: 20_000,
  })

  const bad = calls.filter((c) => c.eventId === 'bad')
  assert.deepEqual(
    bad.map((c) => [c.attempt, c.sourceTopic]),
    [
      [1, topic],
      [2, retry1],
      [3, retry2],
    ],
  )
  const good = calls.find((c) => c.eventId === 'good')
  assert.ok(good && good.at < bad[1]!.at, 'the newer record is not held behind the waiting retry')

  const byTopic = (name: string) => copies.find((c) => c.topic === name)!.message
  for (const [tier, name, delay] of [
    [1, retry1, 1_000],
    [2, retry2, 2_000],
  ] as const) {
    const headers = byTopic(name).headers
    const due = Number(header(headers, Header.retryDueAt))
    assert.equal(header(headers, Header.retryTier), String(tier))
    assert.equal(due - Number(header(headers, Header.lastFailureAt)), delay)
    const handledAt = bad[tier]!.at
    assert.ok(handledAt >= due, `tier ${tier} was handled ${due - handledAt} ms before it was due`)
    assert.ok(handledAt - due < 1_500, `tier ${tier} was handled ${handledAt - due} ms after it was due`)
  }
  assert.equal(header(byTopic(dlt).headers, Header.attempts), '3')
})
