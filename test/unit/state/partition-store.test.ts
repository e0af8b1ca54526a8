import assert from 'node:assert/strict'
import diagnostics from 'node:diagnostics_channel'
import { test } from 'node:test'
import type { Kafka } from 'kafkajs'
import { channelNames, type HandlerContext } from '#libs/consumer'
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

function store(changelog: Map<number, Map<string, Buffer>>, reads: number[]) {
  return new PartitionStore<{ n: number }>({
    kafka: {} as Kafka,
    groupId: 'g',
    changelogTopic: 'g.s.changelog',
    codec: jsonCodec(),
    read: async (_topic, partition) => {
      reads.push(partition)
      return new Map(changelog.get(partition) ?? [])
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

test('a record at or below the last offset seen (a rewind after an abort) restores the partition again', async (t) => {
  const reads: number[] = []
  const s = store(new Map(), reads)
  t.after(() => s.close())
  const values = await s.partition(context(0, 5))
  await s.put(context(0, 5), values, 'uncommitted', { n: 1 })
  const again = await s.partition(context(0, 5))
  assert.equal(again.has('uncommitted'), false, 'the effects that never committed are gone')
  assert.deepEqual(reads, [0, 0])
})

test('after a group join every partition is restored again before its next record', async (t) => {
  const reads: number[] = []
  const s = store(new Map(), reads)
  t.after(() => s.close())
  await s.partition(context(0, 1))
  diagnostics.channel(channelNames.lifecycle).publish({ groupId: 'other-group', state: 'joined' })
  await s.partition(context(0, 2))
  assert.deepEqual(reads, [0], 'another group joining changes nothing')
  diagnostics.channel(channelNames.lifecycle).publish({ groupId: 'g', state: 'joined' })
  await s.partition(context(0, 3))
  assert.deepEqual(reads, [0, 0])
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
