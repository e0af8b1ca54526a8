// Proves that no CloudEvent envelope, however malformed, makes the gateway's CloudEvents route fail with a 5xx: every answer is 202 or a 4xx with an error code, in binary, structured and batch mode.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { gatewayOnPrivateTopics, keys } from '../../helpers/ingest.ts'

const auth = { authorization: `Bearer ${keys.all}` }

/** A value that is usually right, sometimes any JSON value, sometimes absent. */
function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: valid },
    { weight: 2, arbitrary: fc.jsonValue() },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
}

// Printable ASCII: what an HTTP header value may hold.
const text = fc.string({ unit: 'grapheme-ascii', maxLength: 40 })

const data = fc.record({
  sensorId: field(fc.string()),
  kind: field(fc.constantFrom('TEMPERATURE', 'HUMIDITY', 'PRESSURE', 'CO2', 'POWER')),
  value: field(fc.double({ noNaN: true, noDefaultInfinity: true })),
  unit: field(fc.string()),
})

const attributes = fc.record({
  specversion: field(fc.constantFrom('1.0', '0.3')),
  id: field(fc.uuid({ version: 4 })),
  type: field(
    fc.constantFrom('dev.eventbackbone.events.SensorReading', 'SensorReading', 'com.example.Other'),
  ),
  source: field(fc.constantFrom('/plant-2', 'https://example.com/a', 'urn:x:y')),
  time: field(
    fc
      .date({ noInvalidDate: true, min: new Date(0), max: new Date(4_102_444_800_000) })
      .map((d) => d.toISOString()),
  ),
  datacontenttype: field(fc.constantFrom('application/json', 'text/plain', 'application/foo+json')),
  data: field(data),
  extra: fc.option(
    fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue(), { maxKeys: 2 }),
    {
      freq: 4,
    },
  ),
})

const structured = attributes.map(({ extra, ...fields }) => ({ ...fields, ...(extra ?? {}) }))

const binary = fc.record({
  headers: fc.record({
    'ce-specversion': field(fc.constantFrom('1.0', '0.3')).map((v) =>
      typeof v === 'string' ? v : undefined,
    ),
    'ce-id': fc.oneof(fc.uuid({ version: 4 }), text),
    'ce-type': fc.oneof(fc.constantFrom('dev.eventbackbone.events.SensorReading', 'SensorReading'), text),
    'ce-source': fc.oneof(fc.constant('/plant-2'), text),
    'ce-time': fc.option(fc.oneof(fc.constant('2026-12-04T08:07:06Z'), text)),
    'ce-traceparent': fc.option(text, { freq: 4 }),
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
  }),
  body: fc.oneof(
    { weight: 6, arbitrary: data.map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: fc.json() },
  ),
})

/** `valid` marks envelopes built right by construction: those must be accepted. */
type Request = { headers: Record<string, string>; payload: string; valid?: boolean }

function defined(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >
}

// Envelopes with every attribute right and only the values varying: without them, whether a run
// of 200 ever reaches the 202 path would be left to chance (it did not, once in CI).
const validData = fc.record({
  sensorId: fc.string({ minLength: 1, maxLength: 20 }),
  kind: fc.constantFrom('TEMPERATURE', 'HUMIDITY', 'PRESSURE', 'CO2', 'POWER'),
  value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  unit: fc.string({ maxLength: 8 }),
})
const validStructured = fc.record({
  specversion: fc.constant('1.0'),
  id: fc.uuid({ version: 4 }),
  type: fc.constantFrom('dev.eventbackbone.events.SensorReading', 'SensorReading'),
  source: fc.constantFrom('/plant-2', 'https://example.com/a', 'urn:x:y'),
  datacontenttype: fc.constant('application/json'),
  data: validData,
})

const request: fc.Arbitrary<Request> = fc.oneof(
  validStructured.map((event) => ({
    headers: { 'content-type': 'application/cloudevents+json' },
    payload: JSON.stringify(event),
    valid: true,
  })),
  structured.map((event) => ({
    headers: { 'content-type': 'application/cloudevents+json' },
    payload: JSON.stringify(event),
  })),
  fc.array(structured, { minLength: 0, maxLength: 3 }).map((events) => ({
    headers: { 'content-type': 'application/cloudevents-batch+json' },
    payload: JSON.stringify(events),
  })),
  binary.map(({ headers, body }) => ({ headers: defined(headers), payload: body })),
)

test('every fuzzed CloudEvents request is answered 202 or 4xx, never 5xx', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  let accepted = 0
  await fc.assert(
    fc.asyncProperty(request, async ({ headers, payload, valid }) => {
      const response = await gateway.app.inject({
        method: 'POST',
        url: '/v1/cloudevents',
        headers: { ...headers, ...auth },
        payload,
      })
      assert.ok(
        response.statusCode === 202 || (response.statusCode >= 400 && response.statusCode < 500),
        `${response.statusCode} ${response.body}`,
      )
      if (valid) assert.equal(response.statusCode, 202, `a valid envelope: ${response.body}`)
      if (response.statusCode === 202) accepted += 1
      else assert.equal(typeof (response.json() as Record<string, unknown>)['error'], 'string', response.body)
    }),
    { numRuns: 200 },
  )
  assert.ok(accepted > 0, 'some fuzzed events were valid, so the 202 path was exercised too')
})
