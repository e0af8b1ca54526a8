// Proves that a publish resolves only with the partition and offset where the broker stored it, with its headers, in publish order per key, coalesced into few produce requests and within the buffer bound.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { type BackboneError, BufferFullError } from '@event-backbone/errors'
import { EVENT_TYPE_HEADER, type PublishResult, parseTraceparent, TRACEPARENT_HEADER } from '#libs/publisher'
import { uniqueName } from '../../helpers/kafka.ts'
import { at, createTopics, jsonEncoder, readBack, testPublisher } from './helpers.ts'

test('a publish resolves with the partition and offset where the record is stored, with its key, value and headers', async (t) => {
  const orders = uniqueName('pub-orders')
  const shipments = uniqueName('pub-shipments')
  await createTopics(t, [
    { topic: orders, numPartitions: 3 },
    { topic: shipments, numPartitions: 1 },
  ])
  const publisher = testPublisher(t, {
    encoder: jsonEncoder({ OrderPlaced: orders, OrderShipped: shipments }),
  })
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

  const placed = Array.from({ length: 30 }, (_, i) => ({ orderId: `o${i}`, customer: `c${i % 5}` }))
  const [traced, ...rest] = await Promise.all([
    publisher.publish(
      'OrderPlaced',
      { orderId: 'traced', customer: 'c9' },
      { traceparent, headers: { tenant: 'acme' } },
    ),
    ...placed.map((order) => publisher.publish('OrderPlaced', order)),
    publisher.publish('OrderShipped', { orderId: 'o1' }),
  ])
  const shipped = rest.pop()!

  const stored = await readBack(t, orders, 31)
  assert.equal(traced!.topic, orders)
  const tracedRecord = at(stored, traced!.partition, traced!.offset)
  assert.equal(tracedRecord.key, 'c9')
  assert.deepEqual(JSON.parse(tracedRecord.value.toString()), { orderId: 'traced', customer: 'c9' })
  assert.equal(tracedRecord.headers[TRACEPARENT_HEADER], traceparent)
  assert.equal(tracedRecord.headers[EVENT_TYPE_HEADER], 'OrderPlaced')
  assert.equal(tracedRecord.headers['tenant'], 'acme')

  rest.forEach((result, i) => {
    const record = at(stored, result.partition, result.offset)
    assert.equal(record.key, placed[i]!.customer)
    assert.deepEqual(JSON.parse(record.value.toString()), placed[i])
    assert.ok(parseTraceparent(record.headers[TRACEPARENT_HEADER]!), 'a fresh valid traceparent')
    assert.equal(record.headers[EVENT_TYPE_HEADER], 'OrderPlaced')
  })
  const traceIds = new Set(rest.map((r) => at(stored, r.partition, r.offset).headers[TRACEPARENT_HEADER]))
  assert.equal(traceIds.size, rest.length, 'each event without a context starts its own trace')

  assert.equal(shipped.topic, shipments)
  const [shipment] = await readBack(t, shipments, 1)
  assert.equal(shipment!.offset, shipped.offset)
  assert.equal(shipment!.headers[EVENT_TYPE_HEADER], 'OrderShipped')
})

test('concurrent publishes are coalesced into fewer produce requests than events', async (t) => {
  const topic = uniqueName('pub-coalesce')
  await createTopics(t, [{ topic, numPartitions: 2 }])
  const publisher = testPublisher(t, { encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }) })
  await publisher.connect()

  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      publisher.publish('OrderPlaced', { orderId: `o${i}`, customer: `c${i % 7}` }),
    ),
  )

  const stats = publisher.stats()
  assert.equal(results.length, 200)
  assert.equal(stats.recordsAcknowledged, 200)
  assert.ok(stats.batchesSent < 200, `${stats.batchesSent} sendBatch calls for 200 events`)
  assert.ok(stats.produceRequests < 200, `${stats.produceRequests} Produce requests for 200 events`)
  assert.ok(stats.produceRequests >= stats.batchesSent, 'kafkajs instrumentation saw every batch')
  assert.ok(stats.largestBatchRecords > 1)
})

