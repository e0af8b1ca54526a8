// Proves a paymentId posted by one member of the ledger group is not posted again by the member that takes over its partition after a rebalance.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { PaymentConfirmed } from '@event-backbone/catalog'
import { ledgerSubscriptions } from '../../../services/payments-ledger/handler.ts'
import { uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { outputs, serviceFixture, startService, waitCommitted } from './helpers.ts'

test('a duplicate arriving after its partition moved to another member is not posted again', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('ledger-rebalance')
  const env = { CONSUMER_GROUP: groupId }
  const payment: PaymentConfirmed = {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
    payerAccountId: uniqueName('acct'),
    occurredAt: new Date(),
  }
  const postings = await outputs(
    t,
    fixture,
    'LedgerPosting',
    'ledger',
    // Other tests run ledger groups on the shared topics too: only this group's postings count.
    (p) => p.source === groupId && p.paymentId === payment.paymentId,
  )

  const first = await startService(t, fixture, {
    name: 'payments-ledger',
    subscriptions: ledgerSubscriptions,
    env,
  })
  const second = await startService(t, fixture, {
    name: 'payments-ledger',
    subscriptions: ledgerSubscriptions,
    env,
  })
  await waitFor(() => first.group.ready && second.group.ready, { description: 'both members in the group' })
  const original = await fixture.publisher.publish('PaymentConfirmed', payment)
  await waitCommitted(t, fixture.kafka, groupId, [original])
  assert.equal((await postings(1)).length, 1)

  // Whoever posted it, the other member ends up owning every partition, the payment's included.
  await first.stop()
  const duplicate = await fixture.publisher.publish('PaymentConfirmed', { ...payment, eventId: randomUUID() })
  await waitCommitted(t, fixture.kafka, groupId, [duplicate])
  assert.equal((await postings(1)).length, 1, 'the duplicate was not posted')
})
