// Proves the registry's REST API answers as Confluent Schema Registry does: status codes and bodies, errors included.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { uniqueName } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import { avroNamespace, recordSchema, registryForFile } from '../../helpers/registry-file.ts'

const registry = registryForFile()
const subjectName = () => uniqueName('subject')

function schemaV1(ns = avroNamespace()): string {
  return recordSchema('User', [{ name: 'name', type: 'string' }], ns)
}

async function register(
  subject: string,
  schema: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const response = await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema, ...extra })
  assert.equal(response.status, 200, JSON.stringify(response.body))
  return (response.body as { id: number }).id
}

function assertError(response: { status: number; body: unknown }, status: number, errorCode: number): void {
  assert.equal(response.status, status, JSON.stringify(response.body))
  const body = response.body as { error_code: number; message: string }
  assert.equal(body.error_code, errorCode)
  assert.equal(typeof body.message, 'string')
  assert.ok(body.message.length > 0)
}

test('GET / answers an empty object', async () => {
  const response = await call(registry(), 'GET', '/')
  assert.equal(response.status, 200)
  assert.deepEqual(response.body, {})
})

test('GET /schemas/types lists AVRO only', async () => {
  assert.deepEqual((await call(registry(), 'GET', '/schemas/types')).body, ['AVRO'])
})

test('health and readiness answer 200 once the registry serves', async () => {
  assert.equal((await call(registry(), 'GET', '/healthz')).status, 200)
  assert.deepEqual((await call(registry(), 'GET', '/readyz')).body, { status: 'ready' })
})

test('re-registering the same schema returns the same id and adds no version', async () => {
  const subject = subjectName()
  const schema = schemaV1()
  const id = await register(subject, schema)
  assert.equal(await register(subject, JSON.stringify(JSON.parse(schema), null, 2)), id)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [1])
})

test('one schema under three subjects shares one id and lists every subject version', async () => {
  const schema = schemaV1()
  const subjects = [subjectName(), subjectName(), subjectName()].sort()
  const ids = []
  for (const subject of subjects) ids.push(await register(subject, schema))
  assert.equal(new Set(ids).size, 1)
  const versions = await call(registry(), 'GET', `/schemas/ids/${ids[0]}/versions`)
  assert.deepEqual(
    versions.body,
    subjects.map((subject) => ({ subject, version: 1 })),
  )
  assert.deepEqual((await call(registry(), 'GET', `/schemas/ids/${ids[0]}/subjects`)).body, subjects)
})

test('a lookup returns subject, id, version and schema', async () => {
  const subject = subjectName()
  const schema = schemaV1()
  const id = await register(subject, schema)
  const response = await call(registry(), 'POST', `/subjects/${subject}`, { schema })
  assert.equal(response.status, 200)
  assert.deepEqual(response.body, { subject, version: 1, id, schema })
  assertError(await call(registry(), 'POST', `/subjects/${subject}`, { schema: schemaV1() }), 404, 40403)
  assertError(await call(registry(), 'POST', `/subjects/${subjectName()}`, { schema }), 404, 40401)
})

test('GET /schemas/ids answers the schema, 40403 for an unknown id and 404 for a non-numeric one', async () => {
  const schema = schemaV1()
  const id = await register(subjectName(), schema)
  assert.deepEqual((await call(registry(), 'GET', `/schemas/ids/${id}`)).body, { schema })
  assert.deepEqual((await call(registry(), 'GET', `/schemas/ids/${id}?subject=any-other`)).body, { schema })
  assert.deepEqual((await call(registry(), 'GET', `/schemas/ids/${id}/schema`)).body, JSON.parse(schema))
  assertError(await call(registry(), 'GET', '/schemas/ids/987654321'), 404, 40403)
  assertError(await call(registry(), 'GET', '/schemas/ids/987654321/schema'), 404, 40403)
  const nonNumeric = await call(registry(), 'GET', '/schemas/ids/abc')
  assert.equal(nonNumeric.status, 404)
  assert.ok((nonNumeric.body as { error_code: number }).error_code)
})

test('version 0 and non-numeric versions are 42202, an absent version 40402, latest equals -1', async () => {
  const subject = subjectName()
  await register(subject, schemaV1())
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions/0`), 422, 42202)
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions/abc`), 422, 42202)
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions/2147483648`), 422, 42202)
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions/2147483647`), 404, 40402)
  assertError(await call(registry(), 'GET', `/subjects/${subjectName()}/versions/1`), 404, 40401)
  const latest = await call(registry(), 'GET', `/subjects/${subject}/versions/latest`)
  const minusOne = await call(registry(), 'GET', `/subjects/${subject}/versions/-1`)
  assert.equal(latest.status, 200)
  assert.deepEqual(latest.body, minusOne.body)
})

