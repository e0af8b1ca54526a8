import type { LedgerPosting, PaymentRefunded } from '@event-backbone/catalog'
import { uuidFrom } from '@event-backbone/client'
import type { PostedPayment } from './logic.ts'

/** What the ledger does with a refund, decided on the partition's state alone. */
export type RefundDecision =
  | { readonly kind: 'reverse'; readonly posting: LedgerPosting; readonly entry: PostedPayment }
  | { readonly kind: 'duplicate'; readonly previous: NonNullable<PostedPayment['refund']> }
  | { readonly kind: 'reject'; readonly reason: string }

/** Why a refund is malformed (dead-lettered before the state is consulted), or undefined. */
export function invalidRefund(refund: PaymentRefunded): string | undefined {
  if (!(refund.amountMinor > 0)) return `amountMinor must be positive, got ${refund.amountMinor}`
  if (!/^[A-Z]{3}$/.test(refund.currency)) return `currency must be ISO 4217, got ${refund.currency}`
  return undefined
}

/**
 * The reversal of a posted payment: CREDIT the payer, DEBIT the payee, the original amount, so the
 * two postings of a refunded payment cancel out per account. Ids derive from paymentId, so a
 * replayed refund books the same reversal id; the ledger key (paymentId) keeps the reversal after
 * the posting it reverses.
 */
export function reversalFor(
  refund: PaymentRefunded,
  posted: PostedPayment & Required<Pick<PostedPayment, 'payeeAccountId' | 'amountMinor' | 'currency'>>,
  now: Date,
  source = 'payments-ledger',
): LedgerPosting {
  const { amountMinor, currency } = posted
  return {
    eventId: uuidFrom('ledger-reversal-event', refund.paymentId),
    occurredAt: now,
    source,
    postingId: uuidFrom('ledger-reversal', refund.paymentId),
    paymentId: refund.paymentId,
    sourceEventId: refund.eventId,
    lines: [
      { accountId: refund.payerAccountId, direction: 'CREDIT', amountMinor, currency },
      { accountId: posted.payeeAccountId, direction: 'DEBIT', amountMinor, currency },
    ],
    memo: `reversal of posting ${posted.postingId}${refund.reason ? `: ${refund.reason}` : ''}`,
  }
}

/**
 * A refund reverses its payment once. Unknown payment, a payment already refunded by another
 * refund, or a refund that does not match the payment (payer, amount, currency: refunds are full)
 * is rejected with the reason; the same refund again (same refundId, a provider's redelivery) is
 * a duplicate and books nothing, as a duplicate confirmation does.
 */
export function decideRefund(
  refund: PaymentRefunded,
  posted: ReadonlyMap<string, PostedPayment>,
  now: Date,
  source?: string,
): RefundDecision {
  const previous = posted.get(refund.paymentId)
  if (previous === undefined) {
    return { kind: 'reject', reason: `payment ${refund.paymentId} is unknown to the ledger` }
  }
  if (previous.refund !== undefined) {
    if (previous.refund.refundId === refund.refundId) return { kind: 'duplicate', previous: previous.refund }
    return {
      kind: 'reject',
      reason: `payment ${refund.paymentId} is already refunded (refund ${previous.refund.refundId}, reversal posting ${previous.refund.postingId})`,
    }
  }
  const { payerAccountId, payeeAccountId, amountMinor, currency } = previous
  if (payeeAccountId === undefined || amountMinor === undefined || currency === undefined) {
    return {
      kind: 'reject',
      reason: `payment ${refund.paymentId} was posted before the ledger kept what a reversal needs`,
    }
  }
  if (payerAccountId !== refund.payerAccountId) {
    return {
      kind: 'reject',
      reason: `refund names payer ${refund.payerAccountId}, payment ${refund.paymentId} was paid by ${payerAccountId}`,
    }
  }
  if (amountMinor !== refund.amountMinor || currency !== refund.currency) {
    return {
      kind: 'reject',
      reason: `refund of ${refund.amountMinor} ${refund.currency} does not match payment ${refund.paymentId} of ${amountMinor} ${currency} (refunds are full)`,
    }
  }
  const posting = reversalFor(refund, { ...previous, payeeAccountId, amountMinor, currency }, now, source)
  return {
    kind: 'reverse',
    posting,
    entry: {
      ...previous,
      refund: { refundId: refund.refundId, sourceEventId: refund.eventId, postingId: posting.postingId },
    },
  }
}
