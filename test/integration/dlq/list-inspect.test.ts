// Proves that dead-letter topics are listed with their group, source, depth, ages and error classes (and still listed, with the reason, when their records cannot be read), that selections pick exactly the matching records, and that a dry-run writes nothing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeDeadLetterTopic, dryRun, inspect, listDeadLetterTopics, planReplay } from '#libs/dlq'
import { deadLetters, order, orderSerde, testReplayTopics } from '../../helpers/dlq.ts'
import { testAdmin, testKafka } from '../../helpers/kafka.ts'

test('a dead-letter topic is listed with its group, source topic, depth, oldest and newest age and error classes', async (t) => {
  const kafka = testKafka()
  const now = Date.now()
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('x'), errorClass: 'TypeError', message: 'boom', timestamp: now - 60_000 },
    {
      key: 'b',
      value: Buffer.from('y'),
      errorClass: 'AvroDecodeError',
      message: 'bad',
      timestamp: now - 30_000,
    },
    { key: 'c', value: Buffer.from('z'), errorClass: 'TypeError', message: 'boom', timestamp: now - 10_000 },
  ])
  const [listed] = await listDeadLetterTopics(kafka, { filter: fixture.dlt })
  assert.ok(listed)
  assert.equal(listed.topic, fixture.dlt)
  assert.equal(listed.group, fixture.group)
  assert.equal(listed.sourceTopic, fixture.source)
  assert.equal(listed.depth, 3)
  assert.equal(listed.oldestAt, now - 60_000)
  assert.equal(listed.newestAt, now - 10_000)
  assert.ok(listed.oldestAgeMs! >= 60_000 && listed.oldestAgeMs! < 120_000)
  assert.ok(listed.newestAgeMs! >= 10_000 && listed.newestAgeMs! < 70_000)
  assert.deepEqual(listed.errorClasses, { TypeError: 2, AvroDecodeError: 1 })
})

test('a dead-letter topic whose records cannot be read is still listed, with its depth and why', async (t) => {
  const kafka = testKafka()
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('x'), errorClass: 'TypeError', message: 'boom', timestamp: Date.now() },
  ])
  // The real broker answers the listing and the bounds; only the scan's consumer is refused, as a
  // reader group without an ACL or a join that times out on a loaded cluster would be.
  const refusing = new Proxy(kafka, {
    get(target, property, receiver) {
      if (property !== 'consumer') return Reflect.get(target, property, receiver)
      return (...args: Parameters<typeof kafka.consumer>) => {
        const consumer = target.consumer(...args)
        return Object.assign(consumer, {
          connect: () => Promise.reject(new Error('Not authorized to access group: refused for this test')),
        })
      }
    },
  })
  const [listed] = await listDeadLetterTopics(refusing, { filter: fixture.dlt })
  assert.ok(listed, 'the topic is listed although its records could not be read')
  assert.equal(listed.topic, fixture.dlt)
  assert.equal(listed.depth, 1)
  assert.equal(listed.scanned, 0)
  assert.match(listed.scanError ?? '', /Not authorized to access group/)
  // Its owner still comes from its name.
  assert.equal(listed.group, fixture.group)
  assert.equal(listed.sourceTopic, fixture.source)
})

