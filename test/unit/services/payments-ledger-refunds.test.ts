import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  isBalanced,
  type PostedPayment,
  postedEntry,
  postingFor,
} from '../../../services/payments-ledger/logic.ts'
import { decideRefund, invalidRefund } from '../../../services/payments-ledger/reversal.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

const now = new Date('2026-11-28T12:00:00Z')
const payment = sampleEvents.PaymentConfirmed
const refund = sampleEvents.PaymentRefunded
const posted = (): Map<string, PostedPayment> =>
  new Map([[payment.paymentId, postedEntry(payment, postingFor(payment, now))]])

test('a refund of a posted payment reverses its posting: credit the payer, debit the payee, same amount', () => {
  const decision = decideRefund(refund, posted(), now, 'ledger-group')
  assert.equal(decision.kind, 'reverse')
  if (decision.kind !== 'reverse') return
  const { posting } = decision
  assert.deepEqual(
    posting.lines.map((line) => [line.accountId, line.direction, line.amountMinor, line.currency]),
    [
      [payment.payerAccountId, 'CREDIT', payment.amountMinor, 'EUR'],
      [payment.payeeAccountId, 'DEBIT', payment.amountMinor, 'EUR'],
    ],
  )
  assert.ok(isBalanced(posting))
  assert.equal(posting.paymentId, payment.paymentId)
  assert.equal(posting.sourceEventId, refund.eventId)
  assert.equal(posting.source, 'ledger-group')
  assert.notEqual(posting.postingId, postingFor(payment, now).postingId)
  assert.match(posting.memo ?? '', /^reversal of posting [0-9a-f-]{36}: Order cancelled$/)
  assert.deepEqual(decision.entry.refund, {
    refundId: refund.refundId,
    sourceEventId: refund.eventId,
    postingId: posting.postingId,
  })
})

test('the reversal id derives from the paymentId, so a replayed refund books the same id', () => {
  const first = decideRefund(refund, posted(), now)
  const again = decideRefund({ ...refund, eventId: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' }, posted(), now)
  assert.ok(first.kind === 'reverse' && again.kind === 'reverse')
  assert.equal(first.posting.postingId, again.posting.postingId)
})

test('a refund of an unknown payment is rejected with the paymentId', () => {
  const decision = decideRefund(refund, new Map(), now)
  assert.deepEqual(decision, {
    kind: 'reject',
    reason: `payment ${refund.paymentId} is unknown to the ledger`,
  })
})

test('a second refund of a refunded payment is rejected, the same refund again is a duplicate', () => {
  const first = decideRefund(refund, posted(), now)
  assert.ok(first.kind === 'reverse')
  const state = new Map([[payment.paymentId, first.entry]])
  const redelivered = decideRefund({ ...refund, eventId: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' }, state, now)
  assert.equal(redelivered.kind, 'duplicate')
  const other = decideRefund({ ...refund, refundId: 'c3d4e5f6-a7b8-4923-8a11-ccddeeff0011' }, state, now)
  assert.equal(other.kind, 'reject')
  assert.match(other.kind === 'reject' ? other.reason : '', /is already refunded \(refund b2c3d4e5-/)
})

test('a refund that does not match its payment, or of a payment stored before refunds, is rejected', () => {
  const reason = (decision: ReturnType<typeof decideRefund>) =>
    decision.kind === 'reject' ? decision.reason : ''
  assert.match(reason(decideRefund({ ...refund, amountMinor: 1 }, posted(), now)), /refunds are full/)
  assert.match(reason(decideRefund({ ...refund, currency: 'USD' }, posted(), now)), /does not match payment/)
  assert.match(
    reason(decideRefund({ ...refund, payerAccountId: 'acct-other' }, posted(), now)),
    /was paid by acct-payer-0001/,
  )
  const legacy = new Map([[payment.paymentId, { sourceEventId: payment.eventId, postingId: 'p' }]])
  assert.match(
    reason(decideRefund(refund, legacy, now)),
    /posted before the ledger kept what a reversal needs/,
  )
})

test('a non-positive amount or a malformed currency makes a refund invalid', () => {
  assert.equal(invalidRefund(refund), undefined)
  assert.match(invalidRefund({ ...refund, amountMinor: 0 }) ?? '', /positive/)
  assert.match(invalidRefund({ ...refund, currency: 'eur' }) ?? '', /ISO 4217/)
})
