import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PublisherClosedError } from '@event-backbone/errors'
import { createPublisher, type EventEncoder, type Publisher } from '#libs/publisher'

// The catalog's generated event map may be an interface: it has no index signature.
interface PaymentConfirmed {
  paymentId: string
  amountMinor: number
  currency: string
}
interface CatalogEvents {
  PaymentConfirmed: PaymentConfirmed
  LoginFailed: { userId: string }
}

const encoder: EventEncoder<CatalogEvents> = {
  // A catalog-backed encoder sees any event type name and any event.
  encode: async (eventType: string, event: unknown) => ({
    topic: eventType === 'PaymentConfirmed' ? 'payments' : 'logins',
    key: null,
    value: Buffer.from(JSON.stringify(event)),
  }),
}

/** Never called: tsc (part of npm test) checks these lines, the test only loads them. */
function typeChecks(publisher: Publisher<CatalogEvents>): void {
  void publisher.publish('PaymentConfirmed', { paymentId: 'p1', amountMinor: 1299, currency: 'EUR' })
  // @ts-expect-error the event does not match its type's shape
  void publisher.publish('PaymentConfirmed', { userId: 'u1' })
  // @ts-expect-error no such event type
  void publisher.publish('PaymentRefunded', { paymentId: 'p1' })
  void publisher.publishMany([
    { eventType: 'LoginFailed', event: { userId: 'u1' } },
    { eventType: 'PaymentConfirmed', event: { paymentId: 'p1', amountMinor: 1, currency: 'EUR' } },
  ])
  // @ts-expect-error an entry's event must match its own event type
  void publisher.publishMany([{ eventType: 'LoginFailed', event: { paymentId: 'p1' } }])
}

test('a publisher typed by an interface event map closes without ever connecting and then refuses events', async () => {
  const publisher = createPublisher<CatalogEvents>({ brokers: ['127.0.0.1:1'], encoder })
  void typeChecks
  await publisher.close()
  await assert.rejects(
    publisher.publish('LoginFailed', { userId: 'u1' }),
    (error: Error) => error instanceof PublisherClosedError && /LoginFailed/.test(error.message),
  )
})
