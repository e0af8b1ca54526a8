import { randomUUID } from 'node:crypto'
import { sampleEvents } from '../../test/helpers/sample-events.ts'

/** A fresh PaymentConfirmed for the gateway; the ledger posts it under its paymentId. */
export function newPayment(): { body: Record<string, unknown>; key: string } {
  const paymentId = randomUUID()
  return {
    key: paymentId,
    body: {
      ...sampleEvents.PaymentConfirmed,
      eventId: randomUUID(),
      paymentId,
      occurredAt: new Date().toISOString(),
    },
  }
}

export const ledgerKey = (value: Record<string, unknown>): string => String(value['paymentId'])
