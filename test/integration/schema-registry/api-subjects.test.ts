// Proves the registry's subject, version and schema endpoints answer as Confluent Schema Registry does: ids, versions, lookups, soft and hard deletes, with status codes and error bodies.
import assert from 'node:assert/strict'
import { test } from 'node:test'
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

test('re-registering the same schema returns the same id and adds no version', async () => {
  const subject = subjectName()
  const schema = userSchemaV1()
  const id = await register(subject, schema)
  assert.equal(await register(subject, JSON.stringify(JSON.parse(schema), null, 2)), id)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [1])
})

test('one schema under three subjects shares one id and lists every subject version', async () => {
  const schema = userSchemaV1()
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
  const schema = userSchemaV1()
  const id = await register(subject, schema)
  const response = await call(registry(), 'POST', `/subjects/${subject}`, { schema })
  assert.equal(response.status, 200)
  assert.deepEqual(withoutGuid(response.body), { subject, version: 1, id, schema })
  assertError(await call(registry(), 'POST', `/subjects/${subject}`, { schema: userSchemaV1() }), 404, 40403)
  assertError(await call(registry(), 'POST', `/subjects/${subjectName()}`, { schema }), 404, 40401)
})

test('GET /schemas/ids answers the schema, 40403 for an unknown id and 404 for a non-numeric one', async () => {
  const schema = userSchemaV1()
  const id = await register(subjectName(), schema)
  assert.deepEqual(withoutGuid((await call(registry(), 'GET', `/schemas/ids/${id}`)).body), { schema })
  assert.deepEqual(
    withoutGuid((await call(registry(), 'GET', `/schemas/ids/${id}?subject=any-other`)).body),
    {
      schema,
    },
  )
  assert.deepEqual((await call(registry(), 'GET', `/schemas/ids/${id}/schema`)).body, JSON.parse(schema))
  assertError(await call(registry(), 'GET', '/schemas/ids/987654321'), 404, 40403)
  assertError(await call(registry(), 'GET', '/schemas/ids/987654321/schema'), 404, 40403)
  const nonNumeric = await call(registry(), 'GET', '/schemas/ids/abc')
  assert.equal(nonNumeric.status, 404)
  assert.ok((nonNumeric.body as { error_code: number }).error_code)
})

test('version 0 and non-numeric versions are 42202, an absent version 40402, latest equals -1', async () => {
  const subject = subjectName()
  await register(subject, userSchemaV1())
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
  const schema = userSchemaV1()
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
  const id1 = await register(subject, userSchemaV1(ns))
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
  const schema = userSchemaV1()
  const id = await register(subject, schema)
  assert.deepEqual((await call(registry(), 'DELETE', `/subjects/${subject}`)).body, [1])
  assert.ok(!((await call(registry(), 'GET', '/subjects')).body as string[]).includes(subject))
  assert.ok(((await call(registry(), 'GET', '/subjects?deleted=true')).body as string[]).includes(subject))
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions`), 404, 40401)
  assert.equal(await register(subject, schema), id)
  const latest = await call(registry(), 'GET', `/subjects/${subject}/versions/latest`)
  assert.deepEqual(withoutGuid(latest.body), { subject, version: 2, id, schema })
})

test('a hard delete of a version needs a soft delete first, then the version is gone', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  await register(subject, userSchemaV1(ns))
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
  await register(subject, userSchemaV1())
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}?permanent=true`), 404, 40405)
  assert.deepEqual((await call(registry(), 'DELETE', `/subjects/${subject}`)).body, [1])
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}`), 404, 40404)
  assert.deepEqual((await call(registry(), 'DELETE', `/subjects/${subject}?permanent=true`)).body, [1])
  assertError(await call(registry(), 'GET', `/subjects/${subject}/versions?deleted=true`), 404, 40401)
  assertError(await call(registry(), 'DELETE', `/subjects/${subject}`), 404, 40401)
})

test('the same schema gets the same id after delete and re-create', async () => {
  const subject = subjectName()
  const schema = userSchemaV1()
  const id = await register(subject, schema)
  await call(registry(), 'DELETE', `/subjects/${subject}`)
  await call(registry(), 'DELETE', `/subjects/${subject}?permanent=true`)
  assert.equal(await register(subject, schema), id)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [1])
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
