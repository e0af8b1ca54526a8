// Proves the payments ledger reverses a refunded payment exactly once from the same payments topic, in order per payer, and dead-letters refunds of unknown or already refunded payments with the reason, also across a restart.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { PaymentConfirmed, PaymentRefunded } from '@event-backbone/catalog'
import { ledgerSubscriptions } from '../../../services/payments-ledger/handler.ts'
import { isBalanced } from '../../../services/payments-ledger/logic.ts'
import { collect, header } from '../../helpers/consumer.ts'
import { uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { outputs, serviceFixture, startService, waitCommitted } from './helpers.ts'

function payment(payer: string, amountMinor: number): PaymentConfirmed {
  return {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
    payerAccountId: payer,
    amountMinor,
    occurredAt: new Date(),
  }
}

function refundOf(
  paid: Pick<PaymentConfirmed, 'paymentId' | 'payerAccountId' | 'amountMinor'>,
): PaymentRefunded {
  return {
    ...sampleEvents.PaymentRefunded,
    eventId: randomUUID(),
    refundId: randomUUID(),
    paymentId: paid.paymentId,
    payerAccountId: paid.payerAccountId,
    amountMinor: paid.amountMinor,
    currency: 'EUR',
    occurredAt: new Date(),
  }
}

test('a refund posts one reversal of its payment and refunds of unknown or already refunded payments are dead-lettered with the reason', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('ledger-refunds')
  const payer = uniqueName('acct')
  const env = { CONSUMER_GROUP: groupId }
  const first = payment(payer, 1_000)
  const second = payment(payer, 2_500)
  const refund = refundOf(first)
  const redelivered = { ...refund, eventId: randomUUID() }
  const again = refundOf(first)
  const unknown = refundOf({ ...first, paymentId: randomUUID() })
  // One payer: one partition, in this order. Payments and refunds share the topic.
  const published = [
    await fixture.publisher.publish('PaymentConfirmed', first),
    await fixture.publisher.publish('PaymentConfirmed', second),
    await fixture.publisher.publish('PaymentRefunded', refund),
    await fixture.publisher.publish('PaymentRefunded', redelivered),
    await fixture.publisher.publish('PaymentRefunded', again),
    await fixture.publisher.publish('PaymentRefunded', unknown),
  ]
  assert.ok(published.every((record) => record.topic === 'payments'))
  assert.equal(new Set(published.map((record) => record.partition)).size, 1, 'one payer, one partition')
  const ours = new Set([first.paymentId, second.paymentId, unknown.paymentId])
  const postings = await outputs(
    t,
    fixture,
    'LedgerPosting',
    'ledger',
    (posting) => posting.source === groupId && ours.has(posting.paymentId),
  )

  const service = await startService(t, fixture, {
    name: 'payments-ledger',
    subscriptions: ledgerSubscriptions,
    env,
  })
  const [subscription] = service.group.subscriptions
  assert.equal(subscription?.topic, 'payments')
  const deadLetters = await collect(t, fixture.kafka, [subscription!.deadLetterTopic])
  await waitCommitted(t, fixture.kafka, groupId, published)

  const booked = await waitFor(
    async () => {
      const all = await postings()
      return all.length >= 3 && all
    },
    { description: 'two postings and one reversal' },
  )
  assert.equal(booked.length, 3, 'two postings, one reversal: the redelivered refund books nothing')
  assert.ok(booked.every(isBalanced))
  const reversal = booked.find((posting) => posting.sourceEventId === refund.eventId)
  assert.ok(reversal, 'the reversal answers the refund event')
  assert.equal(reversal.paymentId, first.paymentId)
  assert.deepEqual(
    reversal.lines.map((line) => [line.accountId, line.direction, line.amountMinor]),
    [
      [payer, 'CREDIT', 1_000],
      [first.payeeAccountId, 'DEBIT', 1_000],
    ],
  )
  const original = booked.find((posting) => posting.sourceEventId === first.eventId)
  assert.match(reversal.memo ?? '', new RegExp(`reversal of posting ${original?.postingId}`))

  const deadEventIds = async () => {
    const found = new Map<string, string | undefined>()
    // The group reads the shared payments topic from its start: other tests' refunds are there too.
    for (const record of deadLetters.filter((r) => r.message.key?.toString() === payer)) {
      const decoded = await fixture.serde.decodeForTopic('payments', record.message.value!)
      if (decoded.type === 'PaymentRefunded')
        found.set(decoded.value.eventId, header(record.message.headers, 'eb.error.message'))
    }
    return found
  }
  const dead = await waitFor(
    async () => {
      const found = await deadEventIds()
      return found.has(again.eventId) && found.has(unknown.eventId) && found
    },
    { description: 'the second refund and the refund of an unknown payment dead-lettered' },
  )
  assert.equal(dead.size, 2, 'only the two refunds the ledger cannot book')
  assert.match(dead.get(again.eventId) ?? '', new RegExp(`payment ${first.paymentId} is already refunded`))
  assert.match(
    dead.get(unknown.eventId) ?? '',
    new RegExp(`payment ${unknown.paymentId} is unknown to the ledger`),
  )
  const deadRecord = deadLetters.find((record) => record.message.key?.toString() === payer)
  assert.equal(header(deadRecord?.message.headers, 'eb.stage'), 'handle')
  assert.equal(header(deadRecord?.message.headers, 'eb.attempts'), '1', 'not retried')

  // A new member restores payments and refunds from the changelog: the refunded payment stays
  // refunded, the other can still be refunded once.
  await service.stop()
  const late = refundOf(first)
  const secondRefund = refundOf(second)
  const afterRestart = [
    await fixture.publisher.publish('PaymentRefunded', late),
    await fixture.publisher.publish('PaymentRefunded', secondRefund),
  ]
  await startService(t, fixture, { name: 'payments-ledger', subscriptions: ledgerSubscriptions, env })
  await waitCommitted(t, fixture.kafka, groupId, afterRestart)
  const final = await waitFor(
    async () => {
      const all = await postings()
      return all.length >= 4 && all
    },
    { description: 'the second payment reversed after the restart' },
  )
  assert.equal(final.length, 4)
  assert.equal(final.filter((posting) => posting.paymentId === first.paymentId).length, 2)
  assert.ok(final.some((posting) => posting.sourceEventId === secondRefund.eventId))
  const afterDead = await waitFor(
    async () => {
      const found = await deadEventIds()
      return found.has(late.eventId) && found
    },
    { description: 'the late refund of the refunded payment dead-lettered' },
  )
  assert.match(afterDead.get(late.eventId) ?? '', /is already refunded/)
})
