import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PublisherConfigError } from '@event-backbone/errors'
import { createPublisher, PUBLISHER_DEFAULTS } from '#libs/publisher'
import { isRetriableKafkaError } from '../../../libs/publisher/src/kafka-errors.ts'
import { resolveLimits } from '../../../libs/publisher/src/options.ts'

const encoder = { encode: async () => ({ topic: 't', key: null, value: Buffer.alloc(0) }) }

test('defaults apply where the caller gives nothing', () => {
  const limits = resolveLimits({ encoder, brokers: ['b:9092'] })
  assert.equal(limits.lingerMs, PUBLISHER_DEFAULTS.lingerMs)
  assert.equal(limits.maxBlockMs, 60_000)
  assert.equal(
    resolveLimits({ encoder, brokers: ['b'], maxBlockMs: Number.POSITIVE_INFINITY }).maxBlockMs,
    Infinity,
  )
})

test('invalid options are refused with a message naming the option and why', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ lingerMs: -1 }, /lingerMs needs to be equal or bigger than 0/],
    [{ maxBatchRecords: 1.5 }, /maxBatchRecords needs to be an integer/],
    [{ lingerMs: 120_000 }, /lingerMs needs to be equal or smaller than 60000/],
    [{ maxBufferedBytes: 'lots' }, /maxBufferedBytes needs to be a number/],
    [
      { maxBatchRecords: 50, maxBufferedRecords: 10 },
      /maxBatchRecords needs to be equal or smaller than maxBufferedRecords/,
    ],
  ]
  for (const [options, message] of cases) {
    assert.throws(
      () => createPublisher({ encoder, brokers: ['b:9092'], ...options }),
      (error: Error) => {
        assert.ok(error instanceof PublisherConfigError)
        assert.match(error.message, message)
        return true
      },
    )
  }
  assert.throws(() => createPublisher({ encoder }), /kafka or brokers/)
  assert.throws(() => createPublisher({ brokers: ['b'] } as never), /encoder/)
})

test('a kafkajs error is retriable when kafkajs says so or when its own retries ran out', () => {
  assert.equal(isRetriableKafkaError({ name: 'KafkaJSConnectionError', retriable: true }), true)
  assert.equal(isRetriableKafkaError({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false }), true)
  assert.equal(isRetriableKafkaError({ name: 'KafkaJSProtocolError', retriable: false }), false)
  assert.equal(isRetriableKafkaError(new TypeError('bug')), false)
  assert.equal(isRetriableKafkaError(undefined), false)
})
