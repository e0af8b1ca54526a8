import type { EventOf, EventTypeMap } from '@event-backbone/catalog'
import {
  type BackboneConnection,
  type ConsumerGroup,
  catalogEncoder,
  createConsumerGroup,
  createPublisher,
  deadLetterTopicName,
  onEvent,
  type PolicyInput,
  type Publisher,
  type PublishResult,
} from '@event-backbone/client'

export type PaymentConfirmed = EventOf<'PaymentConfirmed'>
export type LedgerPosting = EventOf<'LedgerPosting'>

/**
 * How this service consumes LedgerPosting: three quick in-process retries, then one delayed retry
 * topic owned by this group, then its dead-letter topic. At-least-once: the handler is idempotent
 * by postingId.
 */
export const postingPolicy: PolicyInput = {
  guarantee: 'at-least-once',
  retry: { attempts: 3, initialDelay: '50ms', maxDelay: '500ms' },
  retryTopics: ['2s'],
  deadLetter: true,
}

export interface PaymentsServiceOptions {
  readonly connection: BackboneConnection
  readonly groupId: string
  /** What the service does with a posting; a throw is retried as postingPolicy says. */
  readonly onPosting: (posting: LedgerPosting) => Promise<void> | void
}

export interface PaymentsService {
  readonly group: ConsumerGroup
  readonly deadLetterTopic: string
  confirmPayment(payment: PaymentConfirmed): Promise<PublishResult>
  stop(): Promise<void>
}

export async function startPaymentsService(options: PaymentsServiceOptions): Promise<PaymentsService> {
  const { kafka, serde } = options.connection
  const publisher: Publisher<EventTypeMap> = createPublisher({ kafka, encoder: catalogEncoder(serde) })
  const group = createConsumerGroup({
    groupId: options.groupId,
    kafka,
    subscriptions: [onEvent(serde, 'LedgerPosting', (posting) => options.onPosting(posting), postingPolicy)],
  })
  await group.start()
  return {
    group,
    deadLetterTopic: deadLetterTopicName(options.groupId, 'ledger'),
    confirmPayment: (payment) => publisher.publish('PaymentConfirmed', payment),
    async stop() {
      await group.stop()
      await publisher.close()
    },
  }
}
