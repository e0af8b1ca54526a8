// Proves key-ordered exactly-once: records of a batch run concurrently, and the batch's outputs, dead-letter copies and offsets commit in one transaction once every record finished.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { nonRetriable, onChannel, subscription } from '#libs/consumer'
import { collect, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

const raw = { decode: (bytes: Buffer) => bytes.toString() }

async function committedTotal(admin: Awaited<ReturnType<typeof testAdmin>>, groupId: string, topic: string) {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
}

test('key-ordered exactly-once writes every output once, each key in offset order, with its dead-letter copies', async (t) => {
  const kafka = testKafka()
  const input = uniqueName('eos-key-in')
  const output = uniqueName('eos-key-out')
  const groupId = uniqueName('eos-key')
  await createTestTopics(t, [{ topic: input, numPartitions: 3 }, { topic: output }], kafka)
  const keys = 12
  const perKey = 10
  const total = keys * perKey
  await produce(
    t,
    kafka,
    input,
    Array.from({ length: total }, (_, i) => ({
      key: `k${i % keys}`,
      value: `k${i % keys}#${Math.floor(i / keys)}`,
    })),
  )
  let running = 0
  let peak = 0
  const commits: number[] = []
  t.after(onChannel('committed', (event) => event.transactional && commits.push(event.records)))
  const group = await startGroup(t, {
    kafka,
    groupId,
    exactlyOnce: { flushRecords: 7 },
    subscriptions: [
      subscription({
        topic: input,
        decode: raw,
        policy: { guarantee: 'exactly-once', ordering: 'key', maxInFlight: 32 },
        handler: async (value, ctx) => {
          running++
          peak = Math.max(peak, running)
          await delay(2)
          running--
          // Two records of k3 are unprocessable: dead-lettered inside the transaction.
          if (value === 'k3#0' || value === 'k3#5') throw nonRetriable(new Error('bad record'))
          await ctx.emit(output, ctx.key, value)
        },
      }),
    ],
  })
  const admin = await testAdmin(t, kafka)
  await waitFor(async () => (await committedTotal(admin, groupId, input)) === total, {
    description: 'every input offset committed',
  })
  const outputs = await collect(t, kafka, [output], { readCommitted: true })
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic], { readCommitted: true })
  await produce(t, kafka, output, [{ value: 'end-marker' }])
  await waitFor(() => outputs.some((r) => String(r.message.value) === 'end-marker') && dlt.length === 2, {
    description: 'the end marker and two dead-letter copies',
  })
  const values = outputs.map((r) => String(r.message.value)).filter((v) => v !== 'end-marker')
  assert.equal(values.length, total - 2, 'one output per processed input')
  assert.equal(new Set(values).size, values.length, 'no output twice')
  for (let k = 0; k < keys; k++) {
    const sequence = values.filter((v) => v.startsWith(`k${k}#`)).map((v) => Number(v.split('#')[1]))
    assert.deepEqual(
      sequence,
      sequence.toSorted((a, b) => a - b),
      `outputs of k${k} in input order`,
    )
  }
  assert.deepEqual(dlt.map((r) => String(r.message.value)).sort(), ['k3#0', 'k3#5'])
  assert.ok(peak > 1, `records ran at once (peak ${peak})`)
})

test('a key-ordered exactly-once batch commits nothing until its slowest record finished', async (t) => {
  const kafka = testKafka()
  const input = uniqueName('eos-slow-in')
  const output = uniqueName('eos-slow-out')
  const groupId = uniqueName('eos-slow')
  await createTestTopics(t, [{ topic: input }, { topic: output }], kafka)
  await produce(
    t,
    kafka,
    input,
    Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` })),
  )
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  t.after(() => release())
  const handled = new Set<string>()
  await startGroup(t, {
    kafka,
    groupId,
    subscriptions: [
      subscription({
        topic: input,
        decode: raw,
        policy: { guarantee: 'exactly-once', ordering: 'key' },
        handler: async (value, ctx) => {
          if (value === 'v3') await gate
          await ctx.emit(output, ctx.key, value)
          handled.add(value)
        },
      }),
    ],
  })
  // v3 holds its key (k3: v3, v8, v13, v18); the other 16 records finish.
  await waitFor(() => handled.size === 16, { description: 'the records of the other keys' })
  const admin = await testAdmin(t, kafka)
  assert.equal(await committedTotal(admin, groupId, input), 0, 'no offset committed while v3 runs')
  const outputs = await collect(t, kafka, [output], { readCommitted: true })
  release()
  await waitFor(async () => (await committedTotal(admin, groupId, input)) === 20, {
    description: 'the whole batch committed',
  })
  await produce(t, kafka, output, [{ value: 'end-marker' }])
  await waitFor(() => outputs.some((r) => String(r.message.value) === 'end-marker'), {
    description: 'the end marker',
  })
  const values = outputs.map((r) => String(r.message.value))
  assert.equal(
    values.indexOf('end-marker'),
    20,
    'the twenty outputs precede the end marker, written after the commit',
  )
  assert.deepEqual(values.slice(0, 20).sort(), Array.from({ length: 20 }, (_, i) => `v${i}`).sort())
})
