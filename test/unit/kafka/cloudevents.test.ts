import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { PaymentConfirmed } from '@event-backbone/catalog'
import { frame } from '@event-backbone/serde'
import { CloudEvent } from 'cloudevents'
import { catalogEventFacts, cloudEventType, eventTypeOfCloudEvent, framedSchemaId } from '#libs/events'
import {
  CloudEventHeader,
  cloudEventHeaders,
  readCloudEventAttributes,
  schemaReference,
  sourceReference,
} from '#libs/kafka'
import { buildMessage } from '../../../libs/publisher/src/record.ts'

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
const eventId = '6f1c1d2e-8a4b-4c3d-9e2f-1a2b3c4d5e6f'
const occurredAt = new Date('2026-12-04T10:11:12.345Z')

test('the binding maps the event metadata to the binary-mode Kafka headers', () => {
  const headers = cloudEventHeaders({
    id: eventId,
    type: 'dev.eventbackbone.events.PaymentConfirmed',
    source: 'ingest-gateway',
    time: occurredAt,
    dataschema: 'http://registry:8081/schemas/ids/7',
    traceparent,
  })
  assert.deepEqual(headers, {
    ce_specversion: '1.0',
    ce_id: eventId,
    ce_type: 'dev.eventbackbone.events.PaymentConfirmed',
    ce_source: 'ingest-gateway',
    ce_time: '2026-12-04T10:11:12.345Z',
    ce_dataschema: 'http://registry:8081/schemas/ids/7',
    ce_traceparent: traceparent,
    'content-type': 'application/avro',
  })
  assert.equal(
    cloudEventHeaders({ ...headersInput(), time: occurredAt.getTime() }).ce_time,
    occurredAt.toISOString(),
  )
})

function headersInput() {
  return { id: eventId, type: 't', source: 's', time: occurredAt, dataschema: 'urn:x:1', traceparent }
}

test('reading the headers back gives every attribute, from strings or Buffers, and nothing for plain records', () => {
  const written = cloudEventHeaders(headersInput())
  const asBuffers = Object.fromEntries(Object.entries(written).map(([k, v]) => [k, Buffer.from(v)]))
  const attributes = readCloudEventAttributes({
    ...asBuffers,
    traceparent: Buffer.from(traceparent),
    'eb.group': 'g',
  })
  assert.deepEqual(attributes, {
    specversion: '1.0',
    id: eventId,
    type: 't',
    source: 's',
    time: occurredAt.toISOString(),
    dataschema: 'urn:x:1',
    traceparent,
    datacontenttype: 'application/avro',
  })
  assert.equal(readCloudEventAttributes({ traceparent }), undefined)
  assert.equal(readCloudEventAttributes(undefined), undefined)
  // What was read back is a valid CloudEvent to the SDK (dataschema a URI, source a URI-reference).
  assert.doesNotThrow(() => new CloudEvent({ ...attributes! }).validate())
})

test('a schema is named by its registry URL when known, else by a URN, both absolute URIs', () => {
  assert.equal(schemaReference(42, 'http://localhost:8081/'), 'http://localhost:8081/schemas/ids/42')
  assert.equal(schemaReference(42), 'urn:event-backbone:schema-id:42')
  assert.equal(sourceReference('ingest-gateway'), 'ingest-gateway')
  assert.equal(sourceReference('plant 2?#'), 'plant%202%3F%23')
})

test('the CloudEvents type of a catalog type is its Avro full name, and both names map back', () => {
  assert.equal(cloudEventType('PaymentConfirmed'), 'dev.eventbackbone.events.PaymentConfirmed')
  assert.equal(eventTypeOfCloudEvent('dev.eventbackbone.events.PaymentConfirmed'), 'PaymentConfirmed')
  assert.equal(eventTypeOfCloudEvent('PaymentConfirmed'), 'PaymentConfirmed')
  assert.equal(eventTypeOfCloudEvent('com.example.Unknown'), undefined)
  assert.equal(eventTypeOfCloudEvent('toString'), undefined)
})

test('the facts of a framed catalog event name its schema id; an unframed value has none', () => {
  const value = frame(9, Buffer.from([1, 2]))
  assert.equal(framedSchemaId(value), 9)
  const event = { eventId, occurredAt } as unknown as PaymentConfirmed
  assert.deepEqual(catalogEventFacts('PaymentConfirmed', event, value, 'http://r'), {
    id: eventId,
    type: 'dev.eventbackbone.events.PaymentConfirmed',
    time: occurredAt,
    dataschema: 'http://r/schemas/ids/9',
    contentType: 'application/avro',
  })
  assert.equal(catalogEventFacts('PaymentConfirmed', event, Buffer.from('{}'), 'http://r'), undefined)
})

test('the publisher adds source and traceparent to the encoder facts, and a publish may name its source', () => {
  const encoded = {
    topic: 't',
    key: 'k',
    value: frame(3, Buffer.from([0])),
    cloudEvent: { id: eventId, type: 'x.T', time: occurredAt, dataschema: 'urn:x:3' },
  }
  const own = buildMessage('T', encoded, { headers: { ce_id: 'spoofed' } }, traceparent, 'svc')
  assert.equal(own.headers[CloudEventHeader.id], eventId)
  assert.equal(own.headers[CloudEventHeader.source], 'svc')
  assert.equal(own.headers[CloudEventHeader.traceparent], own.headers['traceparent'])
  const relayed = buildMessage('T', encoded, { source: 'https://client.example/a' }, traceparent, 'svc')
  assert.equal(relayed.headers[CloudEventHeader.source], 'https://client.example/a')
  const plain = buildMessage(
    'T',
    { topic: 't', key: 'k', value: Buffer.from('v') },
    undefined,
    traceparent,
    'svc',
  )
  assert.equal(plain.headers[CloudEventHeader.specversion], undefined)
})

test('every CloudEvents header is in the table of docs/events.md, and nothing else is', () => {
  const doc = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8')
  const documented = new Set([...doc.matchAll(/^\|\s*`(ce_[a-z]+|content-type)`/gm)].map((m) => m[1]))
  assert.deepEqual(documented, new Set(Object.values(CloudEventHeader)))
})
