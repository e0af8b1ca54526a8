// Proves key-ordered and unordered processing at-least-once: keys run at once, one key stays in offset order, failures and slow records hold back only their key, and commits never pass an unfinished record.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { Header, subscription } from '#libs/consumer'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

const raw = { decode: (bytes: Buffer) => bytes.toString() }

/** `keys` keys, `perKey` records each, interleaved: k0#0, k1#0, ..., k0#1, ... */
function interleaved(keys: number, perKey: number) {
  return Array.from({ length: keys * perKey }, (_, i) => ({
    key: `k${i % keys}`,
    value: `k${i % keys}#${Math.floor(i / keys)}`,
  }))
}

async function committedTotal(admin: Awaited<ReturnType<typeof testAdmin>>, groupId: string, topic: string) {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
}

test('key ordering handles different keys at once and the records of one key in offset order', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('keyed')
  const groupId = uniqueName('keyed')
  await createTestTopics(t, [{ topic, numPartitions: 3 }], kafka)
  const records = interleaved(20, 10)
  await produce(t, kafka, topic, records)
  const seen = new Map<string, number[]>()
  let running = 0
  let peak = 0
  await startGroup(t, {
    kafka,
    groupId,
    subscriptions: [
      subscription({
        topic,
        decode: raw,
        policy: { ordering: 'key', maxInFlight: 16 },
        handler: async (value, ctx) => {
          running++
          peak = Math.max(peak, running)
          await delay(2)
          const [key, sequence] = value.split('#') as [string, string]
          assert.equal(String(ctx.key), key)
          seen.set(key, [...(seen.get(key) ?? []), Number(sequence)])
          running--
        },
      }),
    ],
  })
  await waitFor(() => [...seen.values()].reduce((sum, list) => sum + list.length, 0) === records.length, {
    description: 'every record handled',
  })
  for (const [key, sequences] of seen) {
    assert.deepEqual(
      sequences,
      sequences.toSorted((a, b) => a - b),
      `records of ${key} in offset order`,
    )
  }
  assert.equal(seen.size, 20)
  assert.ok(peak > 1, `records ran at once (peak ${peak})`)
  assert.ok(peak <= 16, `never more than maxInFlight at once (peak ${peak})`)
  const admin = await testAdmin(t, kafka)
  await waitFor(async () => (await committedTotal(admin, groupId, topic)) === records.length, {
    description: 'every offset committed',
  })
})

test('a stuck record holds the committed offset while the records of other keys are handled', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('stuck')
  const groupId = uniqueName('stuck')
  await createTestTopics(t, [{ topic }], kafka)
  const records = interleaved(5, 4) // offset 0 is k0#0: the stuck one
  await produce(t, kafka, topic, records)
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  t.after(() => release())
  const handled: string[] = []
  await startGroup(t, {
    kafka,
    groupId,
    commitIntervalMs: 50,
    subscriptions: [
      subscription({
        topic,
        decode: raw,
        policy: { ordering: 'key' },
        handler: async (value) => {
          if (value === 'k0#0') await gate
          handled.push(value)
        },
      }),
    ],
  })
  await waitFor(() => handled.length === 16, { description: 'every record of the other keys' })
  assert.ok(
    handled.every((value) => !value.startsWith('k0#')),
    'no later record of the stuck key ran',
  )
  const admin = await testAdmin(t, kafka)
  assert.equal(await committedTotal(admin, groupId, topic), 0, 'nothing committed past the stuck record')
  release()
  await waitFor(() => handled.length === records.length, { description: 'the stuck key to drain' })
  assert.deepEqual(
    handled.filter((value) => value.startsWith('k0#')),
    ['k0#0', 'k0#1', 'k0#2', 'k0#3'],
  )
  await waitFor(async () => (await committedTotal(admin, groupId, topic)) === records.length, {
    description: 'every offset committed',
  })
})

test('in-process retries of one record hold back only the later records of its key', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('retry-key')
  await createTestTopics(t, [{ topic }], kafka)
  const records = interleaved(4, 5) // k0#0 fails twice
  await produce(t, kafka, topic, records)
  const handled: string[] = []
  await startGroup(t, {
    kafka,
    groupId: uniqueName('retry-key'),
    defaults: { retry: { attempts: 2, initialDelay: 10, maxDelay: 20 } },
    subscriptions: [
      subscription({
        topic,
        decode: raw,
        policy: { ordering: 'key' },
        handler: async (value, ctx) => {
          if (value === 'k0#0' && ctx.attempt < 3) {
            // Its retries wait for every record of the other keys: if they were held back too, this never ends.
            if (ctx.attempt === 2) {
              await waitFor(() => handled.filter((v) => !v.startsWith('k0#')).length === 15, {
                description: 'the other keys to finish during the retries',
              })
            }
            throw new Error('database timeout')
          }
          handled.push(value)
        },
      }),
    ],
  })
  await waitFor(() => handled.length === records.length, { description: 'every record handled' })
  assert.deepEqual(
    handled.filter((value) => value.startsWith('k0#')),
    ['k0#0', 'k0#1', 'k0#2', 'k0#3', 'k0#4'],
    'the key kept its order across the retries',
  )
})

