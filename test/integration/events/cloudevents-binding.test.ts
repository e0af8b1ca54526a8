// Proves that what the backbone publishes, emits, dead-letters and replays is a CloudEvent in the Kafka binary mode, as the cloudevents SDK's own Kafka binding reads it.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { type TestContext, test } from 'node:test'
import { type EventOf, eventKey } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import {
  type CloudEventV1,
  Kafka as KafkaBinding,
  type KafkaMessage as KafkaBindingMessage,
} from 'cloudevents'
import type { IHeaders, KafkaMessage } from 'kafkajs'
import { nonRetriable } from '#libs/consumer'
import { JobStatus, planReplay, ReplayHeader, startReplay } from '#libs/dlq'
import { catalogEncoder, catalogTopicSpecs, emitEvent, framedSchemaId, onEvent } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { createPublisher, TRACEPARENT_HEADER } from '#libs/publisher'
import { type Collected, collect, header, startGroup } from '../../helpers/consumer.ts'
import { testReplayTopics } from '../../helpers/dlq.ts'
import { testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

/** The record as the SDK's Kafka binding takes it: header values as strings. */
function toCloudEvent(message: KafkaMessage): CloudEventV1<unknown> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value)
  }
  const kafkaMessage: KafkaBindingMessage<Buffer | null> = {
    key: message.key ?? '',
    value: message.value,
    headers,
    body: message.value,
  }
  return KafkaBinding.toEvent(kafkaMessage) as CloudEventV1<unknown>
}

async function published(t: TestContext) {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const registryUrl = sharedRegistryUrl()
  const serde = new EventSerde(new ConfluentRegistryClient(registryUrl))
  const publisher = createPublisher({
    kafka,
    encoder: catalogEncoder(serde, { registryUrl }),
    clientId: 'billing-service',
  })
  t.after(() => publisher.close())
  const payment: EventOf<'PaymentConfirmed'> = {
    ...sampleEvents.PaymentConfirmed,
    eventId: randomUUID(),
    paymentId: randomUUID(),
    occurredAt: new Date('2026-12-04T09:08:07.654Z'),
  }
  await publisher.publish('PaymentConfirmed', payment, { traceparent })
  return { kafka, serde, registryUrl, payment }
}

function ours(records: Collected[], key: string): Collected | undefined {
  return records.find((record) => record.message.key?.toString() === key)
}

test('a published record carries every CloudEvents attribute, read by the SDK Kafka binding', async (t) => {
  const { kafka, registryUrl, payment } = await published(t)
  const payments = await collect(t, kafka, ['payments'])
  const key = eventKey('PaymentConfirmed', payment)
  const record = await waitFor(() => ours(payments, key), { description: 'our payment' })
  const event = toCloudEvent(record.message)
  const schemaId = framedSchemaId(record.message.value!)
  assert.ok(schemaId !== undefined)
  assert.equal(event.specversion, '1.0')
  assert.equal(event.id, payment.eventId)
  assert.equal(event.type, 'dev.eventbackbone.events.PaymentConfirmed')
  assert.equal(event.source, 'billing-service')
  assert.equal(event.time, '2026-12-04T09:08:07.654Z')
  assert.equal(event.datacontenttype, 'application/avro')
  assert.equal(event.dataschema, `${registryUrl}/schemas/ids/${schemaId}`)
  assert.equal(event['traceparent'], traceparent)
  assert.equal(header(record.message.headers, TRACEPARENT_HEADER), traceparent)
  // The dataschema URL is the registry's own answer for the id the frame carries.
  const schema = (await (await fetch(event.dataschema!)).json()) as { schema: string }
  assert.equal(JSON.parse(schema.schema).name, 'PaymentConfirmed')
})

test('an output emitted by a handler is a CloudEvent of its own type, source and trace', async (t) => {
  const { kafka, serde, payment } = await published(t)
  const postingId = randomUUID()
  await startGroup(t, {
    kafka,
    groupId: uniqueName('ce-ledger'),
    subscriptions: [
      onEvent(serde, 'PaymentConfirmed', async (confirmed, ctx) => {
        if (confirmed.eventId !== payment.eventId) return
        await emitEvent(ctx, serde, 'LedgerPosting', {
          eventId: postingId,
          occurredAt: new Date('2026-12-04T09:08:08.000Z'),
          source: 'payments-ledger',
          postingId,
          paymentId: confirmed.paymentId,
          sourceEventId: confirmed.eventId,
          lines: [],
          memo: null,
        })
      }),
    ],
  })
  const ledger = await collect(t, kafka, ['ledger'])
  const record = await waitFor(() => ours(ledger, payment.paymentId), { description: 'our posting' })
  const event = toCloudEvent(record.message)
  assert.equal(event.id, postingId)
  assert.equal(event.type, 'dev.eventbackbone.events.LedgerPosting')
  assert.equal(event.source, 'payments-ledger')
  assert.equal(event.time, '2026-12-04T09:08:08.000Z')
  assert.equal(event.dataschema, `urn:event-backbone:schema-id:${framedSchemaId(record.message.value!)}`)
  assert.equal(event['traceparent'], header(record.message.headers, TRACEPARENT_HEADER))
  assert.match(String(event['traceparent']), /^00-4bf92f3577b34da6a3ce929d0e0e4736-/)
})

test('a record dead-lettered and replayed from the dead-letter topic is still the same CloudEvent', async (t) => {
  const { kafka, serde, payment } = await published(t)
  const topics = await testReplayTopics(t, kafka)
  let fixed = false
  const seen: IHeaders[] = []
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('ce-dlq'),
    defaults: { retry: { attempts: 0 }, retryTopics: ['1s'] },
    subscriptions: [
      onEvent(serde, 'PaymentConfirmed', async (confirmed, ctx) => {
        if (confirmed.eventId !== payment.eventId) return
        if (!fixed) throw nonRetriable(new Error('ledger closed'))
        seen.push(ctx.headers)
      }),
    ],
  })
  const sub = group.subscriptions[0]!
  const dead = await collect(t, kafka, [sub.deadLetterTopic])
  const key = eventKey('PaymentConfirmed', payment)
  const deadRecord = await waitFor(() => ours(dead, key), { description: 'dead-lettered' })
  const expected = toCloudEvent(deadRecord.message)
  assert.equal(expected.id, payment.eventId)

  fixed = true
  const spec = await planReplay(kafka, { topic: sub.deadLetterTopic, by: 'alice' })
  assert.equal((await startReplay({ kafka, spec, topics }).done).status, JobStatus.done)
  const replayed = await collect(t, kafka, [spec.targetTopic])
  const record = await waitFor(() => ours(replayed, key), { description: 'replayed' })
  assert.equal(header(record.message.headers, ReplayHeader.id), spec.id)
  const event = toCloudEvent(record.message)
  for (const name of [
    'specversion',
    'id',
    'type',
    'source',
    'time',
    'dataschema',
    'datacontenttype',
    'traceparent',
  ]) {
    assert.equal(event[name], expected[name], `${name} survives the replay`)
  }
  assert.equal(event.source, 'billing-service')
  await waitFor(() => seen.length === 1, { description: 'the group handles the replayed record' })
  assert.equal(header(seen[0], 'ce_id'), payment.eventId)
})
