// Proves the payments ledger posts each confirmed payment once as a balanced posting, exactly once, and never posts a paymentId twice, also across a restart.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { PaymentConfirmed } from '@event-backbone/catalog'
import { ledgerSubscriptions } from '../../../services/payments-ledger/handler.ts'
import { isBalanced } from '../../../services/payments-ledger/logic.ts'
import { uniqueName } from '../../helpers/kafka.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { outputs, serviceFixture, startService, waitCommitted } from './helpers.ts'

function payment(payer: string, overrides: Partial<PaymentConfirmed> = {}): PaymentConfirmed {
  return {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
    payerAccountId: payer,
    occurredAt: new Date(),
    ...overrides,
  }
}

test('every payment becomes one balanced posting and a duplicate paymentId is posted once, also after a restart', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('ledger')
  const payer = uniqueName('acct')
  const env = { CONSUMER_GROUP: groupId }
  const first = payment(payer, { amountMinor: 1_000 })
  const second = payment(payer, { amountMinor: 2_500, currency: 'USD' })
  const duplicate = { ...first, eventId: randomUUID() }
  const published = [
    await fixture.publisher.publish('PaymentConfirmed', first),
    await fixture.publisher.publish('PaymentConfirmed', second),
    await fixture.publisher.publish('PaymentConfirmed', duplicate),
  ]
  const ours = new Set([first.paymentId, second.paymentId])
  // Other tests run ledger groups on the shared topics too: only this group's postings count.
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
  await waitCommitted(t, fixture.kafka, groupId, published)
  const booked = await postings(ours.size)
  assert.deepEqual(booked.map((posting) => posting.paymentId).sort(), [...ours].sort())
  assert.ok(booked.every(isBalanced), 'every posting balances per currency')
  assert.equal(booked.find((posting) => posting.paymentId === first.paymentId)?.sourceEventId, first.eventId)

  // A new member of the same group restores the posted paymentIds from the changelog.
  await service.stop()
  const lateDuplicate = { ...second, eventId: randomUUID() }
  const third = payment(payer, { amountMinor: 7 })
  const afterRestart = [
    await fixture.publisher.publish('PaymentConfirmed', lateDuplicate),
    await fixture.publisher.publish('PaymentConfirmed', third),
  ]
  ours.add(third.paymentId)
  await startService(t, fixture, { name: 'payments-ledger', subscriptions: ledgerSubscriptions, env })
  await waitCommitted(t, fixture.kafka, groupId, afterRestart)
  const all = await postings(ours.size)
  assert.deepEqual(
    all.map((posting) => posting.paymentId).sort(),
    [...ours].sort(),
    'one posting per paymentId',
  )
})
