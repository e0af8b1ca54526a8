// The service's entry point: `npm start`. Configuration comes from the environment
// (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, the Kafka security variables; SERVICE_GROUP), logs are
// JSON lines on stdout. DEMO_PAYMENTS=n publishes n payments at start-up, so the round trip
// through the ledger can be watched.
import { randomUUID } from 'node:crypto'
import { backboneFromEnv } from '@event-backbone/client'
import { type PaymentConfirmed, startPaymentsService } from './payments.ts'

const log = (fields: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(fields)}\n`)
}

const service = await startPaymentsService({
  connection: backboneFromEnv(),
  groupId: process.env['SERVICE_GROUP'] ?? 'payments-service',
  onPosting: (posting) =>
    log({
      msg: 'posting received',
      paymentId: posting.paymentId,
      postingId: posting.postingId,
      lines: posting.lines.length,
    }),
})
log({ msg: 'ready', node: process.version, deadLetterTopic: service.deadLetterTopic })

for (let i = 0; i < Number(process.env['DEMO_PAYMENTS'] ?? 0); i++) {
  const payment: PaymentConfirmed = {
    eventId: randomUUID(),
    occurredAt: new Date(),
    source: 'payments-service-example',
    paymentId: randomUUID(),
    payerAccountId: `acct-payer-${i}`,
    payeeAccountId: 'acct-merchant-1',
    amountMinor: 1_000 + i,
    currency: 'EUR',
    method: 'CARD',
    providerReference: null,
    description: null,
  }
  const result = await service.confirmPayment(payment)
  log({
    msg: 'payment published',
    paymentId: payment.paymentId,
    partition: result.partition,
    offset: result.offset,
  })
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await service.stop()
    log({ msg: 'stopped' })
    process.exit(0)
  })
}