test('a record that moves to a retry topic no longer holds back the later records of its key', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('tier-key')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [
    { key: 'a', value: 'a#0' },
    { key: 'a', value: 'a#1' },
    { key: 'b', value: 'b#0' },
  ])
  const handled: Array<{ value: string; attempt: number }> = []
  await startGroup(t, {
    kafka,
    groupId: uniqueName('tier-key'),
    defaults: { retry: { attempts: 0 }, retryTopics: ['200ms'] },
    subscriptions: [
      subscription({
        topic,
        decode: raw,
        policy: { ordering: 'key' },
        handler: async (value, ctx) => {
          if (value === 'a#0' && ctx.attempt === 1) throw new Error('downstream unavailable')
          handled.push({ value, attempt: ctx.attempt })
        },
      }),
    ],
  })
  await waitFor(() => handled.length === 3, { description: 'all three records handled' })
  const order = handled.map(({ value }) => value)
  assert.ok(order.indexOf('a#1') < order.indexOf('a#0'), 'a#1 ran while a#0 waited in the retry topic')
  assert.deepEqual(
    handled.find(({ value }) => value === 'a#0'),
    { value: 'a#0', attempt: 2 },
  )
})

test('unordered processing handles every record, several at once', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('unordered')
  const groupId = uniqueName('unordered')
  await createTestTopics(t, [{ topic, numPartitions: 2 }], kafka)
  const records = interleaved(3, 30)
  await produce(t, kafka, topic, records)
  const handled = new Set<string>()
  let running = 0
  let peak = 0
  await startGroup(t, {
    kafka,
    groupId,
    subscriptions: [
      subscription({
        topic,
        decode: raw,
        policy: { ordering: 'none', maxInFlight: 8, maxInFlightPerPartition: 4 },
        handler: async (value) => {
          running++
          peak = Math.max(peak, running)
          await delay(2)
          handled.add(value)
          running--
        },
      }),
    ],
  })
  await waitFor(() => handled.size === records.length, { description: 'every record handled' })
  assert.ok(peak > 1 && peak <= 8, `records ran at once within the bound (peak ${peak})`)
  const admin = await testAdmin(t, kafka)
  await waitFor(async () => (await committedTotal(admin, groupId, topic)) === records.length, {
    description: 'every offset committed',
  })
})

test('key-ordered outputs are acknowledged before their records finish; one unwritable output dead-letters only its record', async (t) => {
  // Few client retries, so kafkajs gives up on the missing topic quickly.
  const kafka = testKafka({ retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 } })
  const topic = uniqueName('keyed-out-in')
  const output = uniqueName('keyed-out')
  const groupId = uniqueName('keyed-out')
  await createTestTopics(t, [{ topic, numPartitions: 2 }, { topic: output }], kafka)
  const records = interleaved(10, 6)
  await produce(t, kafka, topic, records)
  const group = await startGroup(t, {
    kafka,
    groupId,
    subscriptions: [
      subscription({
        topic,
        decode: raw,
        policy: { ordering: 'key', maxInFlight: 32 },
        handler: async (value, ctx) => {
          const target = value === 'k4#2' ? uniqueName('missing-topic') : output
          await ctx.emit(target, ctx.key, value)
        },
      }),
    ],
  })
  const outputs = await collect(t, kafka, [output])
  const dlt = await collect(t, kafka, [group.subscriptions[0]!.deadLetterTopic])
  await waitFor(() => outputs.length === records.length - 1 && dlt.length === 1, {
    description: 'every other output and one dead-letter copy',
    timeoutMs: 30_000,
  })
  assert.equal(String(dlt[0]!.message.value), 'k4#2')
  assert.equal(header(dlt[0]!.message.headers, Header.stage), 'produce')
  for (let k = 0; k < 10; k++) {
    const sequence = outputs
      .map((r) => String(r.message.value))
      .filter((v) => v.startsWith(`k${k}#`))
      .map((v) => Number(v.split('#')[1]))
    assert.deepEqual(
      sequence,
      sequence.toSorted((a, b) => a - b),
      `outputs of k${k} in input order`,
    )
  }
  const admin = await testAdmin(t, kafka)
  await waitFor(async () => (await committedTotal(admin, groupId, topic)) === records.length, {
    description: 'every offset committed',
  })
})
