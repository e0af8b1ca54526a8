// Proves the catalog-typed path end to end on the real broker and registry: publish by event type, subscribe by event type, emit typed outputs exactly once with the trace carried.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { EventOf } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { catalogEncoder, catalogTopicSpecs, emitEvent, onEvent } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { createPublisher, parseTraceparent, TRACEPARENT_HEADER } from '#libs/publisher'
import { collect, startGroup } from '../../helpers/consumer.ts'
import { testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

test('a payment published by type becomes a ledger posting emitted exactly once, in the same trace', async (t) => {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))

  const publisher = createPublisher({ kafka, encoder: catalogEncoder(serde) })
  t.after(() => publisher.close())
  const payment: EventOf<'PaymentConfirmed'> = {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
  }
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  const stored = await publisher.publish('PaymentConfirmed', payment, { traceparent })
  assert.equal(stored.topic, 'payments')

  await startGroup(t, {
    kafka,
    groupId: uniqueName('typed-ledger'),
    defaults: { guarantee: 'exactly-once' },
    subscriptions: [
      onEvent(serde, 'PaymentConfirmed', async (confirmed, ctx) => {
        await emitEvent(ctx, serde, 'LedgerPosting', {
          eventId: randomUUID(),
          occurredAt: new Date(),
          source: 'typed-flow-test',
          postingId: randomUUID(),
          paymentId: confirmed.paymentId,
          sourceEventId: confirmed.eventId,
          lines: [
            {
              accountId: confirmed.payerAccountId,
              direction: 'DEBIT',
              amountMinor: confirmed.amountMinor,
              currency: confirmed.currency,
            },
            {
              accountId: confirmed.payeeAccountId,
              direction: 'CREDIT',
              amountMinor: confirmed.amountMinor,
              currency: confirmed.currency,
            },
          ],
          memo: null,
        })
      }),
    ],
  })

  const ledger = await collect(t, kafka, ['ledger'], { readCommitted: true })
  const ours = await waitFor(
    async () => {
      for (const record of ledger) {
        if (record.message.key?.toString() !== payment.paymentId) continue
        return { record, posting: await serde.decode('LedgerPosting', record.message.value!) }
      }
      return undefined
    },
    { description: 'the ledger posting for our payment' },
  )
  assert.equal(ours.posting.sourceEventId, payment.eventId)
  assert.deepEqual(
    ours.posting.lines.map((line) => [line.direction, line.amountMinor]),
    [
      ['DEBIT', payment.amountMinor],
      ['CREDIT', payment.amountMinor],
    ],
  )
  const outputTrace = parseTraceparent(String(ours.record.message.headers?.[TRACEPARENT_HEADER]))
  assert.equal(
    outputTrace?.traceId,
    '4bf92f3577b34da6a3ce929d0e0e4736',
    'the output continues the input trace',
  )
  assert.notEqual(outputTrace?.parentId, '00f067aa0ba902b7', 'with a span of its own')
  assert.equal(String(ours.record.message.headers?.['eb-event-type']), 'LedgerPosting')
  assert.equal(ledger.filter((record) => record.message.key?.toString() === payment.paymentId).length, 1)
})
