import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decide, invalidPayment, isBalanced, postingFor } from '../../../services/payments-ledger/logic.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

const now = new Date('2026-11-27T12:00:00Z')
const payment = sampleEvents.PaymentConfirmed

test('a payment becomes a posting that debits the payer and credits the payee the same amount', () => {
  const posting = postingFor(payment, now)
  assert.deepEqual(
    posting.lines.map((line) => [line.accountId, line.direction, line.amountMinor, line.currency]),
    [
      [payment.payerAccountId, 'DEBIT', payment.amountMinor, 'EUR'],
      [payment.payeeAccountId, 'CREDIT', payment.amountMinor, 'EUR'],
    ],
  )
  assert.equal(posting.paymentId, payment.paymentId)
  assert.equal(posting.sourceEventId, payment.eventId)
  assert.equal(posting.memo, payment.description)
})

test('every posting balances per currency, whatever the amount and currency', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom('EUR', 'USD', 'JPY'),
      (amount, currency) => isBalanced(postingFor({ ...payment, amountMinor: amount, currency }, now)),
    ),
  )
})

test('the posting id derives from the paymentId, so a duplicate confirmation would book the same id', () => {
  const again = postingFor({ ...payment, eventId: '9a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d' }, now)
  assert.equal(again.postingId, postingFor(payment, now).postingId)
})

test('a paymentId already in the store is a duplicate and is not posted', () => {
  const posted = new Map([[payment.paymentId, { sourceEventId: payment.eventId, postingId: 'p' }]])
  assert.equal(decide(payment, posted, now).kind, 'duplicate')
  assert.equal(decide(payment, new Map(), now).kind, 'post')
})

test('a non-positive amount, a malformed currency or a self-payment is invalid', () => {
  assert.equal(invalidPayment(payment), undefined)
  assert.match(invalidPayment({ ...payment, amountMinor: 0 }) ?? '', /positive/)
  assert.match(invalidPayment({ ...payment, currency: 'eur' }) ?? '', /ISO 4217/)
  assert.match(invalidPayment({ ...payment, payeeAccountId: payment.payerAccountId }) ?? '', /same account/)
})
