import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ControlHeaderError } from '@event-backbone/errors'
import { failureHeaders, Header, headerLimits, readRetryControl } from '#libs/consumer'

const self = { partition: 2, offset: '10', timestamp: '1700000000000' }
const now = 1_800_000_000_000
const bounds = { now, topic: 'orders', maxDelayMs: 60_000 }

test('well-formed control headers are read back', () => {
  const control = readRetryControl(
    {
      [Header.originalTopic]: 'orders',
      [Header.originalPartition]: '1',
      [Header.originalOffset]: '42',
      [Header.attempts]: '3',
      [Header.retryDueAt]: String(now + 5_000),
    },
    self,
    bounds,
  )
  assert.equal(control.origin.partition, 1)
  assert.equal(control.origin.offset, '42')
  assert.equal(control.origin.timestamp, self.timestamp)
  assert.equal(control.attempts, 3)
  assert.equal(control.dueAt, now + 5_000)
})

test('hostile control headers raise ControlHeaderError instead of crashing or stalling', () => {
  const hostile: Array<[string, string | string[]]> = [
    [Header.retryDueAt, 'soon'],
    [Header.retryDueAt, '-5'],
    [Header.retryDueAt, String(now + 365 * 24 * 3_600_000)],
    [Header.retryDueAt, '9'.repeat(40)],
    [Header.attempts, '1e9'],
    [Header.attempts, '99999999'],
    [Header.originalPartition, '-1'],
    [Header.originalOffset, '12abc'],
    [Header.originalTopic, 'someone-elses-topic'],
    [Header.retryDueAt, [String(now), String(now)]],
  ]
  for (const [name, value] of hostile) {
    assert.throws(
      () => readRetryControl({ [name]: value }, self, bounds),
      ControlHeaderError,
      `${name}=${String(value).slice(0, 30)}`,
    )
  }
})

test('failure headers keep the original headers, replace earlier context and bound message and stack', () => {
  const error = new Error('x'.repeat(5_000))
  const headers = failureHeaders(
    { traceparent: 'abc', [Header.attempts]: '99' },
    {
      origin: { topic: 'orders', partition: 0, offset: '5', timestamp: '1' },
      groupId: 'g',
      stage: 'handle',
      error,
      attempts: 2,
      firstFailureAt: 100,
      lastFailureAt: 200,
      retry: { tier: 1, dueAt: 300 },
    },
  )
  assert.equal(headers['traceparent'], 'abc')
  assert.equal(headers[Header.attempts], '2')
  assert.equal(String(headers[Header.errorMessage]).length, headerLimits.messageChars)
  assert.ok(String(headers[Header.errorStack]).length <= headerLimits.stackChars)
  assert.equal(headers[Header.retryDueAt], '300')
  assert.equal(headers[Header.errorClass], 'Error')
})
