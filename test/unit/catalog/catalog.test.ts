import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import {
  type CatalogEntry,
  catalog,
  catalogEntry,
  type EventType,
  eventKey,
  eventTypeForTopic,
  eventTypeOfRecord,
  eventTypes,
  eventTypesForTopic,
  isEventType,
  recordNameOf,
  schemaText,
  schemaType,
  subjectNameFor,
} from '@event-backbone/catalog'
import { UnknownEventTypeError, UnknownTopicError } from '@event-backbone/errors'
import { sampleEvents } from '../../helpers/sample-events.ts'

interface FieldJson {
  name: string
  type: unknown
  doc?: string
  default?: unknown
}

function fieldsOf(eventType: EventType): FieldJson[] {
  return (JSON.parse(schemaText(eventType)) as { fields: FieldJson[] }).fields
}

test('the catalog holds five input event types on four topics and four output event types', () => {
  assert.deepEqual(
    eventTypes().map((eventType) => catalog[eventType].topic),
    [
      'uploads',
      'payments',
      'payments',
      'logins',
      'sensor-readings',
      'uploads-processed',
      'ledger',
      'security-alerts',
      'sensor-windows',
    ],
  )
})

test('every catalog schema parses with avsc as a record named after its event type', () => {
  for (const eventType of eventTypes()) {
    const type = schemaType(eventType)
    assert.equal(type.typeName, 'record', eventType)
    assert.equal(type.name, `dev.eventbackbone.events.${eventType}`)
  }
})

test('every event has eventId (uuid), occurredAt (timestamp-millis) and source (string)', () => {
  for (const eventType of eventTypes()) {
    const fields = new Map(fieldsOf(eventType).map((field) => [field.name, field.type]))
    assert.deepEqual(fields.get('eventId'), { type: 'string', logicalType: 'uuid' }, eventType)
    assert.deepEqual(fields.get('occurredAt'), { type: 'long', logicalType: 'timestamp-millis' }, eventType)
    assert.equal(fields.get('source'), 'string', eventType)
  }
})

test('every record and field carries documentation', () => {
  for (const eventType of eventTypes()) {
    const schema = JSON.parse(schemaText(eventType)) as { doc?: string; fields: FieldJson[] }
    assert.ok(schema.doc, `${eventType} has no doc`)
    for (const field of schema.fields) assert.ok(field.doc, `${eventType}.${field.name} has no doc`)
  }
})

