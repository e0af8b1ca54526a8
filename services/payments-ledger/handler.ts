import { emitEvent, nonRetriable, onEvent } from '@event-backbone/client'
import { openServiceStore, type ServiceDeps } from '#libs/service'
import { decide, invalidPayment, type PostedPayment } from './logic.ts'
import { ledgerPolicy } from './policy.ts'

/** The group's dedupe store: `<group>.posted-payments.changelog`, keyed by paymentId. */
export async function ledgerSubscriptions({
  env,
  kafka,
  serde,
  logger,
  metrics,
  groupId,
  onStop,
}: ServiceDeps) {
  const store = await openServiceStore<PostedPayment>(
    { kafka, groupId, logger, metrics, onStop },
    {
      name: 'posted-payments',
      input: 'PaymentConfirmed',
    },
  )
  return [
    onEvent(
      serde,
      'PaymentConfirmed',
      async (payment, ctx) => {
        const invalid = invalidPayment(payment)
        if (invalid) throw nonRetriable(new Error(`payment ${payment.paymentId}: ${invalid}`))
        const applied = await store.apply(ctx, async (posted) => {
          const decision = decide(payment, posted, new Date(), groupId)
          if (decision.kind === 'duplicate') {
            logger.info(
              {
                paymentId: payment.paymentId,
                eventId: payment.eventId,
                postedBy: decision.previous.sourceEventId,
              },
              'duplicate payment not posted again',
            )
            return undefined
          }
          await emitEvent(ctx, serde, 'LedgerPosting', decision.posting)
          return [
            [payment.paymentId, { sourceEventId: payment.eventId, postingId: decision.posting.postingId }],
          ]
        })
        if (applied === 'redelivered') metrics.outcome('redelivery_skipped')
        else if (applied === 'unchanged') metrics.outcome('duplicate_skipped')
        else {
          metrics.emitted('LedgerPosting')
          metrics.outcome('posted')
        }
      },
      ledgerPolicy(env),
      { hooks: store.hooks },
    ),
  ]
}