test('events with the same key get increasing offsets in publish order even when encoding finishes out of order', async (t) => {
  const topic = uniqueName('pub-order')
  await createTopics(t, [{ topic, numPartitions: 3 }])
  // Every third encoding yields a few turns of the event loop, so later events finish encoding first.
  const encoder = jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }, async (_type, event) => {
    const n = Number((event as { orderId: string }).orderId.slice(1))
    for (let i = 0; i < n % 3; i++) await nextTurn()
  })
  const publisher = testPublisher(t, { encoder, maxBatchRecords: 17, lingerMs: 0 })

  const events = Array.from({ length: 300 }, (_, i) => ({ orderId: `o${i}`, customer: `c${i % 4}` }))
  const results = await Promise.all(events.map((event) => publisher.publish('OrderPlaced', event)))

  for (const customer of ['c0', 'c1', 'c2', 'c3']) {
    const offsets = results.filter((_, i) => events[i]!.customer === customer)
    assert.equal(new Set(offsets.map((r) => r.partition)).size, 1, 'one key, one partition')
    for (let i = 1; i < offsets.length; i++) {
      assert.ok(BigInt(offsets[i]!.offset) > BigInt(offsets[i - 1]!.offset), `${customer} offsets increase`)
    }
  }
  const stored = await readBack(t, topic, 300)
  for (const customer of ['c0', 'c1', 'c2', 'c3']) {
    const readOrder = stored
      .filter((r) => r.key === customer)
      .map((r) => JSON.parse(r.value.toString()).orderId)
    const publishOrder = events.filter((e) => e.customer === customer).map((e) => e.orderId)
    assert.deepEqual(readOrder, publishOrder)
  }
})

test('with a tiny buffer every concurrent publish still succeeds and buffered memory never exceeds the bound', async (t) => {
  const topic = uniqueName('pub-backpressure')
  await createTopics(t, [{ topic, numPartitions: 2 }])
  const publisher = testPublisher(t, {
    encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }),
    maxBufferedRecords: 10,
    maxBufferedBytes: 2048,
    maxBatchRecords: 5,
    maxBlockMs: Number.POSITIVE_INFINITY,
  })

  const pending = Array.from({ length: 500 }, (_, i) =>
    publisher.publish('OrderPlaced', { orderId: `o${i}`, customer: `c${i % 9}`, note: 'x'.repeat(i % 50) }),
  )
  const results: PublishResult[] = await Promise.all(pending)

  const stats = publisher.stats()
  assert.equal(results.length, 500)
  assert.equal(new Set(results.map((r) => `${r.partition}/${r.offset}`)).size, 500, 'each stored once')
  assert.ok(stats.maxBufferedRecordsSeen <= 10, `records high-water ${stats.maxBufferedRecordsSeen}`)
  assert.ok(stats.maxBufferedBytesSeen <= 2048, `bytes high-water ${stats.maxBufferedBytesSeen}`)
  assert.ok(
    stats.maxBufferedRecordsSeen === 10 || stats.maxBufferedBytesSeen > 2048 - 300,
    'the buffer filled up, so publishes waited',
  )
  assert.equal(stats.bufferedRecords, 0)
  assert.equal(stats.bufferedBytes, 0)
  assert.ok(stats.largestBatchRecords <= 5)
})

test('a publish that finds no room within maxBlockMs rejects with BufferFullError while the buffered one is still published', async (t) => {
  const topic = uniqueName('pub-block')
  await createTopics(t, [{ topic }])
  const publisher = testPublisher(t, {
    encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }),
    maxBufferedRecords: 1,
    maxBatchRecords: 1,
    // The first record lingers in the buffer far longer than the second may wait for room.
    lingerMs: 2_000,
    maxBlockMs: 0,
  })
  await publisher.connect()

  const first = publisher.publish('OrderPlaced', { orderId: 'o1', customer: 'c1' })
  const second = publisher.publish('OrderPlaced', { orderId: 'o2', customer: 'c1' })

  await assert.rejects(second, (error: BackboneError) => {
    assert.ok(error instanceof BufferFullError)
    assert.equal(error.code, 'EB_PUBLISH_BUFFER_FULL')
    assert.equal(error.retriable, true)
    return true
  })
  assert.equal((await first).offset, '0')
})

test('flush sends what was accepted without waiting out the linger and resolves once it is stored', async (t) => {
  const topic = uniqueName('pub-flush')
  await createTopics(t, [{ topic }])
  const publisher = testPublisher(t, {
    encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }),
    lingerMs: 60_000,
  })
  const settled: string[] = []
  const pending = ['o1', 'o2', 'o3'].map((orderId) =>
    publisher.publish('OrderPlaced', { orderId, customer: 'c1' }).then((result) => {
      settled.push(result.offset)
      return result
    }),
  )

  await publisher.flush()

  assert.deepEqual(settled, ['0', '1', '2'], 'all three were acknowledged before flush resolved')
  assert.equal(publisher.stats().batchesSent, 1)
  await Promise.all(pending)
})
