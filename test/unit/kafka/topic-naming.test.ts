import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TopicNameError } from '@event-backbone/errors'
import {
  changelogTopicName,
  deadLetterTopicName,
  maxTopicNameLength,
  retryTopicName,
  validateTopicName,
} from '#libs/kafka'

test('retry and dead-letter topics are named from group and topic', () => {
  assert.equal(retryTopicName('billing', 'payments', 1), 'billing.payments.retry.1')
  assert.equal(retryTopicName('billing', 'payments', 3), 'billing.payments.retry.3')
  assert.equal(deadLetterTopicName('billing', 'payments'), 'billing.payments.dlt')
})

test('a group id with characters Kafka refuses is made legal with a hash that keeps ids apart', () => {
  const a = deadLetterTopicName('team a/billing', 'payments')
  const b = deadLetterTopicName('team_a_billing', 'payments')
  assert.match(a, /^team_a_billing-[0-9a-f]{8}\.payments\.dlt$/)
  assert.notEqual(a, b)
  validateTopicName(a)
})

test('an over-long name is shortened deterministically to 249 characters, keeping its suffix', () => {
  const group = 'g'.repeat(200)
  const topic = 't'.repeat(100)
  const name = retryTopicName(group, topic, 2)
  assert.equal(name.length, maxTopicNameLength)
  assert.ok(name.endsWith('.retry.2'))
  assert.equal(retryTopicName(group, topic, 2), name)
  assert.notEqual(retryTopicName(group, `${topic}x`, 2), name)
})

test('illegal topic names are refused with the reason', () => {
  for (const bad of ['', '.', '..', 'a b', 'ü', 'x'.repeat(250)]) {
    assert.throws(() => validateTopicName(bad), TopicNameError)
  }
  assert.equal(validateTopicName('a.B_c-1'), 'a.B_c-1')
})

test('a state store changelog is named after its group and store, and shortened like the other group topics', () => {
  assert.equal(
    changelogTopicName('payments-ledger', 'posted-payments'),
    'payments-ledger.posted-payments.changelog',
  )
  const long = changelogTopicName('g'.repeat(300), 'posted-payments')
  assert.equal(long.length, maxTopicNameLength)
  assert.ok(long.endsWith('.changelog'))
})
