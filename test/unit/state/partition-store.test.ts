import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Kafka } from 'kafkajs'
import type { HandlerContext } from '#libs/consumer'
import { jsonCodec, PartitionStore } from '#libs/state'

interface Emitted {
  readonly topic: string
  readonly key: unknown
  readonly value: unknown
  readonly partition: number | undefined
}

function context(partition: number, offset: number, emitted: Emitted[] = []): HandlerContext {
  return {
    topic: 'payments',
    sourceTopic: 'payments',
    partition,
    offset: String(offset),
    timestamp: '0',
    key: null,
    headers: {},
    attempt: 1,
    emit: async (topic, key, value, options) => {
      emitted.push({ topic, key, value, partition: options?.partition })
    },
  }
}

/** A store as the runtime leaves it after a join: its hooks told it the partitions are assigned. */
function store(changelog: Map<number, Map<string, Buffer>>, reads: number[]) {
  const s = unattached(changelog, reads)
  for (let partition = 0; partition < 8; partition++) s.hooks.onAssign?.({ topic: 'payments', partition })
  return s
}

function unattached(changelog: Map<number, Map<string, Buffer>>, reads: number[]) {
  return new PartitionStore<{ n: number }>({
    kafka: {} as Kafka,
    groupId: 'g',
    changelogTopic: 'g.s.changelog',
    codec: jsonCodec(),
    read: async (_topic, partition, visit) => {
      reads.push(partition)
      for (const [key, value] of changelog.get(partition) ?? []) visit(key, value, Date.now())
    },
  })
}

test('restores a partition from its changelog before its first record, then keeps it in memory', async (t) => {
  const reads: number[] = []
  const s = store(new Map([[3, new Map([['k', Buffer.from('{"n":1}')]])]]), reads)
  t.after(() => s.close())
  assert.deepEqual([...(await s.partition(context(3, 10)))], [['k', { n: 1 }]])
  await s.partition(context(3, 11))
  await s.partition(context(3, 15))
  assert.deepEqual(reads, [3])
})

test('put changes the memory and writes the changelog to the record partition in its transaction', async (t) => {
  const s = store(new Map(), [])
  t.after(() => s.close())
  const emitted: Emitted[] = []
  const ctx = context(2, 1, emitted)
  const values = await s.partition(ctx)
  await s.put(ctx, values, 'a', { n: 5 })
  await s.put(ctx, values, 'b', null)
  assert.deepEqual(values.get('a'), { n: 5 })
  assert.deepEqual(emitted, [
    { topic: 'g.s.changelog', key: 'a', value: Buffer.from('{"n":5}'), partition: 2 },
    { topic: 'g.s.changelog', key: 'b', value: null, partition: 2 },
  ])
})

test('a rewind (an aborted transaction fetched again) forgets the partition, so it is restored', async (t) => {
  const reads: number[] = []
  const s = store(new Map(), reads)
  t.after(() => s.close())
  const values = await s.partition(context(0, 5))
  await s.put(context(0, 5), values, 'uncommitted', { n: 1 })
  await s.hooks.onRewind?.({ topic: 'payments', partition: 0 }, '5')
  const again = await s.partition(context(0, 5))
  assert.equal(again.has('uncommitted'), false, 'the effects that never committed are gone')
  assert.deepEqual(reads, [0, 0])
})

test('an assignment after a group join or a revocation forgets only that partition', async (t) => {
  const reads: number[] = []
  const s = store(new Map(), reads)
  t.after(() => s.close())
  await s.partition(context(0, 1))
  await s.partition(context(1, 1))
  await s.hooks.onAssign?.({ topic: 'payments', partition: 0 })
  await s.hooks.onRevoke?.({ topic: 'payments', partition: 1 })
  await s.partition(context(0, 2))
  await s.partition(context(1, 2))
  await s.partition(context(0, 3))
  assert.deepEqual(reads, [0, 1, 0, 1])
})

test('a store whose hooks are not declared on its subscription refuses to serve stale memory', async (t) => {
  const s = unattached(new Map(), [])
  t.after(() => s.close())
  await assert.rejects(
    s.partition(context(0, 1)),
    /not attached to its subscription: declare subscription\(\{ \.\.\., hooks: store\.hooks \}\)/,
  )
})

test("apply skips a redelivered record, writes a step's changes with the applied mark, and writes nothing for no changes", async (t) => {
  const changelog = new Map([[0, new Map([['\u0000applied', Buffer.from('9')]])]])
  const s = store(changelog, [])
  t.after(() => s.close())
  let steps = 0
  assert.equal(
    await s.apply(context(0, 9), () => {
      steps++
      return [['a', { n: 1 }]]
    }),
    'redelivered',
  )
  assert.equal(steps, 0)
  const emitted: Emitted[] = []
  assert.equal(
    await s.apply(context(0, 10, emitted), () => [
      ['a', { n: 2 }],
      ['b', null],
    ]),
    'applied',
  )
  assert.deepEqual(
    emitted.map((e) => e.key),
    ['a', 'b', '\u0000applied'],
  )
  assert.deepEqual((await s.partition(context(0, 11))).get('a'), { n: 2 })
  const none: Emitted[] = []
  assert.equal(await s.apply(context(0, 11, none), () => undefined), 'unchanged')
  assert.deepEqual(none, [])
  assert.equal(s.isApplied(context(0, 11)), false)
})

test('a record at or below the applied offset restored from the changelog is reported as applied', async (t) => {
  const changelog = new Map([[1, new Map([['\u0000applied', Buffer.from('41')]])]])
  const s = store(changelog, [])
  t.after(() => s.close())
  const values = await s.partition(context(1, 40))
  assert.equal(values.has('\u0000applied'), false, 'the marker is not a state key')
  assert.equal(s.isApplied(context(1, 40)), true)
  await s.partition(context(1, 42))
  assert.equal(s.isApplied(context(1, 42)), false)
})

test('markApplied writes the record offset to the changelog in its transaction', async (t) => {
  const s = store(new Map(), [])
  t.after(() => s.close())
  const emitted: Emitted[] = []
  const ctx = context(4, 7, emitted)
  await s.partition(ctx)
  await s.markApplied(ctx)
  assert.equal(s.isApplied(ctx), true)
  assert.deepEqual(emitted, [
    { topic: 'g.s.changelog', key: '\u0000applied', value: Buffer.from('7'), partition: 4 },
  ])
})
