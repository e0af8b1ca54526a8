// Proves the registry's config, mode, compatibility and reference endpoints answer as Confluent Schema Registry does, error codes included.
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
  await register(subject, userSchemaV1())
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
    await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema: userSchemaV1() }),
    422,
    42205,
  )
  assertError(await call(registry(), 'PUT', `/mode/${subject}`, { mode: 'SOMETIMES' }), 422, 42204)
  assert.deepEqual((await call(registry(), 'DELETE', `/mode/${subject}`)).body, { mode: 'READONLY' })
  await register(subject, userSchemaV1())
})

test('IMPORT mode accepts registrations only with an explicit id', async () => {
  const subject = subjectName()
  await call(registry(), 'PUT', `/mode/${subject}`, { mode: 'IMPORT' })
  assertError(
    await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema: userSchemaV1() }),
    422,
    42205,
  )
  const imported = await call(registry(), 'POST', `/subjects/${subject}/versions`, {
    schema: userSchemaV1(),
    id: 500_000,
    version: 3,
  })
  assert.equal((imported.body as { id: number }).id, 500_000)
  assert.equal((imported.body as { version: number }).version, 3)
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
  assert.deepEqual(withoutGuid(byId.body), { references, schema: user })
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
