import type { LedgerPosting, PaymentConfirmed } from '@event-backbone/catalog'
import { uuidFrom } from '@event-backbone/client'

/** What the store remembers per posted payment. */
export interface PostedPayment {
  readonly sourceEventId: string
  readonly postingId: string
  /**
   * What a reversal books (reversal.ts), kept since refunds exist: entries written before have
   * none, and a refund of such a payment is dead-lettered with that reason.
   */
  readonly payerAccountId?: string
  readonly payeeAccountId?: string
  readonly amountMinor?: number
  readonly currency?: string
  /** Set once the payment is refunded: the refund's id, its event and the reversal posting. */
  readonly refund?: { readonly refundId: string; readonly sourceEventId: string; readonly postingId: string }
}

/** The store entry of a payment just posted. */
export function postedEntry(payment: PaymentConfirmed, posting: LedgerPosting): PostedPayment {
  return {
    sourceEventId: payment.eventId,
    postingId: posting.postingId,
    payerAccountId: payment.payerAccountId,
    payeeAccountId: payment.payeeAccountId,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
  }
}

/**
 * The posting of one payment: DEBIT the payer, CREDIT the payee, same amount and currency, so the
 * posting balances per currency. Ids derive from paymentId: a replay books the same posting id.
 * `source` is the consumer group, so the postings of two ledger groups can be told apart.
 */
export function postingFor(payment: PaymentConfirmed, now: Date, source = 'payments-ledger'): LedgerPosting {
  const { amountMinor, currency } = payment
  return {
    eventId: uuidFrom('ledger-posting-event', payment.paymentId),
    occurredAt: now,
    source,
    postingId: uuidFrom('ledger-posting', payment.paymentId),
    paymentId: payment.paymentId,
    sourceEventId: payment.eventId,
    lines: [
      { accountId: payment.payerAccountId, direction: 'DEBIT', amountMinor, currency },
      { accountId: payment.payeeAccountId, direction: 'CREDIT', amountMinor, currency },
    ],
    memo: payment.description ?? null,
  }
}

/** Per currency, DEBIT total minus CREDIT total; a balanced posting has only zeros. */
export function imbalance(posting: LedgerPosting): Map<string, bigint> {
  const totals = new Map<string, bigint>()
  for (const line of posting.lines) {
    const signed = BigInt(line.amountMinor) * (line.direction === 'DEBIT' ? 1n : -1n)
    totals.set(line.currency, (totals.get(line.currency) ?? 0n) + signed)
  }
  return totals
}

export function isBalanced(posting: LedgerPosting): boolean {
  return posting.lines.length >= 2 && [...imbalance(posting).values()].every((total) => total === 0n)
}

/** Why a payment cannot be booked (dead-lettered), or undefined. */
export function invalidPayment(payment: PaymentConfirmed): string | undefined {
  if (!(payment.amountMinor > 0)) return `amountMinor must be positive, got ${payment.amountMinor}`
  if (!/^[A-Z]{3}$/.test(payment.currency)) return `currency must be ISO 4217, got ${payment.currency}`
  if (payment.payerAccountId === payment.payeeAccountId) return 'payer and payee are the same account'
  return undefined
}

/** The dedupe decision: a paymentId already in the store is not posted again. */
export function decide(
  payment: PaymentConfirmed,
  posted: ReadonlyMap<string, PostedPayment>,
  now: Date,
  source?: string,
): { kind: 'duplicate'; previous: PostedPayment } | { kind: 'post'; posting: LedgerPosting } {
  const previous = posted.get(payment.paymentId)
  if (previous) return { kind: 'duplicate', previous }
  return { kind: 'post', posting: postingFor(payment, now, source) }
}
