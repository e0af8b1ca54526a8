import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PolicyValidationError } from '@event-backbone/errors'
import { createConsumerGroup, resolvePolicy, validateGroupOptions } from '#libs/consumer'

const decode = { decode: (bytes: Buffer) => bytes }
const handler = async () => {}

function problemsOf(options: unknown): string[] {
  try {
    validateGroupOptions(options)
  } catch (error) {
    assert.ok(error instanceof PolicyValidationError)
    return (error.context['problems'] as string[]) ?? []
  }
  return []
}

test('a negative in-process retry count is rejected naming the field', () => {
  const problems = problemsOf({
    groupId: 'g',
    subscriptions: [{ topic: 'orders', decode, handler, policy: { retry: { attempts: -1 } } }],
  })
  assert.equal(problems.length, 1)
  assert.match(problems[0]!, /^subscriptions\[0\]\.policy\.retry\.attempts needs to be a whole number ≥ 0/)
})

test('a retry tier that is not a duration is rejected with its index', () => {
  const problems = problemsOf({
    groupId: 'g',
    defaults: { retryTopics: ['5s', 'soon'] },
    subscriptions: [{ topic: 'orders', decode, handler }],
  })
  assert.equal(problems.length, 1)
  assert.match(problems[0]!, /^defaults\.retryTopics\[1\] needs to be a duration/)
})

test('an unknown guarantee, a misspelt field and a zero concurrency are all reported at once', () => {
  const problems = problemsOf({
    groupId: 'g',
    subscriptions: [
      { topic: 'orders', decode, handler, policy: { guarantee: 'twice', concurrency: 0, deadletter: true } },
    ],
  })
  assert.equal(problems.length, 3)
  assert.ok(problems.some((p) => p.startsWith('subscriptions[0].policy.guarantee needs to be')))
  assert.ok(
    problems.some((p) => p.startsWith('subscriptions[0].policy.concurrency needs to be a whole number ≥ 1')),
  )
  assert.ok(problems.some((p) => p.startsWith('subscriptions[0].policy.deadletter is not a known field')))
})

test('an illegal topic, a missing decoder and a duplicate topic are rejected', () => {
  const problems = problemsOf({
    groupId: 'g',
    subscriptions: [
      { topic: 'or ders', decode, handler },
      { topic: 'a', handler },
      { topic: 'a', decode, handler },
    ],
  })
  assert.ok(problems.some((p) => p.startsWith('subscriptions[0].topic: topic name "or ders"')))
  assert.ok(problems.some((p) => p.startsWith('subscriptions[1].decode needs to be a decoder')))
  assert.ok(problems.some((p) => p.startsWith('subscriptions[2].topic "a" is subscribed twice')))
})

test('createConsumerGroup rejects an invalid policy before connecting to anything', () => {
  assert.throws(
    () =>
      createConsumerGroup({
        groupId: 'g',
        kafka: { brokers: ['127.0.0.1:1'] },
        subscriptions: [{ topic: 'orders', decode, handler, policy: { retry: { jitter: 2 } } }],
      }),
    (error: unknown) =>
      error instanceof PolicyValidationError &&
      /subscriptions\[0\]\.policy\.retry\.jitter needs to be a number ≥ 0 and ≤ 1/.test(error.message),
  )
})

test('subscription overrides win over group defaults, which win over the built-in defaults', () => {
  const policy = resolvePolicy(
    { retry: { attempts: 5, initialDelay: '1s' }, retryTopics: ['5s', '1m'], guarantee: 'exactly-once' },
    { retry: { attempts: 1 }, deadLetter: false },
  )
  assert.equal(policy.retry.attempts, 1)
  assert.equal(policy.retry.initialDelayMs, 1_000)
  assert.equal(policy.retry.multiplier, 2)
  assert.deepEqual(policy.retryTopicsMs, [5_000, 60_000])
  assert.equal(policy.guarantee, 'exactly-once')
  assert.equal(policy.deadLetter, false)
  assert.equal(policy.concurrency, 1)
})

test('an unknown ordering and a per-partition bound above the subscription bound are rejected', () => {
  const problems = problemsOf({
    groupId: 'g',
    subscriptions: [
      {
        topic: 'orders',
        decode,
        handler,
        policy: { ordering: 'random', maxInFlight: 10, maxInFlightPerPartition: 20 },
      },
    ],
  })
  assert.equal(problems.length, 2)
  assert.ok(
    problems.some((p) =>
      p.startsWith('subscriptions[0].policy.ordering needs to be "partition", "key" or "none"'),
    ),
  )
  assert.ok(
    problems.some((p) =>
      p.startsWith('subscriptions[0].policy.maxInFlightPerPartition (20) cannot be larger'),
    ),
  )
})

test('ordering defaults to partition with 256 records in flight, and the per-partition bound follows maxInFlight', () => {
  const plain = resolvePolicy()
  assert.equal(plain.ordering, 'partition')
  assert.equal(plain.maxInFlight, 256)
  assert.equal(plain.maxInFlightPerPartition, 256)
  const keyed = resolvePolicy({ ordering: 'key', maxInFlight: 64 }, { maxInFlight: 32 })
  assert.equal(keyed.ordering, 'key')
  assert.equal(keyed.maxInFlight, 32)
  assert.equal(keyed.maxInFlightPerPartition, 32)
})

test('a bad handlerTimeout, maxRecordAge, filter or hook is reported with its field', () => {
  const problems = problemsOf({
    groupId: 'g',
    subscriptions: [
      {
        topic: 'orders',
        decode,
        handler,
        filter: 'even',
        hooks: { onAssign: () => {}, onRevoked: () => {}, onRewind: 1 },
        policy: { handlerTimeout: '1 minute', maxRecordAge: -5 },
      },
    ],
  })
  assert.equal(problems.length, 5, problems.join('\n'))
  assert.ok(
    problems.some((p) => p.startsWith('subscriptions[0].policy.handlerTimeout needs to be a duration')),
  )
  assert.ok(problems.some((p) => p.startsWith('subscriptions[0].policy.maxRecordAge needs to be a duration')))
  assert.ok(problems.some((p) => p.startsWith('subscriptions[0].filter needs to be a function')))
  assert.ok(problems.some((p) => p.startsWith('subscriptions[0].hooks.onRevoked is not a known hook')))
  assert.ok(problems.some((p) => p.startsWith('subscriptions[0].hooks.onRewind needs to be a function')))
})
