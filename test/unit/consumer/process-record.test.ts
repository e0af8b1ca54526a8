import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KafkaMessage } from 'kafkajs'
import { Header, nonRetriable, onChannel, type PolicyInput, type RecordContext } from '#libs/consumer'
import { Outbox } from '../../../libs/consumer/src/runtime/outbox.ts'
import { processRecord } from '../../../libs/consumer/src/runtime/process-record.ts'
import { compileSubscriptions } from '../../../libs/consumer/src/runtime/routes.ts'

/** The retry / dead-letter decision without a broker: one record through processRecord, what it wrote. */
async function run(options: {
  handler: (value: string, ctx: { attempt: number }) => void | Promise<void>
  policy?: PolicyInput
  filter?: (value: string, record: RecordContext) => boolean
  timestamp?: number
  tier?: number
  headers?: KafkaMessage['headers']
}) {
  const { routes, subscriptions } = compileSubscriptions('g', { retry: { initialDelay: 0, maxDelay: 0 } }, [
    {
      topic: 'orders',
      decode: { decode: (bytes: Buffer) => bytes.toString() },
      handler: options.handler as unknown as (value: never) => void,
      ...(options.filter
        ? { filter: options.filter as (value: never, record: RecordContext) => boolean }
        : {}),
      ...(options.policy ? { policy: options.policy } : {}),
    },
  ])
  const sub = subscriptions[0]!
  const sourceTopic = options.tier ? sub.retryTopics[options.tier - 1]! : 'orders'
  const message = {
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    offset: '7',
    timestamp: String(options.timestamp ?? Date.now()),
    headers: options.headers ?? {},
    attributes: 0,
  } as KafkaMessage
  const outbox = new Outbox()
  const env = { groupId: 'g', heartbeat: async () => {}, signal: new AbortController().signal }
  const outcome = await processRecord(
    env,
    { route: routes.get(sourceTopic)!, sourceTopic, partition: 0, message },
    outbox,
  )
  const written = outbox
    .drain()
    .flatMap(({ topic, messages }) => messages.map((m) => ({ topic, headers: m.headers ?? {} })))
  return { outcome, written, sub }
}

const h = (headers: Record<string, unknown>, name: string) => String(headers[name])

test('a transient failure is retried in process, then written to the first retry tier with its attempts', async () => {
  const attempts: number[] = []
  const { written } = await run({
    policy: { retry: { attempts: 2 }, retryTopics: ['5s'] },
    handler: (_value, ctx) => {
      attempts.push(ctx.attempt)
      throw new Error('database timeout')
    },
  })
  assert.deepEqual(attempts, [1, 2, 3])
  assert.equal(written.length, 1)
  assert.equal(written[0]!.topic, 'g.orders.retry.1')
  assert.equal(h(written[0]!.headers, Header.attempts), '3')
  assert.equal(h(written[0]!.headers, Header.retryTier), '1')
  assert.equal(h(written[0]!.headers, Header.stage), 'handle')
})

test('a non-retriable failure is dead-lettered at once, without in-process retries or tiers', async () => {
  let calls = 0
  const { written } = await run({
    policy: { retry: { attempts: 5 }, retryTopics: ['5s'] },
    handler: () => {
      calls++
      throw nonRetriable(new Error('negative amount'))
    },
  })
  assert.equal(calls, 1)
  assert.deepEqual(
    written.map((w) => w.topic),
    ['g.orders.dlt'],
  )
  assert.equal(h(written[0]!.headers, Header.errorClass), 'NonRetriableError')
})

test('a programming error skips in-process retries and goes to the next tier', async () => {
  let calls = 0
  const { written } = await run({
    policy: { retry: { attempts: 5 }, retryTopics: ['5s'] },
    handler: () => {
      calls++
      throw new TypeError('x is undefined')
    },
  })
  assert.equal(calls, 1)
  assert.deepEqual(
    written.map((w) => w.topic),
    ['g.orders.retry.1'],
  )
})