test('the raw schema endpoints answer the schema text and their 404s', async () => {
  const subject = subjectName()
  const schema = schemaV1()
  await register(subject, schema)
  const raw = await call(registry(), 'GET', `/subjects/${subject}/versions/1/schema`)
  assert.equal(raw.status, 200)
  assert.deepEqual(raw.body, JSON.parse(schema))
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions/2/schema`), 404, 40402)
  assertError(await call(registry(), 'GET', `/subjects/${subjectName()}/versions/1/schema`), 404, 40401)
})

test('a soft-deleted version stays readable by id but leaves the listings', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  const id1 = await register(subject, schemaV1(ns))
  await register(
    subject,
    recordSchema(
      'User',
      [
        { name: 'name', type: 'string' },
        { name: 'age', type: 'int', default: 0 },
      ],
      ns,
    ),
  )
  assert.equal((await call(registry(), 'DELETE', `/subjects/${subject}/versions/1`)).body, 1)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [2])
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions?deleted=true`)).body, [1, 2])
  assert.equal((await call(registry(), 'GET', `/schemas/ids/${id1}`)).status, 200)
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions/1`), 404, 40402)
  assert.equal((await call(registry(), 'GET', `/subjects/${subject}/versions/1?deleted=true`)).status, 200)
  assert.deepEqual((await call(registry(), 'GET', `/schemas/ids/${id1}/versions`)).body, [])
})

test('after a subject soft delete the next version continues the numbering and keeps the id', async () => {
  const subject = subjectName()
  const schema = schemaV1()
  const id = await register(subject, schema)
  assert.deepEqual((await call(registry(), 'DELETE', `/subjects/${subject}`)).body, [1])
  assert.ok(!((await call(registry(), 'GET', '/subjects')).body as string[]).includes(subject))
  assert.ok(((await call(registry(), 'GET', '/subjects?deleted=true')).body as string[]).includes(subject))
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions`), 404, 40401)
  assert.equal(await register(subject, schema), id)
  const latest = await call(registry(), 'GET', `/subjects/${subject}/versions/latest`)
  assert.deepEqual(latest.body, { subject, version: 2, id, schema })
})

test('a hard delete of a version needs a soft delete first, then the version is gone', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  await register(subject, schemaV1(ns))
  await register(
    subject,
    recordSchema(
      'User',
      [
        { name: 'name', type: 'string' },
        { name: 'x', type: 'int', default: 1 },
      ],
      ns,
    ),
  )
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}/versions/1?permanent=true`), 404, 40407)
  assert.equal((await call(registry(), 'DELETE', `/subjects/${subject}/versions/1`)).body, 1)
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}/versions/1`), 404, 40406)
  assert.equal((await call(registry(), 'GET', `/subjects/${subject}/versions/1?deleted=true`)).status, 200)
  assert.equal((await call(registry(), 'DELETE', `/subjects/${subject}/versions/1?permanent=true`)).body, 1)
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions/1?deleted=true`), 404, 40402)
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}/versions/0`), 422, 42202)
  assertError(await call(registry(), 'DELETE', `/subjects/${subjectName()}/versions/1`), 404, 40401)
})

test('a hard delete of a subject needs a soft delete first, then the subject is gone', async () => {
  const subject = subjectName()
  await register(subject, schemaV1())
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}?permanent=true`), 404, 40405)
  assert.deepEqual((await call(registry(), 'DELETE', `/subjects/${subject}`)).body, [1])
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}`), 404, 40404)
  assert.deepEqual((await call(registry(), 'DELETE', `/subjects/${subject}?permanent=true`)).body, [1])
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions?deleted=true`), 404, 40401)
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}`), 404, 40401)
})

test('the same schema gets the same id after delete and re-create', async () => {
  const subject = subjectName()
  const schema = schemaV1()
  const id = await register(subject, schema)
  await call(registry(), 'DELETE', `/subjects/${subject}`)
  await call(registry(), 'DELETE', `/subjects/${subject}?permanent=true`)
  assert.equal(await register(subject, schema), id)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [1])
})

test('config PUT echoes compatibility, GET answers compatibilityLevel, bad levels are 42203', async () => {
  const subject = subjectName()
  const put = await call(registry(), 'PUT', `/config/${subject}`, { compatibility: 'FULL' })
  assert.equal(put.status, 200)
  assert.deepEqual(put.body, { compatibility: 'FULL' })
  assert.deepEqual((await call(registry(), 'GET', `/config/${subject}`)).body, { compatibilityLevel: 'FULL' })
  assertError(await call(registry(), 'PUT', `/config/${subject}`, { compatibility: 'SIDEWAYS' }), 422, 42203)
  assertError(await call(registry(), 'PUT', '/config', { compatibility: 42 }), 422, 42203)
  assert.deepEqual((await call(registry(), 'GET', '/config')).body, { compatibilityLevel: 'BACKWARD' })
  const deleted = await call(registry(), 'DELETE', `/config/${subject}`)
  assert.deepEqual(deleted.body, { compatibilityLevel: 'FULL' })
  assertError(await call(registry(), 'GET', `/config/${subject}`), 404, 40408)
  assertError(await call(registry(), 'DELETE', `/config/${subject}`), 404, 40408)
})