test('money is never a float: amounts are long minor units next to a 3-letter currency string', () => {
  const text = eventTypes()
    .map((eventType) => schemaText(eventType))
    .join('\n')
  assert.doesNotMatch(text, /"type":"float"/)
  const amounts = [...text.matchAll(/\{"name":"(amount\w*)","type":("\w+")/g)]
  assert.ok(amounts.length >= 2)
  for (const [, name, type] of amounts) assert.equal(type, '"long"', `${name} is not a long`)
  assert.match(text, /"name":"currency","type":"string","doc":"ISO 4217/)
})

test('every optional field is a union with null first and a null default', () => {
  for (const eventType of eventTypes()) {
    for (const field of fieldsOf(eventType)) {
      if (Array.isArray(field.type) && field.type.includes('null')) {
        assert.equal(field.type[0], 'null', `${eventType}.${field.name}`)
        assert.equal(field.default, null, `${eventType}.${field.name}`)
      }
    }
  }
})

test("every key field is a string field of its event's schema", () => {
  for (const eventType of eventTypes()) {
    const { keyField } = catalog[eventType]
    const field = fieldsOf(eventType).find((candidate) => candidate.name === keyField)
    assert.ok(field, `${eventType} has no field ${keyField}`)
    const type = typeof field.type === 'string' ? field.type : (field.type as { type: string }).type
    assert.equal(type, 'string', `${eventType}.${keyField} is not a string`)
  }
})

test("every subject is the one its subject name strategy gives the topic and the schema's record name", () => {
  for (const eventType of eventTypes()) {
    const entry: CatalogEntry = catalog[eventType]
    const strategy = entry.subjectNameStrategy ?? 'TopicName'
    assert.equal(entry.subject, subjectNameFor(strategy, entry.topic, recordNameOf(eventType)), eventType)
  }
})

test('a topic of one event type keeps TopicNameStrategy, so its subject stays <topic>-value', () => {
  for (const eventType of eventTypes()) {
    const { topic, subject } = catalog[eventType]
    if (eventTypesForTopic(topic).length === 1) assert.equal(subject, `${topic}-value`, eventType)
  }
})

test('every event type of a topic with several types has a subject of its own, named by its record', () => {
  for (const eventType of eventTypes()) {
    const entry: CatalogEntry = catalog[eventType]
    if (eventTypesForTopic(entry.topic).length === 1) continue
    assert.notEqual(entry.subjectNameStrategy ?? 'TopicName', 'TopicName', eventType)
  }
  const subjects = eventTypes().map((eventType) => catalog[eventType].subject)
  assert.equal(new Set(subjects).size, subjects.length)
})

test('the event types of one topic agree on partitions and retention', () => {
  for (const eventType of eventTypes()) {
    const { topic, partitions, retentionMs } = catalog[eventType]
    for (const other of eventTypesForTopic(topic)) {
      assert.equal(catalog[other].partitions, partitions, `${eventType} and ${other}`)
      assert.equal(catalog[other].retentionMs, retentionMs, `${eventType} and ${other}`)
    }
  }
})

test("subject names follow Confluent's strategies", () => {
  const record = 'dev.eventbackbone.events.PaymentRefunded'
  assert.equal(subjectNameFor('TopicName', 'payments', record), 'payments-value')
  assert.equal(
    subjectNameFor('TopicRecordName', 'payments', record),
    'payments-dev.eventbackbone.events.PaymentRefunded',
  )
  assert.equal(subjectNameFor('RecordName', 'payments', record), record)
})

test('payments carries PaymentConfirmed and PaymentRefunded, keyed alike so a refund follows its payment', () => {
  assert.deepEqual(eventTypesForTopic('payments'), ['PaymentConfirmed', 'PaymentRefunded'])
  assert.equal(catalog.PaymentRefunded.keyField, catalog.PaymentConfirmed.keyField)
  assert.equal(eventTypeOfRecord('payments', 'dev.eventbackbone.events.PaymentRefunded'), 'PaymentRefunded')
  assert.equal(eventTypeOfRecord('payments', 'dev.eventbackbone.events.UserLogin'), undefined)
  assert.equal(eventTypeOfRecord('payments', undefined), undefined)
})

test('partitions are positive, retention positive or -1 (forever) and schema files kebab-case', () => {
  for (const eventType of eventTypes()) {
    const { partitions, retentionMs, schemaFile } = catalog[eventType]
    assert.ok(Number.isInteger(partitions) && partitions > 0, eventType)
    assert.ok(retentionMs === -1 || retentionMs > 0, eventType)
    assert.match(schemaFile, /^schemas\/[a-z0-9-]+\.avsc$/)
  }
})

test('a topic looks up its event type and an event type its entry', () => {
  assert.equal(eventTypeForTopic('logins'), 'UserLogin')
  assert.throws(() => eventTypeForTopic('payments'), UnknownEventTypeError)
  assert.equal(catalogEntry('SensorReading').topic, 'sensor-readings')
  assert.ok(isEventType('UserLogin'))
  assert.ok(!isEventType('toString'))
})

test('an unknown topic or event type throws an error listing what the catalog has', () => {
  assert.throws(
    () => eventTypeForTopic('paymentz'),
    (error: unknown) => {
      assert.ok(error instanceof UnknownTopicError)
      assert.match(error.message, /"paymentz".*payments/)
      return true
    },
  )
  assert.throws(() => catalogEntry('Nope' as never), UnknownEventTypeError)
})

test('the record key of an event is the value of its key field', () => {
  assert.equal(eventKey('PaymentConfirmed', sampleEvents.PaymentConfirmed), 'acct-payer-0001')
  assert.equal(eventKey('SensorReading', sampleEvents.SensorReading), 'sensor-temp-0815')
})

test('the registered schema text is the schema file as compact JSON, docs included', () => {
  const text = schemaText('UserLogin')
  assert.deepEqual(
    JSON.parse(text),
    JSON.parse(readFileSync(new URL('../../../schemas/user-login.avsc', import.meta.url), 'utf8')),
  )
  assert.ok(!text.includes('\n'))
})