test('a failure in the last retry tier is dead-lettered; with deadLetter false it is skipped instead', async () => {
  const failing = () => {
    throw new Error('still down')
  }
  const headers = { [Header.attempts]: '3', [Header.retryDueAt]: String(Date.now() - 1) }
  const last = await run({
    policy: { retry: { attempts: 0 }, retryTopics: ['5s'] },
    tier: 1,
    headers,
    handler: failing,
  })
  assert.deepEqual(
    last.written.map((w) => w.topic),
    ['g.orders.dlt'],
  )
  assert.equal(h(last.written[0]!.headers, Header.attempts), '4')
  const skipped: string[] = []
  const stop = onChannel('skipped', (event) => skipped.push(event.offset))
  try {
    const dropped = await run({ policy: { retry: { attempts: 0 }, deadLetter: false }, handler: failing })
    assert.deepEqual(dropped.written, [])
    assert.deepEqual(skipped, ['7'])
  } finally {
    stop()
  }
})

test('a retry record not due yet makes the partition wait, without calling the handler', async () => {
  const dueAt = Date.now() + 60_000
  let calls = 0
  const { outcome, written } = await run({
    policy: { retryTopics: ['5m'] },
    tier: 1,
    headers: { [Header.retryDueAt]: String(dueAt) },
    handler: () => void calls++,
  })
  assert.deepEqual(outcome, { kind: 'wait', dueAt })
  assert.equal(calls, 0)
  assert.deepEqual(written, [])
})

test('a record older than maxRecordAge is dead-lettered with RecordTooOldError and never handled', async () => {
  let calls = 0
  const expired: number[] = []
  const stop = onChannel('expired', (event) => expired.push(event.maxRecordAgeMs))
  try {
    const { written } = await run({
      policy: { maxRecordAge: '1m', retryTopics: ['5s'] },
      timestamp: Date.now() - 120_000,
      handler: () => void calls++,
    })
    assert.equal(calls, 0)
    assert.deepEqual(
      written.map((w) => w.topic),
      ['g.orders.dlt'],
    )
    assert.equal(h(written[0]!.headers, Header.errorClass), 'RecordTooOldError')
    assert.equal(h(written[0]!.headers, Header.errorCode), 'EB_CONSUMER_RECORD_TOO_OLD')
    assert.deepEqual(expired, [60_000])
  } finally {
    stop()
  }
  const fresh = await run({ policy: { maxRecordAge: '1m' }, handler: () => void calls++ })
  assert.equal(calls, 1, 'a younger record is handled')
  assert.deepEqual(fresh.written, [])
})

test('a record the filter rejects is skipped: not handled, nothing written, counted, and done', async () => {
  const filtered: string[] = []
  const stop = onChannel('filtered', (event) => filtered.push(event.offset))
  let calls = 0
  try {
    const { outcome, written } = await run({
      filter: (value, record) => value !== 'v' || record.partition !== 0,
      handler: () => void calls++,
    })
    assert.deepEqual(outcome, { kind: 'done' })
    assert.equal(calls, 0)
    assert.deepEqual(written, [])
    assert.deepEqual(filtered, ['7'])
  } finally {
    stop()
  }
})

test('a handler that runs longer than handlerTimeout fails as retriable and is retried', async () => {
  const timedOut: number[] = []
  const stop = onChannel('timedOut', (event) => timedOut.push(event.attempt))
  try {
    const { written } = await run({
      policy: { handlerTimeout: 20, retry: { attempts: 1 }, retryTopics: ['5s'] },
      handler: (_value, ctx) => (ctx.attempt === 1 ? new Promise<void>(() => {}) : undefined),
    })
    assert.deepEqual(timedOut, [1])
    assert.deepEqual(written, [], 'the second attempt succeeded in process')
  } finally {
    stop()
  }
  const gaveUp = await run({
    policy: { handlerTimeout: 10, retry: { attempts: 0 }, retryTopics: ['5s'] },
    handler: () => new Promise<void>(() => {}),
  })
  assert.equal(h(gaveUp.written[0]!.headers, Header.errorClass), 'HandlerTimeoutError')
  assert.equal(gaveUp.written[0]!.topic, 'g.orders.retry.1')
})
