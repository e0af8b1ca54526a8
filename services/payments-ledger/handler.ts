import type { PaymentConfirmed, PaymentRefunded } from '@event-backbone/catalog'
import {
  emitEvent,
  type HandlerContext,
  nonRetriable,
  onEvents,
  type PartitionStore,
} from '@event-backbone/client'
import { openServiceStore, type ServiceDeps } from '#libs/service'
import { decide, invalidPayment, type PostedPayment, postedEntry } from './logic.ts'
import { ledgerDedupeHorizonMs, ledgerPolicy } from './policy.ts'
import { decideRefund, invalidRefund } from './reversal.ts'

type LedgerDeps = Pick<ServiceDeps, 'serde' | 'logger' | 'metrics' | 'groupId'> & {
  readonly store: PartitionStore<PostedPayment>
}

/**
 * One subscription to `payments`, which carries PaymentConfirmed and PaymentRefunded keyed by
 * payer: a payment and its refund share a partition, so they arrive in order and meet the same
 * partition of the store `<group>.posted-payments.changelog` (keyed by paymentId).
 */
export async function ledgerSubscriptions(deps: ServiceDeps) {
  const { env, kafka, logger, metrics, groupId, onStop } = deps
  const store = await openServiceStore<PostedPayment>(
    { kafka, groupId, logger, metrics, onStop },
    { name: 'posted-payments', input: 'PaymentConfirmed', horizonMs: ledgerDedupeHorizonMs(env) },
  )
  const ledger: LedgerDeps = { ...deps, store }
  return [
    onEvents(
      deps.serde,
      'payments',
      {
        PaymentConfirmed: (payment, ctx) => postPayment(ledger, payment, ctx),
        PaymentRefunded: (refund, ctx) => reverseRefund(ledger, refund, ctx),
      },
      ledgerPolicy(env),
      { hooks: store.hooks },
    ),
  ]
}

function countApplied(metrics: ServiceDeps['metrics'], applied: string, outcome: string): void {
  if (applied === 'redelivered') metrics.outcome('redelivery_skipped')
  else if (applied === 'unchanged') metrics.outcome('duplicate_skipped')
  else {
    metrics.emitted('LedgerPosting')
    metrics.outcome(outcome)
  }
}

/** A confirmed payment: one balanced posting, once per paymentId. */
async function postPayment(
  { serde, store, logger, metrics, groupId }: LedgerDeps,
  payment: PaymentConfirmed,
  ctx: HandlerContext,
): Promise<void> {
  const invalid = invalidPayment(payment)
  if (invalid) throw nonRetriable(new Error(`payment ${payment.paymentId}: ${invalid}`))
  const applied = await store.apply(ctx, async (posted) => {
    const decision = decide(payment, posted, new Date(), groupId)
    if (decision.kind === 'duplicate') {
      logger.info(
        { paymentId: payment.paymentId, eventId: payment.eventId, postedBy: decision.previous.sourceEventId },
        'duplicate payment not posted again',
      )
      return undefined
    }
    await emitEvent(ctx, serde, 'LedgerPosting', decision.posting)
    logger.debug({ paymentId: payment.paymentId, eventId: payment.eventId }, 'payment posted')
    return [[payment.paymentId, postedEntry(payment, decision.posting)]]
  })
  countApplied(metrics, applied, 'posted')
}

/**
 * A refund: the reversal of its payment's posting, once. A refund the ledger cannot book (unknown
 * payment, already refunded, not matching the payment) is dead-lettered with the reason, in the
 * record's transaction, and leaves the store unchanged.
 */
async function reverseRefund(
  { serde, store, logger, metrics, groupId }: LedgerDeps,
  refund: PaymentRefunded,
  ctx: HandlerContext,
): Promise<void> {
  const invalid = invalidRefund(refund)
  if (invalid) throw nonRetriable(new Error(`refund ${refund.refundId}: ${invalid}`))
  const applied = await store.apply(ctx, async (posted) => {
    const decision = decideRefund(refund, posted, new Date(), groupId)
    if (decision.kind === 'reject') {
      metrics.outcome('refund_rejected')
      throw nonRetriable(new Error(`refund ${refund.refundId}: ${decision.reason}`))
    }
    if (decision.kind === 'duplicate') {
      logger.info(
        { refundId: refund.refundId, eventId: refund.eventId, reversedBy: decision.previous.sourceEventId },
        'duplicate refund not reversed again',
      )
      return undefined
    }
    await emitEvent(ctx, serde, 'LedgerPosting', decision.posting)
    return [[refund.paymentId, decision.entry]]
  })
  countApplied(metrics, applied, 'reversed')
}
