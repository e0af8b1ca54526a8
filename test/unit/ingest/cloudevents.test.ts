import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventTypes } from '@event-backbone/catalog'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { CloudEvent, HTTP } from 'cloudevents'
import { hashApiKey, openApiDocument, parseApiKeys } from '#libs/ingest'
import { binaryEnvelope, structuredEnvelope } from '../../../libs/ingest/src/cloudevents/envelope.ts'
import { cloudEventToEvent } from '../../../libs/ingest/src/cloudevents/to-event.ts'

const reading = { sensorId: 's-1', kind: 'TEMPERATURE', value: 1.5, unit: 'Cel' }

function sdkStructured(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const event = new CloudEvent({
    id: crypto.randomUUID(),
    type: 'SensorReading',
    source: '/a',
    data: reading,
    ...extra,
  })
  return JSON.parse(HTTP.structured(event).body as string)
}

test('the OpenAPI CloudEvent schema accepts what the SDK sends and refuses an event without id', () => {
  const doc = openApiDocument([...eventTypes()])
  // Formats are the SDK's business (and ajv-formats is no dependency here): required and enums are checked.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema(doc, 'openapi')
  const validate = ajv.compile({ $ref: 'openapi#/components/schemas/CloudEvent' })
  assert.ok(validate(sdkStructured()), JSON.stringify(validate.errors))
  assert.ok(validate(sdkStructured({ type: 'dev.eventbackbone.events.SensorReading', plant: 'p2' })))
  const { id: _id, ...withoutId } = sdkStructured()
  assert.equal(validate(withoutId), false)
  assert.equal(validate(sdkStructured({ type: 'com.example.Nope' })), false)
  assert.ok((doc['paths'] as Record<string, unknown>)['/v1/cloudevents'])
})

test('an envelope the SDK would complete silently is refused: no id, no specversion, a time it cannot read', () => {
  const { id: _id, ...withoutId } = sdkStructured()
  const noId = structuredEnvelope(withoutId)
  assert.ok(!noId.ok && /attribute id/.test(noId.problem.message))
  const { specversion: _v, ...withoutVersion } = sdkStructured()
  assert.ok(!structuredEnvelope(withoutVersion).ok)
  const badTime = structuredEnvelope({ ...sdkStructured(), time: '2026-12-04 10:00' })
  assert.ok(!badTime.ok && badTime.problem.message.includes('RFC 3339'))
  const message = HTTP.binary(
    new CloudEvent({ id: crypto.randomUUID(), type: 'T', source: '/a', data: reading }),
  )
  const headers = { ...(message.headers as Record<string, string>), 'ce-time': 'soon' }
  const binary = binaryEnvelope(headers, reading)
  assert.ok(!binary.ok && binary.problem.message.includes('"soon"'))
})

test('a valid envelope keeps its attributes, extensions included, as the SDK parsed them', () => {
  const sent = sdkStructured({ time: '2026-12-04T10:00:00+01:00', plant: 'p2' })
  const parsed = structuredEnvelope(sent)
  assert.ok(parsed.ok)
  assert.equal(parsed.event.id, sent['id'])
  assert.equal(parsed.event.time, '2026-12-04T09:00:00.000Z')
  assert.equal(parsed.event['plant'], 'p2')
  assert.deepEqual(parsed.event.data, reading)
})

test('without time, occurredAt comes from data, else the arrival; with time, data may only repeat it', () => {
  const key = parseApiKeys(`k:${hashApiKey('k')}:*`, [...eventTypes()])[0]!
  const context = {
    key,
    served: new Set<string>(eventTypes()),
    traceparent: undefined,
    receivedAt: new Date(5_000),
  }
  const occurredAt = '2026-12-01T00:00:00.000Z'
  const { time: _t, ...untimed } = sdkStructured({ data: { ...reading, occurredAt } })
  const fromData = structuredEnvelope(untimed)
  assert.ok(fromData.ok)
  const mapped = cloudEventToEvent(fromData, context)
  assert.ok(mapped.ok, JSON.stringify(mapped))
  assert.deepEqual(mapped.value.event.occurredAt, new Date(occurredAt))

  const { time: _u, ...bare } = sdkStructured()
  const arrival = cloudEventToEvent(structuredEnvelope(bare) as never, context)
  assert.ok(arrival.ok)
  assert.deepEqual(arrival.value.event.occurredAt, new Date(5_000))

  const contradicted = structuredEnvelope(
    sdkStructured({ time: '2026-12-02T00:00:00Z', data: { ...reading, occurredAt } }),
  )
  const refused = cloudEventToEvent(contradicted as never, context)
  assert.ok(!refused.ok && /occurredAt.*differs/.test(refused.problem.message))
})
