// Proves that data contracts (metadata, rule sets, config defaults and overrides, compatibility groups, GUIDs) behave through Confluent's JavaScript client as on Confluent's registry.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { type Rule, SchemaRegistryClient } from '@confluentinc/schemaregistry'
import { startSchemaRegistry } from '#libs/schema-registry'
import { testBrokers, uniqueName } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import {
  assertRegistryError,
  avroNamespace,
  recordSchema,
  registryForFile,
  subjectName,
} from '../../helpers/registry-file.ts'

const registry = registryForFile()
let confluent: SchemaRegistryClient | undefined
// Created on first use: the file's registry starts in its own `before` hook.
const client = () => {
  confluent ??= new SchemaRegistryClient({ baseURLs: [registry().url], maxRetries: 0 })
  return confluent
}
after(() => confluent?.close())

const positiveAmount: Rule = {
  name: 'positiveAmount',
  kind: 'CONDITION',
  mode: 'WRITE' as Rule['mode'],
  type: 'CEL',
  expr: 'message.amount > 0',
  onFailure: 'ERROR',
}

function payment(namespace: string, extra: unknown[] = []): string {
  return recordSchema(
    'Payment',
    [{ name: 'id', type: 'string' }, { name: 'amount', type: 'long' }, ...extra],
    namespace,
  )
}

test('a registration with metadata and rules answers the full record, and every read returns them', async () => {
  const subject = subjectName()
  const schema = payment(avroNamespace())
  const metadata = { properties: { owner: 'payments', 'app.major': '1' }, sensitive: ['id'] }
  const ruleSet = { domainRules: [positiveAmount] }
  const registered = await client().registerFullResponse(
    subject,
    { schemaType: 'AVRO', schema, metadata, ruleSet },
    false,
  )
  assert.equal(registered.version, 1)
  assert.equal(registered.schemaType, 'AVRO')
  assert.equal(registered.schema, schema)
  assert.match(registered.guid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  assert.deepEqual(registered.metadata, {
    properties: { 'app.major': '1', owner: 'payments' },
    sensitive: ['id'],
  })
  assert.equal(registered.ruleSet?.domainRules?.[0]?.expr, 'message.amount > 0')

  const latest = await client().getLatestSchemaMetadata(subject)
  assert.deepEqual(latest.metadata, registered.metadata)
  assert.deepEqual(latest.ruleSet, registered.ruleSet)
  assert.equal(latest.guid, registered.guid)
  const byId = await client().getBySubjectAndId(subject, registered.id ?? 0)
  assert.deepEqual(byId.ruleSet, registered.ruleSet)
  const byGuid = await client().getByGuid(registered.guid ?? '')
  assert.equal(byGuid.schema, schema)
  assert.deepEqual(byGuid.metadata, registered.metadata)
  assertRegistryError(
    await call(registry(), 'GET', '/schemas/guids/00000000-0000-0000-0000-000000000000'),
    404,
    40403,
  )
})

test('the same schema with other metadata is a new version with a new id; without metadata it is the latest', async () => {
  const subject = subjectName()
  const schema = payment(avroNamespace())
  const first = await client().registerFullResponse(
    subject,
    { schema, metadata: { properties: { owner: 'a' } } },
    false,
  )
  const second = await client().registerFullResponse(
    subject,
    { schema, metadata: { properties: { owner: 'b' } } },
    false,
  )
  assert.equal(second.version, 2)
  assert.notEqual(second.id, first.id)
  assert.notEqual(second.guid, first.guid)
  // No metadata in the request: the previous version's is inherited, so this is version 2 again.
  const again = await client().registerFullResponse(subject, { schema }, false)
  assert.equal(again.version, 2)
  assert.equal(again.id, second.id)
  assert.equal(await client().getId(subject, { schema }, false), second.id)
  assert.deepEqual(await client().getAllVersions(subject), [1, 2])
})

test('latest with metadata finds the newest version whose properties match every pair', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  await client().register(
    subject,
    { schema: payment(ns), metadata: { properties: { major: '1', team: 'x' } } },
    false,
  )
  const v2 = payment(ns, [{ name: 'note', type: 'string', default: '' }])
  await client().register(subject, { schema: v2, metadata: { properties: { major: '1', team: 'y' } } }, false)
  const found = await client().getLatestWithMetadata(subject, { major: '1', team: 'x' }, false)
  assert.equal(found.version, 1)
  assert.equal((await client().getLatestWithMetadata(subject, { major: '1' }, false)).version, 2)
  assertRegistryError(
    await call(registry(), 'GET', `/subjects/${subject}/metadata?key=major&value=2`),
    404,
    40403,
  )
  assertRegistryError(
    await call(registry(), 'GET', `/subjects/${subjectName()}/metadata?key=major&value=1`),
    404,
    40401,
  )
})