test('GET /config/{subject} is 40408 without a subject level unless defaultToGlobal=true', async () => {
  const subject = subjectName()
  await register(subject, schemaV1())
  assertError(await call(registry(), 'GET', `/config/${subject}`), 404, 40408)
  const effective = await call(registry(), 'GET', `/config/${subject}?defaultToGlobal=true`)
  assert.deepEqual(effective.body, { compatibilityLevel: 'BACKWARD' })
})

test('int to long is BACKWARD compatible, int to string is not (409)', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  await register(subject, recordSchema('N', [{ name: 'n', type: 'int' }], ns))
  await register(subject, recordSchema('N', [{ name: 'n', type: 'long' }], ns))
  const incompatible = await call(registry(), 'POST', `/subjects/${subject}/versions`, {
    schema: recordSchema('N', [{ name: 'n', type: 'string' }], ns),
  })
  assertError(incompatible, 409, 409)
})

test('compatibility checks answer is_compatible, messages when verbose, 40402 for a missing version', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  await register(subject, recordSchema('N', [{ name: 'n', type: 'int' }], ns))
  const good = { schema: recordSchema('N', [{ name: 'n', type: 'long' }], ns) }
  const bad = { schema: recordSchema('N', [{ name: 'n', type: 'string' }], ns) }
  assert.deepEqual(
    (await call(registry(), 'POST', `/compatibility/subjects/${subject}/versions/latest`, good)).body,
    {
      is_compatible: true,
    },
  )
  assert.deepEqual(
    (await call(registry(), 'POST', `/compatibility/subjects/${subject}/versions/1`, bad)).body,
    {
      is_compatible: false,
    },
  )
  const verbose = await call(
    registry(),
    'POST',
    `/compatibility/subjects/${subject}/versions/1?verbose=true`,
    bad,
  )
  const body = verbose.body as { is_compatible: boolean; messages: string[] }
  assert.equal(body.is_compatible, false)
  assert.ok(body.messages.length > 0)
  assertError(
    await call(registry(), 'POST', `/compatibility/subjects/${subject}/versions/7`, good),
    404,
    40402,
  )
  assertError(
    await call(registry(), 'POST', `/compatibility/subjects/${subject}/versions/0`, good),
    422,
    42202,
  )
  assertError(
    await call(registry(), 'POST', `/compatibility/subjects/${subjectName()}/versions/latest`, good),
    404,
    40401,
  )
})

test('a transitive level refuses a schema incompatible only with an older version (409)', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  await call(registry(), 'PUT', `/config/${subject}`, { compatibility: 'BACKWARD_TRANSITIVE' })
  await register(subject, recordSchema('T', [{ name: 'a', type: 'int' }], ns))
  await register(subject, recordSchema('T', [], ns))
  // Reads version 2's data (a takes its default) but not version 1's (int is not a string).
  const candidate = { schema: recordSchema('T', [{ name: 'a', type: 'string', default: '' }], ns) }
  const againstLatest = await call(
    registry(),
    'POST',
    `/compatibility/subjects/${subject}/versions/2`,
    candidate,
  )
  assert.deepEqual(againstLatest.body, { is_compatible: true })
  assertError(await call(registry(), 'POST', `/subjects/${subject}/versions`, candidate), 409, 409)
})

test('invalid schemas are 42201 and never 500', async () => {
  const subject = subjectName()
  const cases: unknown[] = [
    { schema: recordSchema('X', []), schemaType: 'AVROO' },
    { schema: recordSchema('X', []), schemaType: 'JSON' },
    { schema: recordSchema('X', []), schemaType: 'PROTOBUF' },
    {},
    { schema: '' },
    { schema: 42 },
    { schema: '{not json' },
    { schema: JSON.stringify({ type: 'record', name: 'X', namespace: 'foo.1bar', fields: [] }) },
    {
      schema: JSON.stringify({
        type: 'record',
        name: 'X',
        fields: [{ name: 'n', type: 'int', default: 'x' }],
      }),
    },
    { schema: JSON.stringify({ type: 'nonsense' }) },
    { schema: recordSchema('X', []), references: [{ name: 'a', subject: subjectName(), version: 1 }] },
    { schema: recordSchema('X', []), references: 'nope' },
    [],
  ]
  for (const body of cases) {
    assertError(await call(registry(), 'POST', `/subjects/${subject}/versions`, body), 422, 42201)
  }
})

