// Proves the registry's HTTP surface matches Confluent Schema Registry: content types, 406/415, unknown routes and newer endpoints with Confluent error bodies, ignored unknown fields.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { uniqueName } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import {
  assertRegistryError as assertError,
  avroNamespace,
  recordSchema,
  registerIn,
  registryForFile,
  subjectName,
  userSchemaV1,
  withoutGuid,
} from '../../helpers/registry-file.ts'

const registry = registryForFile()
const register = registerIn(registry)

test('GET / answers an empty object', async () => {
  const response = await call(registry(), 'GET', '/')
  assert.equal(response.status, 200)
  assert.deepEqual(response.body, {})
})

test('GET /schemas/types lists the three types in CSR order', async () => {
  assert.deepEqual((await call(registry(), 'GET', '/schemas/types')).body, ['JSON', 'PROTOBUF', 'AVRO'])
})

test('health and readiness answer 200 once the registry serves', async () => {
  assert.equal((await call(registry(), 'GET', '/healthz')).status, 200)
  const ready = (await call(registry(), 'GET', '/readyz')).body as { status: string; service: string }
  assert.deepEqual([ready.status, ready.service], ['ready', 'schema-registry'])
})

test('unknown body fields and query parameters are ignored', async () => {
  const subject = subjectName()
  const schema = userSchemaV1()
  const response = await call(
    registry(),
    'POST',
    `/subjects/${subject}/versions?whatever=1&normalize=false`,
    {
      schema,
      schemaType: 'AVRO',
      metadata: { properties: { owner: 'x' } },
      ruleSet: null,
      whatever: { nested: true },
    },
  )
  assert.equal(response.status, 200)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [1])
})

test('the newer endpoints answer 404 with a Confluent error body', async () => {
  assertError(
    await call(
      registry(),
      'GET',
      '/associations/resources/-/payments?resourceType=topic&associationType=value',
    ),
    404,
    40410,
  )
  assertError(
    await call(registry(), 'GET', '/schemas/guids/0b4f5b9e-1b2c-4d3e-8f90-123456789abc'),
    404,
    40403,
  )
  assertError(
    await call(registry(), 'GET', `/subjects/${subjectName()}/metadata?key=owner&value=x`),
    404,
    40401,
  )
  const subject = subjectName()
  await register(subject, userSchemaV1())
  assertError(await call(registry(), 'GET', `/subjects/${subject}/metadata?key=owner&value=x`), 404, 40403)
  assertError(await call(registry(), 'GET', '/no/such/endpoint'), 404, 404)
})

test('responses use the vendor content type, or application/json when only that is accepted', async () => {
  const vendor = await call(registry(), 'GET', '/config')
  assert.match(vendor.type ?? '', /^application\/vnd\.schemaregistry\.v1\+json/)
  const json = await call(registry(), 'GET', '/config', undefined, { accept: 'application/json' })
  assert.match(json.type ?? '', /^application\/json/)
  const axiosStyle = await call(registry(), 'GET', '/config', undefined, {
    accept: 'application/json, text/plain, */*',
  })
  assert.equal(axiosStyle.status, 200)
})

test('requests in every accepted content type are parsed as JSON', async () => {
  const subject = subjectName()
  const schema = userSchemaV1()
  for (const type of [
    'application/vnd.schemaregistry.v1+json',
    'application/vnd.schemaregistry+json',
    'application/json',
    'application/octet-stream',
  ]) {
    const response = await call(
      registry(),
      'POST',
      `/subjects/${subject}/versions`,
      { schema },
      { 'content-type': type },
    )
    assert.equal(response.status, 200, type)
  }
})

test('an unknown Accept is 406 and an unsupported Content-Type is 415, both with error bodies', async () => {
  assertError(await call(registry(), 'GET', '/subjects', undefined, { accept: 'text/html' }), 406, 406)
  const unsupported = await call(registry(), 'POST', `/subjects/${subjectName()}/versions`, 'schema=x', {
    'content-type': 'application/x-www-form-urlencoded',
  })
  assertError(unsupported, 415, 415)
  const malformed = await call(registry(), 'POST', `/subjects/${subjectName()}/versions`, '{"schema":', {
    'content-type': 'application/json',
  })
  assert.ok(malformed.status >= 400 && malformed.status < 500)
  assert.ok((malformed.body as { error_code: number }).error_code)
})

test('long subject names with reserved characters round-trip through URL encoding, trailing slashes are ignored', async () => {
  const subject = `${subjectName()} with/slash:and%${'x'.repeat(249)}-value`
  const encoded = encodeURIComponent(subject)
  const schema = userSchemaV1()
  const id = await register(encoded, schema)
  assert.ok(((await call(registry(), 'GET', '/subjects/')).body as string[]).includes(subject))
  const latest = await call(registry(), 'GET', `/subjects/${encoded}/versions/latest`)
  assert.deepEqual(withoutGuid(latest.body), { subject, version: 1, id, schema })
})

test('GET /schemas lists subject versions by prefix, the latest only on request; /contexts lists the default', async () => {
  const prefix = uniqueName('listing')
  const ns = avroNamespace()
  const first = recordSchema('L', [{ name: 'a', type: 'int' }], ns)
  const second = recordSchema(
    'L',
    [
      { name: 'a', type: 'int' },
      { name: 'b', type: 'int', default: 0 },
    ],
    ns,
  )
  await register(`${prefix}-x`, first)
  await register(`${prefix}-x`, second)
  const all = (await call(registry(), 'GET', `/schemas?subjectPrefix=${prefix}`)).body as Array<{
    version: number
  }>
  assert.deepEqual(
    all.map((entry) => entry.version),
    [1, 2],
  )
  const latest = await call(registry(), 'GET', `/schemas?subjectPrefix=${prefix}&latestOnly=true`)
  assert.deepEqual(
    (latest.body as Array<{ schema: string }>).map((entry) => entry.schema),
    [second],
  )
  assert.deepEqual((await call(registry(), 'GET', '/contexts')).body, ['.'])
})
