// Proves that a publish that cannot be stored rejects with a typed error, is never reported as published, and takes no other publish down unless it shared the failed batch.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type BackboneError,
  EventEncodeError,
  InvalidTraceparentError,
  PublisherClosedError,
  PublishFailedError,
  PublishRejectedError,
  RecordTooLargeError,
  TopicNotFoundError,
} from '@event-backbone/errors'
import { TRACEPARENT_HEADER } from '#libs/publisher'
import { testAdmin, testKafka, uniqueName } from '../../helpers/kafka.ts'
import { at, createTopics, jsonEncoder, readBack, testPublisher } from './helpers.ts'

async function storedCount(t: Parameters<typeof testAdmin>[0], topic: string): Promise<number> {
  const admin = await testAdmin(t)
  const offsets = await admin.fetchTopicOffsets(topic)
  return offsets.reduce((sum, { high }) => sum + Number(high), 0)
}

test('a publish to a topic that does not exist rejects with TopicNotFoundError naming the topic, and others still publish', async (t) => {
  const topic = uniqueName('pub-exists')
  const missing = uniqueName('pub-missing')
  await createTopics(t, [{ topic }])
  const publisher = testPublisher(t, { encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: missing }) })

  const [placed, shipped] = await Promise.allSettled([
    publisher.publish('OrderPlaced', { orderId: 'o1', customer: 'c1' }),
    publisher.publish('OrderShipped', { orderId: 'o1' }),
  ])

  assert.equal(placed.status, 'fulfilled')
  assert.equal(shipped.status, 'rejected')
  const error = (shipped as PromiseRejectedResult).reason as BackboneError
  assert.ok(error instanceof TopicNotFoundError)
  assert.equal(error.code, 'EB_PUBLISH_TOPIC_NOT_FOUND')
  assert.equal(error.context.topic, missing)
  assert.match(error.message, new RegExp(missing))
  // The producer never saw the missing topic, so later publishes are not stalled by it.
  assert.equal((await publisher.publish('OrderPlaced', { orderId: 'o2', customer: 'c1' })).offset, '1')
})

test('an encoder error rejects only that publish and nothing of it is sent', async (t) => {
  const topic = uniqueName('pub-encode')
  await createTopics(t, [{ topic }])
  const encoder = jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }, (_type, event) => {
    if ((event as { orderId: string }).orderId === 'bad') throw new TypeError('customer is not a string')
  })
  const publisher = testPublisher(t, { encoder })

  const outcomes = await publisher.publishMany([
    { eventType: 'OrderPlaced', event: { orderId: 'a', customer: 'c1' } },
    { eventType: 'OrderPlaced', event: { orderId: 'bad', customer: 'c1' } },
    { eventType: 'OrderPlaced', event: { orderId: 'c', customer: 'c1' } },
  ])

  assert.deepEqual(
    outcomes.map((o) => o.ok),
    [true, false, true],
  )
  const failed = outcomes[1] as { ok: false; error: BackboneError }
  assert.ok(failed.error instanceof EventEncodeError)
  assert.ok(failed.error.cause instanceof TypeError)
  assert.equal(await storedCount(t, topic), 2)
  const stored = await readBack(t, topic, 2)
  assert.deepEqual(
    stored.map((r) => JSON.parse(r.value.toString()).orderId),
    ['a', 'c'],
  )
})

test('a batch the broker refuses rejects every publish in it with a non-retriable PublishRejectedError', async (t) => {
  const topic = uniqueName('pub-refused')
  await createTopics(t, [{ topic, configEntries: [{ name: 'max.message.bytes', value: '1024' }] }])
  const publisher = testPublisher(t, { encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }) })
  await publisher.connect()

  const batch = [
    publisher.publish('OrderPlaced', { orderId: 'small-1', customer: 'c1' }),
    publisher.publish('OrderPlaced', { orderId: 'large', customer: 'c2', note: 'x'.repeat(2000) }),
    publisher.publish('OrderPlaced', { orderId: 'small-2', customer: 'c3' }),
  ]
  const outcomes = await Promise.allSettled(batch)

  assert.equal(publisher.stats().batchesSent, 1, 'the three shared one batch')
  for (const outcome of outcomes) {
    assert.equal(outcome.status, 'rejected')
    const error = (outcome as PromiseRejectedResult).reason as BackboneError
    assert.ok(error instanceof PublishRejectedError)
    assert.equal(error.retriable, false)
    assert.equal(error.context.topic, topic)
    assert.match(error.message, /larger than the max message size/)
  }
  assert.equal(await storedCount(t, topic), 0)

  const after = await publisher.publish('OrderPlaced', { orderId: 'small-3', customer: 'c1' })
  assert.equal(after.offset, '0', 'publishing goes on after a refused batch')
  assert.equal(publisher.stats().producerReplacements, 1, 'a fresh producer id after the failure')
})