test('unknown body fields and query parameters are ignored', async () => {
  const subject = subjectName()
  const schema = schemaV1()
  const response = await call(
    registry(),
    'POST',
    `/subjects/${subject}/versions?whatever=1&normalize=false`,
    {
      schema,
      schemaType: 'AVRO',
      metadata: { properties: { owner: 'x' } },
      ruleSet: null,
      version: 7,
      id: 9999,
    },
  )
  assert.equal(response.status, 200)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [1])
})

test('normalize=true stores one form for differently written equal schemas', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  const a = JSON.stringify({ type: 'record', name: 'R', namespace: ns, fields: [{ name: 'f', type: 'int' }] })
  const b = JSON.stringify({ namespace: ns, fields: [{ type: 'int', name: 'f' }], name: 'R', type: 'record' })
  const id = (await call(registry(), 'POST', `/subjects/${subject}/versions?normalize=true`, { schema: a }))
    .body
  const again = (
    await call(registry(), 'POST', `/subjects/${subject}/versions?normalize=true`, { schema: b })
  ).body
  assert.deepEqual(again, id)
  assert.equal(
    (await call(registry(), 'POST', `/subjects/${subject}?normalize=true`, { schema: b })).status,
    200,
  )
})

test('mode READWRITE by default; READONLY refuses writes with 42205; bad modes are 42204', async () => {
  const subject = subjectName()
  assert.deepEqual((await call(registry(), 'GET', '/mode')).body, { mode: 'READWRITE' })
  assertError(await call(registry(), 'GET', `/mode/${subject}`), 404, 40409)
  assert.deepEqual((await call(registry(), 'GET', `/mode/${subject}?defaultToGlobal=true`)).body, {
    mode: 'READWRITE',
  })
  assert.deepEqual((await call(registry(), 'PUT', `/mode/${subject}`, { mode: 'READONLY' })).body, {
    mode: 'READONLY',
  })
  assert.deepEqual((await call(registry(), 'GET', `/mode/${subject}`)).body, { mode: 'READONLY' })
  assertError(
    await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema: schemaV1() }),
    422,
    42205,
  )
  assertError(await call(registry(), 'PUT', `/mode/${subject}`, { mode: 'SOMETIMES' }), 422, 42204)
  assert.deepEqual((await call(registry(), 'DELETE', `/mode/${subject}`)).body, { mode: 'READONLY' })
  await register(subject, schemaV1())
})

test('IMPORT mode accepts registrations only with an explicit id', async () => {
  const subject = subjectName()
  await call(registry(), 'PUT', `/mode/${subject}`, { mode: 'IMPORT' })
  assertError(
    await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema: schemaV1() }),
    422,
    42205,
  )
  const imported = await call(registry(), 'POST', `/subjects/${subject}/versions`, {
    schema: schemaV1(),
    id: 500_000,
    version: 3,
  })
  assert.deepEqual(imported.body, { id: 500_000 })
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [3])
  await call(registry(), 'DELETE', `/mode/${subject}`)
})

test('references: register, look up, check, and refuse deleting a referenced version (42206)', async () => {
  const ns = avroNamespace()
  const addressSubject = subjectName()
  const userSubject = subjectName()
  const address = recordSchema('Address', [{ name: 'street', type: 'string' }], ns)
  await register(addressSubject, address)
  const references = [{ name: `${ns}.Address`, subject: addressSubject, version: 1 }]
  const user = recordSchema('Customer', [{ name: 'home', type: `${ns}.Address` }], ns)
  const id = await register(userSubject, user, { references })
  const byId = await call(registry(), 'GET', `/schemas/ids/${id}`)
  assert.deepEqual(byId.body, { references, schema: user })
  const lookup = await call(registry(), 'POST', `/subjects/${userSubject}`, { schema: user, references })
  assert.equal((lookup.body as { id: number }).id, id)
  const check = await call(registry(), 'POST', `/compatibility/subjects/${userSubject}/versions/latest`, {
    schema: user,
    references,
  })
  assert.deepEqual(check.body, { is_compatible: true })
  assert.deepEqual(
    (await call(registry(), 'GET', `/subjects/${addressSubject}/versions/1/referencedby`)).body,
    [id],
  )
  assertError(await call(registry(), 'DELETE', `/subjects/${addressSubject}/versions/1`), 422, 42206)
  assertError(await call(registry(), 'DELETE', `/subjects/${addressSubject}`), 422, 42206)
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
  await register(subject, schemaV1())
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
  const schema = schemaV1()
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
  const schema = schemaV1()
  const id = await register(encoded, schema)
  assert.ok(((await call(registry(), 'GET', '/subjects/')).body as string[]).includes(subject))
  const latest = await call(registry(), 'GET', `/subjects/${encoded}/versions/latest`)
  assert.deepEqual(latest.body, { subject, version: 1, id, schema })
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
