// Proves that payments' two event types interoperate with Confluent's JavaScript serdes on TopicRecordNameStrategy subjects through the real broker: Confluent's serializer writes what the backbone's typed subscription dispatches by type, and Confluent's deserializer reads what the backbone wrote.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
  SubjectNameStrategyType,
  TopicRecordNameStrategy,
} from '@confluentinc/schemaregistry'
import {
  catalogEntry,
  type PaymentConfirmed,
  type PaymentRefunded,
  recordNameOf,
  schemaText,
} from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { catalogEncoder, catalogTopicSpecs, onEvents } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { createPublisher } from '#libs/publisher'
import { collect, produce, startGroup } from '../../helpers/consumer.ts'
import { testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

function confluentClient(): SchemaRegistryClient {
  return new SchemaRegistryClient({ baseURLs: [sharedRegistryUrl()], maxRetries: 0 })
}

test("Confluent's serializer names each type's subject on payments as the catalog does", async () => {
  const serializer = new AvroSerializer(confluentClient(), SerdeType.VALUE, {
    subjectNameStrategyType: SubjectNameStrategyType.TOPIC_RECORD,
  })
  for (const eventType of ['PaymentConfirmed', 'PaymentRefunded'] as const) {
    const subject = await serializer.subjectName('payments', {
      schemaType: 'AVRO',
      schema: schemaText(eventType),
    })
    assert.equal(subject, catalogEntry(eventType).subject)
  }
})

test("records from Confluent's serializer with TopicRecordNameStrategy reach the typed subscription's handler of their type", async (t) => {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  // The backbone registers the catalog schemas; Confluent's producers write with the latest
  // version under each type's subject. A JavaScript object carries no schema, and the library's
  // TopicRecordNameStrategy names no subject before it has one (it answers '' and the lookup of
  // the latest version fails), so a producer of one record type gives the strategy its record
  // name, as a Java producer's SpecificRecord class does.
  await serde.schemaId('PaymentConfirmed')
  await serde.schemaId('PaymentRefunded')
  const serializerOf = (eventType: 'PaymentConfirmed' | 'PaymentRefunded') =>
    new AvroSerializer(confluentClient(), SerdeType.VALUE, {
      useLatestVersion: true,
      autoRegisterSchemas: false,
      subjectNameStrategy: (topic, serdeType) =>
        TopicRecordNameStrategy(async () => recordNameOf(eventType))(topic, serdeType, {
          schemaType: 'AVRO',
          schema: schemaText(eventType),
        }),
    })
  const payment: PaymentConfirmed = {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
  }
  const refund: PaymentRefunded = {
    ...sampleEvents.PaymentRefunded,
    eventId: randomUUID(),
    refundId: randomUUID(),
    paymentId: payment.paymentId,
  }
  // Confluent's Avro serde has no timestamp-millis logical type: it writes epoch millis.
  const paymentBytes = await serializerOf('PaymentConfirmed').serialize('payments', {
    ...payment,
    occurredAt: payment.occurredAt.getTime(),
  })
  const refundBytes = await serializerOf('PaymentRefunded').serialize('payments', {
    ...refund,
    occurredAt: refund.occurredAt.getTime(),
  })
  assert.equal(paymentBytes.readUInt32BE(1), await serde.schemaId('PaymentConfirmed'))
  assert.equal(refundBytes.readUInt32BE(1), await serde.schemaId('PaymentRefunded'))

  const payments: PaymentConfirmed[] = []
  const refunds: PaymentRefunded[] = []
  await startGroup(t, {
    kafka,
    groupId: uniqueName('interop-payments'),
    subscriptions: [
      onEvents(serde, 'payments', {
        PaymentConfirmed: (confirmed) => {
          if (confirmed.eventId === payment.eventId) payments.push(confirmed)
        },
        PaymentRefunded: (refunded) => {
          if (refunded.eventId === refund.eventId) refunds.push(refunded)
        },
      }),
    ],
  })
  await produce(t, kafka, 'payments', [
    { key: payment.payerAccountId, value: paymentBytes },
    { key: refund.payerAccountId, value: refundBytes },
  ])
  await waitFor(() => payments.length === 1 && refunds.length === 1, {
    description: 'the payment and the refund at their handlers',
    timeoutMs: 30_000,
  })
  assert.deepEqual(
    refunds[0]?.occurredAt,
    refund.occurredAt,
    'decoded into the catalog type, timestamps as Date',
  )
  assert.equal(refunds[0]?.refundId, refund.refundId)
  assert.equal(payments[0]?.amountMinor, payment.amountMinor)
})

test("records the backbone publishes on payments read back with Confluent's deserializer on TopicRecordNameStrategy subjects", async (t) => {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  const publisher = createPublisher({ kafka, encoder: catalogEncoder(serde) })
  t.after(() => publisher.close())
  const payer = uniqueName('acct')
  const payment = { ...sampleEvents.PaymentConfirmed, eventId: randomUUID(), payerAccountId: payer }
  const refund = { ...sampleEvents.PaymentRefunded, eventId: randomUUID(), payerAccountId: payer }
  const records = await collect(t, kafka, ['payments'])
  await publisher.publish('PaymentConfirmed', payment)
  await publisher.publish('PaymentRefunded', refund)
  const ours = await waitFor(
    () => {
      const found = records.filter((record) => record.message.key?.toString() === payer)
      return found.length === 2 && found
    },
    { description: 'both records of the payer read back' },
  )
  // useLatestVersion: the deserializer also looks up the reader schema under the subject its
  // strategy names from the writer schema, so a subject named otherwise would fail here.
  const deserializer = new AvroDeserializer(confluentClient(), SerdeType.VALUE, {
    subjectNameStrategyType: SubjectNameStrategyType.TOPIC_RECORD,
    useLatestVersion: true,
  })
  const [first, second] = (await Promise.all(
    ours.map((record) => deserializer.deserialize('payments', record.message.value!)),
  )) as Array<Record<string, unknown>>
  assert.equal(first?.['eventId'], payment.eventId)
  assert.equal(first?.['payeeAccountId'], payment.payeeAccountId)
  assert.equal(second?.['eventId'], refund.eventId)
  assert.equal(second?.['refundId'], refund.refundId)
})
