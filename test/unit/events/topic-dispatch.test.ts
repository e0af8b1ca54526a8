import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PaymentConfirmed, PaymentRefunded } from '@event-backbone/catalog'
import { onEvent, onEvents } from '@event-backbone/client'
import { IncompatibleReaderError, UnknownEventTypeError } from '@event-backbone/errors'
import { EventSerde } from '@event-backbone/serde'
import type { HandlerContext, RecordContext } from '#libs/consumer'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { FakeRegistry } from '../serde/fake-registry.ts'

function record(offset: string): RecordContext {
  return {
    topic: 'payments',
    sourceTopic: 'payments',
    partition: 0,
    offset,
    timestamp: '0',
    key: null,
    headers: {},
  }
}

const ctx = { ...record('0'), attempt: 1 } as unknown as HandlerContext

async function encodedPayments(serde: EventSerde) {
  return {
    confirmed: await serde.encode('PaymentConfirmed', sampleEvents.PaymentConfirmed),
    refunded: await serde.encode('PaymentRefunded', sampleEvents.PaymentRefunded),
  }
}

test("decodeForTopic decodes each record as the event type its writer schema's record name names", async () => {
  const serde = new EventSerde(new FakeRegistry())
  const { confirmed, refunded } = await encodedPayments(serde)
  const first = await serde.decodeForTopic('payments', confirmed)
  const second = await serde.decodeForTopic('payments', refunded)
  assert.equal(first.type, 'PaymentConfirmed')
  assert.equal(second.type, 'PaymentRefunded')
  if (second.type === 'PaymentRefunded')
    assert.equal(second.value.refundId, sampleEvents.PaymentRefunded.refundId)
})

test('decodeForTopic answers synchronously once the writer schema is cached', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const { refunded } = await encodedPayments(serde)
  await serde.decodeForTopic('payments', refunded)
  const again = serde.decodeForTopic('payments', refunded)
  assert.ok(!(again instanceof Promise))
  assert.equal(again.type, 'PaymentRefunded')
})

test('a record whose schema is no event type of the topic fails as IncompatibleReaderError, not retriable', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const login = await serde.encode('UserLogin', sampleEvents.UserLogin)
  await assert.rejects(
    async () => serde.decodeForTopic('payments', login, { partition: 3 }),
    (error: unknown) => {
      assert.ok(error instanceof IncompatibleReaderError)
      assert.equal(error.retriable, false)
      assert.match(error.message, /UserLogin\) is not an event type of topic payments/)
      assert.equal(error.context['partition'], 3)
      return true
    },
  )
})

test('onEvents hands each type to its own handler, typed as that type', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const { confirmed, refunded } = await encodedPayments(serde)
  const seen: string[] = []
  const subscription = onEvents(serde, 'payments', {
    PaymentConfirmed: (payment: PaymentConfirmed) => {
      seen.push(`confirmed ${payment.paymentId}`)
    },
    PaymentRefunded: (refund: PaymentRefunded) => {
      seen.push(`refunded ${refund.refundId}`)
    },
  })
  assert.equal(subscription.topic, 'payments')
  for (const [offset, bytes] of [confirmed, refunded].entries()) {
    const event = await subscription.decode.decode(bytes, record(String(offset)))
    assert.ok(subscription.filter!(event, record(String(offset))))
    await subscription.handler(event, ctx)
  }
  assert.deepEqual(seen, [
    `confirmed ${sampleEvents.PaymentConfirmed.paymentId}`,
    `refunded ${sampleEvents.PaymentRefunded.refundId}`,
  ])
})

test('onEvents skips a type of the topic it has no handler for through its filter', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const { confirmed, refunded } = await encodedPayments(serde)
  const subscription = onEvents(serde, 'payments', { PaymentRefunded: () => {} })
  assert.equal(
    subscription.filter!(await subscription.decode.decode(confirmed, record('0')), record('0')),
    false,
  )
  assert.equal(
    subscription.filter!(await subscription.decode.decode(refunded, record('1')), record('1')),
    true,
  )
})

test("onEvents applies the caller's filter after the type check", async () => {
  const serde = new EventSerde(new FakeRegistry())
  const { refunded } = await encodedPayments(serde)
  const subscription = onEvents(serde, 'payments', { PaymentRefunded: () => {} }, undefined, {
    filter: (event) => event.type === 'PaymentRefunded' && event.value.amountMinor > 1_000_000,
  })
  assert.equal(
    subscription.filter!(await subscription.decode.decode(refunded, record('0')), record('0')),
    false,
  )
})

test('onEvents refuses a handler for a type the topic does not carry, and an empty handler set', () => {
  const serde = new EventSerde(new FakeRegistry())
  assert.throws(
    // @ts-expect-error UserLogin travels on logins, not payments
    () => onEvents(serde, 'payments', { UserLogin: () => {} }),
    UnknownEventTypeError,
  )
  assert.throws(() => onEvents(serde, 'payments', {}), /needs a handler for at least one event type/)
})

test("onEvent on a topic with several types skips the other types' records instead of dead-lettering them", async () => {
  const serde = new EventSerde(new FakeRegistry())
  const { confirmed, refunded } = await encodedPayments(serde)
  const subscription = onEvent(serde, 'PaymentConfirmed', () => {})
  const payment = await subscription.decode.decode(confirmed, record('0'))
  assert.equal(payment.paymentId, sampleEvents.PaymentConfirmed.paymentId)
  assert.ok(subscription.filter!(payment, record('0')))
  const other = await subscription.decode.decode(refunded, record('1'))
  assert.equal(subscription.filter!(other, record('1')), false)
})

test('onEvent on a single-type topic keeps the direct decoder and no filter of its own', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const subscription = onEvent(serde, 'UserLogin', () => {})
  assert.equal(subscription.filter, undefined)
  const login = await subscription.decode.decode(
    await serde.encode('UserLogin', sampleEvents.UserLogin),
    record('0'),
  )
  assert.equal(login.userId, sampleEvents.UserLogin.userId)
})