test('filters by offsets, time, error class, message, key, header and decoded fields select exactly the matching records', async (t) => {
  const kafka = testKafka()
  const { serde, schemaId } = await orderSerde(t)
  const now = Date.now()
  const fixture = await deadLetters(
    t,
    kafka,
    [
      {
        key: 'k0',
        value: order('e0', 5, schemaId),
        errorClass: 'TypeError',
        message: 'x is undefined',
        timestamp: now - 50_000,
      },
      {
        key: 'k1',
        value: order('e1', 500, schemaId),
        errorClass: 'LedgerError',
        message: 'Account closed',
        timestamp: now - 40_000,
      },
      {
        key: 'k2',
        value: order('e2', 900, schemaId),
        errorClass: 'LedgerError',
        message: 'limit',
        timestamp: now - 30_000,
        partition: 1,
      },
      {
        key: 'k3',
        value: Buffer.from([0xff, 0, 1, 2]),
        errorClass: 'BadMagicByteError',
        message: 'magic',
        timestamp: now - 20_000,
        partition: 1,
        headers: { tenant: 'acme' },
      },
      {
        key: 'k4',
        value: order('e4', 50, schemaId),
        errorClass: 'LedgerError',
        message: 'account CLOSED',
        timestamp: now - 10_000,
        headers: { tenant: 'acme' },
      },
    ],
    { partitions: 2 },
  )
  const keys = async (selection: object) =>
    (await inspect({ kafka, serde, topic: fixture.dlt, selection, limit: 100 })).records
      .map((r) => r.key.text)
      .sort()
  assert.deepEqual(await keys({}), ['k0', 'k1', 'k2', 'k3', 'k4'])
  assert.deepEqual(await keys({ partitions: [1] }), ['k2', 'k3'])
  assert.deepEqual(await keys({ offsets: [{ partition: 0, from: '1', to: '2' }] }), ['k1', 'k4'])
  assert.deepEqual(await keys({ since: now - 45_000, until: now - 15_000 }), ['k1', 'k2', 'k3'])
  assert.deepEqual(await keys({ errorClass: ['LedgerError'] }), ['k1', 'k2', 'k4'])
  assert.deepEqual(await keys({ errorMessage: 'account closed' }), ['k1', 'k4'])
  assert.deepEqual(await keys({ key: 'k3' }), ['k3'])
  assert.deepEqual(await keys({ headers: { tenant: 'acme' } }), ['k3', 'k4'])
  assert.deepEqual(await keys({ where: [{ path: 'amount', op: 'gt', value: 100 }] }), ['k1', 'k2'])
  assert.deepEqual(
    await keys({ errorClass: ['LedgerError'], where: [{ path: 'eventId', op: 'eq', value: 'e4' }] }),
    ['k4'],
  )
})

test('inspect shows decoded Avro, raw bytes safely, the dead-letter headers, and pages by partition and offset', async (t) => {
  const kafka = testKafka()
  const { serde, schemaId } = await orderSerde(t)
  const fixture = await deadLetters(t, kafka, [
    { key: 'k0', value: order('e0', 5, schemaId), errorClass: 'LedgerError', message: 'no' },
    { key: 'k1', value: Buffer.from([0xff, 0x00, 0xfe]), errorClass: 'BadMagicByteError', message: 'magic' },
    { key: 'k2', value: order('e2', 7, schemaId), errorClass: 'LedgerError', message: 'no' },
  ])
  const first = await inspect({ kafka, serde, topic: fixture.dlt, limit: 2 })
  assert.equal(first.records.length, 2)
  const [avro, bytes] = first.records
  assert.equal(avro!.value.kind, 'avro')
  assert.equal(avro!.value.schemaId, schemaId)
  assert.deepEqual(avro!.value.value, { eventId: 'e0', amount: 5, note: '' })
  assert.equal(avro!.headers['eb.error.class'], 'LedgerError')
  assert.equal(avro!.headers['eb.group'], fixture.group)
  assert.equal(bytes!.value.kind, 'bytes')
  assert.equal(bytes!.value.base64, Buffer.from([0xff, 0x00, 0xfe]).toString('base64'))
  assert.deepEqual(first.next, [{ partition: 0, offset: '2' }])
  const second = await inspect({ kafka, serde, topic: fixture.dlt, limit: 2, after: first.next! })
  assert.deepEqual(
    second.records.map((r) => r.offset),
    ['2'],
  )
  assert.equal(second.next, undefined)
})

test('a dry-run counts and samples what would go where and writes nothing', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('1'), errorClass: 'TypeError', message: 'm' },
    { key: 'b', value: Buffer.from('2'), errorClass: 'LedgerError', message: 'm' },
    { key: 'c', value: Buffer.from('3'), errorClass: 'TypeError', message: 'm' },
  ])
  const spec = await planReplay(kafka, {
    topic: fixture.dlt,
    selection: { errorClass: ['TypeError'] },
    by: 'alice',
  })
  assert.equal(spec.targetTopic, fixture.retry)
  const report = await dryRun({ kafka, spec, topics })
  assert.equal(report.scanned, 3)
  assert.equal(report.wouldReplay, 2)
  assert.deepEqual(report.byErrorClass, { TypeError: 2 })
  assert.deepEqual(
    report.sample.map((s) => [s.record.key.text, s.to]),
    [
      ['a', fixture.retry],
      ['c', fixture.retry],
    ],
  )
  const admin = await testAdmin(t, kafka)
  const offsets = await admin.fetchTopicOffsets(fixture.retry)
  assert.deepEqual(
    offsets.map((o) => o.high),
    ['0'],
  )
  assert.equal((await admin.listTopics()).includes(topics.jobs), false)
  const again = await describeDeadLetterTopic(kafka, fixture.dlt)
  assert.equal(again.depth, 3)
})
