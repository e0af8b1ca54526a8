import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Header } from '#libs/consumer'
import { ReplayHeader, replayHeaders, TokenBucket } from '#libs/dlq'

const dead = {
  topic: 'g.orders.dlt',
  partition: 2,
  offset: '41',
  timestamp: '1',
  key: null,
  value: null,
  headers: {
    traceparent: '00-a-b-01',
    [Header.originalTopic]: 'orders',
    [Header.group]: 'g',
    [Header.attempts]: '3',
    [Header.retryDueAt]: '99',
    [Header.retryTier]: '2',
    [Header.errorClass]: 'LedgerError',
    [ReplayHeader.count]: '2',
    [ReplayHeader.id]: 'earlier-job',
  },
}

test('a replay to the retry topic is due now with no attempts spent, and carries the replay headers', () => {
  const headers = replayHeaders(dead, {
    jobId: 'j1',
    by: 'alice',
    at: 5,
    target: 'retry',
    sourceTopic: 'orders',
  })
  assert.equal(headers[Header.attempts], undefined)
  assert.equal(headers[Header.retryDueAt], undefined)
  assert.equal(headers[Header.retryTier], undefined)
  assert.equal(headers[Header.originalTopic], 'orders')
  assert.equal(headers['traceparent'], '00-a-b-01')
  assert.equal(headers[ReplayHeader.id], 'j1')
  assert.equal(headers[ReplayHeader.by], 'alice')
  assert.equal(headers[ReplayHeader.count], '3')
  assert.equal(headers[ReplayHeader.dltTopic], 'g.orders.dlt')
  assert.equal(headers[ReplayHeader.dltPartition], '2')
  assert.equal(headers[ReplayHeader.dltOffset], '41')
})

test('a replay to the original topic drops every failure context header', () => {
  const headers = replayHeaders(dead, {
    jobId: 'j1',
    by: 'bob',
    at: 5,
    target: 'original',
    sourceTopic: 'orders',
  })
  assert.deepEqual(
    Object.keys(headers).filter((name) => name.startsWith('eb.') && !name.startsWith('eb.replay.')),
    [],
  )
  assert.equal(headers['traceparent'], '00-a-b-01')
})

test('coordinates that name another topic than the source are dropped, so the runtime does not refuse the record', () => {
  const headers = replayHeaders(
    { ...dead, headers: { ...dead.headers, [Header.originalTopic]: 'g.orders.retry.1' } },
    { jobId: 'j1', by: 'a', at: 5, target: 'retry', sourceTopic: 'orders' },
  )
  assert.equal(headers[Header.originalTopic], undefined)
})

test('the token bucket grants a burst of one second and then waits for the rate', async () => {
  const bucket = new TokenBucket(10)
  const waits: number[] = []
  const wait = async (ms: number) => {
    waits.push(ms)
    await new Promise((resolve) => setTimeout(resolve, ms))
  }
  await bucket.take(10, wait)
  assert.deepEqual(waits, [])
  await bucket.take(5, wait)
  assert.ok(waits.length > 0 && waits.reduce((a, b) => a + b, 0) >= 400)
})