test('after close() a publish rejects with PublisherClosedError, and close() first publishes what was accepted', async (t) => {
  const topic = uniqueName('pub-close')
  await createTopics(t, [{ topic }])
  const publisher = testPublisher(t, {
    encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }),
    lingerMs: 60_000,
  })

  const accepted = publisher.publish('OrderPlaced', { orderId: 'o1', customer: 'c1' })
  const closed = publisher.close()
  await assert.rejects(
    publisher.publish('OrderPlaced', { orderId: 'o2', customer: 'c1' }),
    PublisherClosedError,
  )
  assert.equal((await accepted).offset, '0', 'close() sends without waiting for the linger')
  await closed
  await assert.rejects(
    publisher.publish('OrderPlaced', { orderId: 'o3', customer: 'c1' }),
    (error: BackboneError) => {
      assert.equal(error.code, 'EB_PUBLISHER_CLOSED')
      return true
    },
  )
  assert.equal(await storedCount(t, topic), 1)
})

test('the traceparent comes from the option, else the active context, and an invalid one rejects the publish', async (t) => {
  const topic = uniqueName('pub-trace')
  await createTopics(t, [{ topic }])
  const active = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
  const publisher = testPublisher(t, {
    encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }),
    activeTraceparent: () => active,
  })

  await assert.rejects(
    publisher.publish('OrderPlaced', { orderId: 'o0', customer: 'c1' }, { traceparent: '00-xyz' }),
    InvalidTraceparentError,
  )
  const fromActive = await publisher.publish('OrderPlaced', { orderId: 'o1', customer: 'c1' })
  const explicit = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'
  const fromOption = await publisher.publish(
    'OrderPlaced',
    { orderId: 'o2', customer: 'c1' },
    { traceparent: explicit },
  )

  const stored = await readBack(t, topic, 2)
  assert.equal(at(stored, fromActive.partition, fromActive.offset).headers[TRACEPARENT_HEADER], active)
  assert.equal(at(stored, fromOption.partition, fromOption.offset).headers[TRACEPARENT_HEADER], explicit)
})

test('an event larger than one batch may hold rejects with RecordTooLargeError before anything is sent', async (t) => {
  const topic = uniqueName('pub-too-large')
  await createTopics(t, [{ topic }])
  const publisher = testPublisher(t, {
    encoder: jsonEncoder({ OrderPlaced: topic, OrderShipped: topic }),
    maxBatchBytes: 1000,
  })

  await assert.rejects(
    publisher.publish('OrderPlaced', { orderId: 'o1', customer: 'c1', note: 'x'.repeat(2000) }),
    RecordTooLargeError,
  )
  assert.equal(publisher.stats().batchesSent, 0)
})

test('a publish while the cluster is unreachable rejects with a retriable PublishFailedError', async (t) => {
  // A port nothing listens on; kafkajs gives up after one quick retry.
  const kafka = testKafka({
    brokers: ['127.0.0.1:1'],
    retry: { retries: 1, initialRetryTime: 20, maxRetryTime: 50 },
  })
  const publisher = testPublisher(t, {
    kafka,
    encoder: jsonEncoder({ OrderPlaced: 'orders', OrderShipped: 'orders' }),
  })

  await assert.rejects(
    publisher.publish('OrderPlaced', { orderId: 'o1', customer: 'c1' }),
    (error: BackboneError) => {
      assert.ok(error instanceof PublishFailedError)
      assert.equal(error.retriable, true)
      assert.equal(error.context.topic, 'orders')
      return true
    },
  )
  assert.equal(publisher.stats().recordsAcknowledged, 0)
})
