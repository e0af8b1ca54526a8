// The dedupe horizon with a fake clock: write-time order, expiry on access and on restore, the changelog spec it implies.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Kafka } from 'kafkajs'
import type { HandlerContext } from '#libs/consumer'
import {
  changelogTopicSpec,
  jsonCodec,
  PartitionStore,
  type RestoreInfo,
  retentionMsFor,
  segmentMsFor,
  WriteTimes,
} from '#libs/state'

const day = 86_400_000
const t0 = Date.UTC(2026, 11, 1)

function context(partition: number, offset: number): HandlerContext {
  return {
    topic: 'payments',
    sourceTopic: 'payments',
    partition,
    offset: String(offset),
    timestamp: '0',
    key: null,
    headers: {},
    attempt: 1,
    emit: async () => {},
  }
}

type Record = readonly [key: string, value: string | null, atMs: number]

/** A store with a 30-day horizon on a fake clock, over a fake changelog of timestamped records. */
function horizonStore(changelog: readonly Record[], clock: { now: number }, restores: RestoreInfo[] = []) {
  const s = new PartitionStore<{ n: number }>({
    kafka: {} as Kafka,
    groupId: 'g',
    changelogTopic: 'g.s.changelog',
    codec: jsonCodec(),
    horizon: { ms: 30 * day, now: () => clock.now },
    read: async (_topic, _partition, visit) => {
      for (const [key, value, at] of changelog) visit(key, value === null ? null : Buffer.from(value), at)
    },
    onRestore: (info) => restores.push(info),
  })
  s.hooks.onAssign?.({ topic: 'payments', partition: 0 })
  return s
}

test('write times are kept oldest first; a rewrite moves a key to the back; expiry stops at the first young key', () => {
  const times = new WriteTimes()
  times.touch('a', t0)
  times.touch('b', t0 + 1_000)
  times.touch('c', t0 + 2_000)
  times.touch('a', t0 + 10_000)
  const dropped: string[] = []
  assert.equal(
    times.expire(t0 + 2_000, (key) => dropped.push(key)),
    1,
  )
  assert.deepEqual(dropped, ['b'], 'a was rewritten after the cutoff, c is exactly at it')
  times.forget('c')
  assert.equal(
    times.expire(t0 + 60_000, (key) => dropped.push(key)),
    1,
  )
  assert.deepEqual(dropped, ['b', 'a'])
  assert.equal(times.size, 0)
})

test('a restore skips keys last written before the horizon, keeps younger ones, and a later write revives an old key', async (t) => {
  const clock = { now: t0 + 40 * day }
  const restores: RestoreInfo[] = []
  const s = horizonStore(
    [
      ['old', '{"n":1}', t0],
      ['revived', '{"n":2}', t0],
      ['deleted', '{"n":3}', t0 + 35 * day],
      ['young', '{"n":4}', t0 + 20 * day],
      ['revived', '{"n":5}', t0 + 30 * day],
      ['deleted', null, t0 + 36 * day],
      ['\u0000applied', '17', t0],
    ],
    clock,
    restores,
  )
  t.after(() => s.close())
  const values = await s.partition(context(0, 18))
  assert.deepEqual(
    [...values].sort(([a], [b]) => a.localeCompare(b)),
    [
      ['revived', { n: 5 }],
      ['young', { n: 4 }],
    ],
  )
  assert.equal(s.isApplied(context(0, 17)), true, 'the applied mark never expires')
  assert.deepEqual(
    restores.map(({ keys, records, expired }) => ({ keys, records, expired })),
    [{ keys: 2, records: 7, expired: 2 }],
  )
})

test('keys expire from memory as records arrive once the horizon passes them; a rewrite keeps a key longer', async (t) => {
  const clock = { now: t0 }
  const s = horizonStore([], clock)
  t.after(() => s.close())
  const values = await s.partition(context(0, 1))
  await s.put(context(0, 1), values, 'p1', { n: 1 })
  clock.now = t0 + 10 * day
  await s.put(context(0, 2), values, 'p2', { n: 2 })
  clock.now = t0 + 20 * day
  await s.put(context(0, 3), values, 'p1', { n: 11 })

  clock.now = t0 + 30 * day + 1_000
  assert.deepEqual([...(await s.partition(context(0, 4))).keys()].sort(), ['p1', 'p2'])
  clock.now = t0 + 40 * day + 1_000
  assert.deepEqual([...(await s.partition(context(0, 5))).keys()], ['p1'], 'p2 is 30 days old')
  clock.now = t0 + 50 * day + 1_000
  assert.equal((await s.partition(context(0, 6))).size, 0, 'p1 is 30 days past its rewrite')
})

