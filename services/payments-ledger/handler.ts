import { catalogEntry } from '#libs/catalog'
import { nonRetriable } from '#libs/consumer'
import { emitEvent, onEvent } from '#libs/events'
import { changelogTopicName, ensureTopics, partitionCounts } from '#libs/kafka'
import type { ServiceDeps } from '#libs/service'
import { changelogTopicSpec, jsonCodec, PartitionStore } from '#libs/state'
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
  const changelogTopic = changelogTopicName(groupId, 'posted-payments')
  const admin = kafka.admin()
  await admin.connect()
  try {
    const input = catalogEntry('PaymentConfirmed').topic
    const partitions =
      (await partitionCounts(admin, [input])).get(input) ?? catalogEntry('PaymentConfirmed').partitions
    await ensureTopics(admin, [changelogTopicSpec(changelogTopic, partitions)])
  } finally {
    await admin.disconnect()
  }
  const store = new PartitionStore<PostedPayment>({
    kafka,
    groupId,
    changelogTopic,
    codec: jsonCodec(),
    onRestore: ({ partition, keys, durationMs }) => {
      metrics.outcome('state_restored')
      logger.info({ partition, keys, durationMs }, 'posted payments restored')
    },
  })
  onStop(() => store.close())
  return [
    onEvent(
      serde,
      'PaymentConfirmed',
      async (payment, ctx) => {
        const invalid = invalidPayment(payment)
        if (invalid) throw nonRetriable(new Error(`payment ${payment.paymentId}: ${invalid}`))
        const posted = await store.partition(ctx)
        if (store.isApplied(ctx)) {
          metrics.outcome('redelivery_skipped')
          return
        }
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
          metrics.outcome('duplicate_skipped')
          return
        }
        await emitEvent(ctx, serde, 'LedgerPosting', decision.posting)
        await store.put(ctx, posted, payment.paymentId, {
          sourceEventId: payment.eventId,
          postingId: decision.posting.postingId,
        })
        await store.markApplied(ctx)
        metrics.emitted('LedgerPosting')
        metrics.outcome('posted')
      },
      ledgerPolicy(env),
    ),
  ]
}