test('config defaults sit under and overrides over what a registration gives', async () => {
  const subject = subjectName()
  const updated = await client().updateConfig(subject, {
    defaultMetadata: { properties: { owner: 'default', tier: 'gold' } },
    overrideMetadata: { properties: { tier: 'platinum' } },
    defaultRuleSet: { domainRules: [positiveAmount] },
    overrideRuleSet: {
      domainRules: [{ ...positiveAmount, name: 'hasId', expr: "message.id != ''" }],
    },
  })
  assert.deepEqual(updated.overrideMetadata, { properties: { tier: 'platinum' } })
  const config = await client().getConfig(subject)
  assert.deepEqual(config.defaultMetadata, { properties: { owner: 'default', tier: 'gold' } })
  const registered = await client().registerFullResponse(
    subject,
    { schema: payment(avroNamespace()), metadata: { properties: { owner: 'me' } } },
    false,
  )
  assert.deepEqual(registered.metadata?.properties, { owner: 'me', tier: 'platinum' })
  assert.deepEqual(
    registered.ruleSet?.domainRules?.map((rule) => rule.name),
    ['positiveAmount', 'hasId'],
  )
})

test('a subject config merges over the global one when read with defaultToGlobal', async () => {
  const subject = subjectName()
  const global = await call(registry(), 'PUT', '/config', {
    defaultMetadata: { properties: { org: 'acme' } },
  })
  assert.equal(global.status, 200, JSON.stringify(global.body))
  try {
    await client().updateConfig(subject, { defaultMetadata: { properties: { team: 'payments' } } })
    const own = (await call(registry(), 'GET', `/config/${subject}`)).body as Record<string, unknown>
    assert.deepEqual(own['defaultMetadata'], { properties: { team: 'payments' } })
    const merged = (await call(registry(), 'GET', `/config/${subject}?defaultToGlobal=true`)).body as Record<
      string,
      unknown
    >
    assert.deepEqual(merged['defaultMetadata'], { properties: { org: 'acme', team: 'payments' } })
    const registered = await client().registerFullResponse(
      subject,
      { schema: payment(avroNamespace()) },
      false,
    )
    assert.deepEqual(registered.metadata?.properties, { org: 'acme', team: 'payments' })
  } finally {
    await call(registry(), 'DELETE', '/config')
  }
})

test('a compatibility group starts a new line of compatibility for a new major version', async () => {
  const subject = subjectName()
  const ns = avroNamespace()
  await client().updateConfig(subject, { compatibilityGroup: 'app.major' })
  await client().register(
    subject,
    { schema: payment(ns), metadata: { properties: { 'app.major': '1' } } },
    false,
  )
  const breaking = recordSchema(
    'Payment',
    [
      { name: 'id', type: 'string' },
      { name: 'total', type: 'string' },
    ],
    ns,
  )
  const sameMajor = await call(registry(), 'POST', `/subjects/${subject}/versions`, {
    schema: breaking,
    metadata: { properties: { 'app.major': '1' } },
  })
  assert.equal(sameMajor.status, 409, JSON.stringify(sameMajor.body))
  const nextMajor = await client().registerFullResponse(
    subject,
    { schema: breaking, metadata: { properties: { 'app.major': '2' } } },
    false,
  )
  assert.equal(nextMajor.version, 2)
})

test('an invalid rule set is refused with 42210 and nothing is written', async () => {
  const subject = subjectName()
  const schema = payment(avroNamespace())
  for (const ruleSet of [
    { domainRules: [{ ...positiveAmount, mode: 'UPGRADE' }] },
    { migrationRules: [{ ...positiveAmount, mode: 'WRITE' }] },
    { domainRules: [positiveAmount, positiveAmount] },
    { domainRules: [{ ...positiveAmount, name: '1bad' }] },
    { domainRules: [{ name: 'noType' }] },
  ]) {
    assertRegistryError(
      await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema, ruleSet }),
      422,
      42210,
    )
  }
  assertRegistryError(await call(registry(), 'GET', `/subjects/${subject}/versions`), 404, 40401)
  assertRegistryError(
    await call(registry(), 'POST', `/subjects/${subject}/versions`, {
      schema,
      metadata: { properties: { a: 1 } },
    }),
    422,
    42201,
  )
})

test('an id in a registration outside IMPORT mode is refused with 42205', async () => {
  const response = await call(registry(), 'POST', `/subjects/${uniqueName('subject')}/versions`, {
    schema: payment(avroNamespace()),
    id: 9999,
  })
  assertRegistryError(response, 422, 42205)
})

test('metadata and rule sets survive a restart: they are stored in the topic', async () => {
  const subject = subjectName()
  const schema = payment(avroNamespace())
  const registered = await client().registerFullResponse(
    subject,
    { schema, metadata: { properties: { owner: 'x' } }, ruleSet: { domainRules: [positiveAmount] } },
    false,
  )
  const second = await startSchemaRegistry({
    brokers: testBrokers(),
    port: 0,
    topic: registry().topic,
  })
  try {
    const read = await call(second, 'GET', `/subjects/${subject}/versions/1`)
    const body = read.body as Record<string, unknown>
    assert.deepEqual(body['metadata'], { properties: { owner: 'x' } })
    assert.deepEqual(body['ruleSet'], registered.ruleSet)
    assert.equal(body['guid'], registered.guid)
  } finally {
    await second.close()
  }
})