test('a delete forgets the write time: the key is not expired later by an old time', async (t) => {
  const clock = { now: t0 }
  const s = horizonStore([], clock)
  t.after(() => s.close())
  const values = await s.partition(context(0, 1))
  await s.put(context(0, 1), values, 'k', { n: 1 })
  await s.put(context(0, 2), values, 'k', null)
  clock.now = t0 + 25 * day
  await s.put(context(0, 3), values, 'k', { n: 2 })
  clock.now = t0 + 31 * day
  assert.deepEqual((await s.partition(context(0, 4))).get('k'), { n: 2 })
})

test('without a horizon, nothing expires however old', async (t) => {
  const s = new PartitionStore<{ n: number }>({
    kafka: {} as Kafka,
    groupId: 'g',
    changelogTopic: 'g.s.changelog',
    codec: jsonCodec(),
    read: async (_topic, _partition, visit) => visit('ancient', Buffer.from('{"n":1}'), 0),
  })
  s.hooks.onAssign?.({ topic: 'payments', partition: 0 })
  t.after(() => s.close())
  assert.deepEqual((await s.partition(context(0, 1))).get('ancient'), { n: 1 })
})

test('a changelog with a horizon is compact,delete with a retention of at least the horizon; without one it is compact', () => {
  assert.deepEqual(changelogTopicSpec('g.s.changelog', 12).configs, {
    'cleanup.policy': 'compact',
    'segment.ms': String(3_600_000),
    'delete.retention.ms': String(3_600_000),
  })
  const spec = changelogTopicSpec('g.s.changelog', 12, { horizonMs: 30 * day })
  assert.equal(spec.family, 'changelog')
  assert.deepEqual(spec.configs, {
    'cleanup.policy': 'compact,delete',
    'retention.ms': String(33 * day),
    'segment.ms': String(day),
    'delete.retention.ms': String(3_600_000),
  })
  for (const horizon of [1_000, 60_000, 3_600_000, day, 30 * day, 365 * day]) {
    assert.ok(
      retentionMsFor(horizon) >= horizon + 3_600_000,
      `retention for ${horizon} covers it with margin`,
    )
    const segment = segmentMsFor(horizon)
    assert.ok(segment >= 600_000 && segment <= day, `segment.ms for ${horizon} is within 10 min .. 1 day`)
  }
})

test('restored values are decoded on first read, once, and behave as a Map', async (t) => {
  const decoded: string[] = []
  const s = new PartitionStore<{ n: number }>({
    kafka: {} as Kafka,
    groupId: 'g',
    changelogTopic: 'g.s.changelog',
    codec: {
      encode: (value) => Buffer.from(JSON.stringify(value)),
      decode: (bytes) => {
        decoded.push(bytes.toString('utf8'))
        return JSON.parse(bytes.toString('utf8')) as { n: number }
      },
    },
    read: async (_topic, _partition, visit) => {
      visit('a', Buffer.from('{"n":1}'), Date.now())
      visit('b', Buffer.from('{"n":2,"s":"é"}'), Date.now())
      visit('c', Buffer.from('{"n":3}'), Date.now())
      visit('c', Buffer.from('{"n":4}'), Date.now())
    },
  })
  s.hooks.onAssign?.({ topic: 'payments', partition: 0 })
  t.after(() => s.close())
  const values = await s.partition(context(0, 1))
  assert.equal(values.size, 3)
  assert.deepEqual(decoded, [], 'nothing decoded by the restore')
  assert.equal(values.has('b'), true)
  assert.deepEqual(values.get('c'), { n: 4 })
  assert.deepEqual(values.get('c'), { n: 4 })
  assert.deepEqual(decoded, ['{"n":4}'], 'decoded once, the latest value only')
  assert.equal(values.delete('a'), true)
  assert.equal(values.get('a'), undefined)
  values.set('d', { n: 5 })
  assert.deepEqual(
    [...values].sort(([x], [y]) => x.localeCompare(y)),
    [
      ['b', { n: 2, s: 'é' }],
      ['c', { n: 4 }],
      ['d', { n: 5 }],
    ],
    'non-ASCII bytes survive; iteration decodes the rest',
  )
  assert.equal(values.size, 3)
})
