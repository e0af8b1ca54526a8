// Proves that no JSON body, however malformed, makes the gateway fail with a 5xx: every answer is 202 (and then stored) or a 4xx that names the problem.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { gatewayOnPrivateTopics, keys } from '../../helpers/ingest.ts'

const headers = { 'content-type': 'application/json', authorization: `Bearer ${keys.all}` }

/** A field that is usually right, sometimes any JSON value, sometimes absent. */
function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: valid },
    { weight: 2, arbitrary: fc.jsonValue() },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
}

const reading = fc
  .record({
    eventId: field(fc.uuid({ version: 4 })),
    occurredAt: field(
      fc.oneof(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.date({ noInvalidDate: true, min: new Date(0) }).map((d) => d.toISOString()),
      ),
    ),
    source: field(fc.string()),
    sensorId: field(fc.string()),
    kind: field(fc.constantFrom('TEMPERATURE', 'HUMIDITY', 'PRESSURE', 'CO2', 'POWER')),
    value: field(fc.double({ noNaN: true, noDefaultInfinity: true })),
    unit: field(fc.string()),
    location: field(fc.option(fc.string())),
    extra: fc.option(fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue(), { maxKeys: 2 }), { freq: 5 }),
  })
  .map(({ extra, ...fields }) => JSON.stringify({ ...fields, ...(extra ?? {}) }))

const body = fc.oneof(
  { weight: 8, arbitrary: reading },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string() },
)

test('every fuzzed SensorReading body is answered 202 or 4xx, never 5xx', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  let accepted = 0
  await fc.assert(
    fc.asyncProperty(body, fc.boolean(), async (payload, batch) => {
      const response = await gateway.app.inject({
        method: 'POST',
        url: batch ? '/v1/events/SensorReading/batch' : '/v1/events/SensorReading',
        headers,
        payload: batch ? `[${payload}]` : payload,
      })
      assert.ok(
        response.statusCode === 202 || (response.statusCode >= 400 && response.statusCode < 500),
        `${response.statusCode} ${response.body}`,
      )
      const answer = response.json() as Record<string, unknown>
      if (response.statusCode === 202) accepted += 1
      else assert.equal(typeof answer['error'], 'string')
    }),
    { numRuns: 150 },
  )
  assert.ok(accepted > 0, 'some fuzzed bodies were valid, so the 202 path was exercised too')
})
