// Proves two registry instances on one topic never give one schema two ids nor one id two schemas: the newer writer fences the older, which catches up and retries.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { startSchemaRegistry } from '#libs/schema-registry'
import { testAdmin, testBrokers, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { call, type JsonResponse } from '../../helpers/registry.ts'
import { avroNamespace, recordSchema } from '../../helpers/registry-file.ts'

/** What a client does with a 5xx from a registry: retry a few times (both real clients do). */
async function withRetries(send: () => Promise<JsonResponse>, log: JsonResponse[]): Promise<JsonResponse> {
  for (let attempt = 1; ; attempt++) {
    const response = await send()
    if (response.status < 500 || attempt === 5) return response
    log.push(response)
    await delay(50 * attempt)
  }
}

test('concurrent registrations through two instances get one id per schema and one schema per id', async (t) => {
  const topic = uniqueName('_schemas')
  const admin = await testAdmin(t)
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const a = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => a.close())
  const b = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => b.close())
  const instances = [a, b]
  const ns = avroNamespace()
  const schemas = Array.from({ length: 20 }, (_, i) =>
    recordSchema(`S${i}`, [{ name: 'f', type: 'int' }], ns),
  )
  const retried: JsonResponse[] = []

  // Each schema is registered through both instances at once, under two subjects, so the
  // instances race both for new ids and for the same schema.
  const results = await Promise.all(
    schemas.flatMap((schema, i) =>
      instances.map((instance, j) =>
        withRetries(
          () => call(instance, 'POST', `/subjects/s${(i + j) % 2}-${i}/versions`, { schema }),
          retried,
        ).then((response) => ({ schema, response })),
      ),
    ),
  )

  for (const { response } of results) assert.equal(response.status, 200, JSON.stringify(response.body))
  for (const response of retried) {
    const code = (response.body as { error_code: number }).error_code
    assert.ok([50001, 50002, 50003].includes(code), `unexpected retriable error ${code}`)
  }
  const idsBySchema = new Map<string, Set<number>>()
  for (const { schema, response } of results) {
    const ids = idsBySchema.get(schema) ?? new Set()
    ids.add((response.body as { id: number }).id)
    idsBySchema.set(schema, ids)
  }
  for (const [schema, ids] of idsBySchema) assert.equal(ids.size, 1, `${schema} got ids ${[...ids]}`)
  const ids = [...idsBySchema.values()].map((set) => [...set][0]!)
  assert.equal(new Set(ids).size, schemas.length, 'two schemas share an id')

  // Both instances converge on the same id → schema mapping.
  for (const instance of instances) {
    for (const [schema, set] of idsBySchema) {
      const id = [...set][0]!
      const found = await waitFor(
        async () => {
          const response = await call(instance, 'GET', `/schemas/ids/${id}`)
          return response.status === 200 ? response : undefined
        },
        { description: `schema ${id} on ${instance.url}` },
      )
      assert.equal((found.body as { schema: string }).schema, schema)
    }
  }
  t.diagnostic(`responses retried after a 5xx: ${retried.length}`)
})

test('writes alternate between two instances without losing or duplicating versions', async (t) => {
  const topic = uniqueName('_schemas')
  const admin = await testAdmin(t)
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const a = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => a.close())
  const b = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => b.close())
  const ns = avroNamespace()
  await call(a, 'PUT', '/config/shared', { compatibility: 'NONE' })
  const retried: JsonResponse[] = []
  const ids: number[] = []
  for (let i = 0; i < 10; i++) {
    const instance = i % 2 === 0 ? a : b
    const schema = recordSchema(`V${i}`, [], ns)
    const response = await withRetries(
      () => call(instance, 'POST', '/subjects/shared/versions', { schema }),
      retried,
    )
    assert.equal(response.status, 200, JSON.stringify(response.body))
    ids.push((response.body as { id: number }).id)
  }
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  assert.deepEqual((await call(b, 'GET', '/subjects/shared/versions')).body, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  assert.deepEqual((await call(a, 'GET', '/subjects/shared/versions')).body, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
})

test('concurrent registrations of different schemas under one subject never share a version', async (t) => {
  const topic = uniqueName('_schemas')
  const admin = await testAdmin(t)
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const a = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => a.close())
  const b = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => b.close())
  const ns = avroNamespace()
  await call(b, 'PUT', '/config/race', { compatibility: 'NONE' })
  const retried: JsonResponse[] = []
  const schemas = Array.from({ length: 16 }, (_, i) => recordSchema(`Race${i}`, [], ns))
  const responses = await Promise.all(
    schemas.map((schema, i) =>
      withRetries(() => call(i % 2 === 0 ? a : b, 'POST', '/subjects/race/versions', { schema }), retried),
    ),
  )
  for (const response of responses) assert.equal(response.status, 200, JSON.stringify(response.body))
  const expectedVersions = schemas.map((_, i) => i + 1)
  for (const instance of [a, b]) {
    const versions = await waitFor(
      async () => {
        const response = await call(instance, 'GET', '/subjects/race/versions')
        return (response.body as number[]).length === schemas.length ? (response.body as number[]) : undefined
      },
      { description: `all versions on ${instance.url}` },
    )
    assert.deepEqual(versions, expectedVersions)
    const registered = new Set<string>()
    for (const version of versions) {
      const body = (await call(instance, 'GET', `/subjects/race/versions/${version}`)).body as {
        schema: string
      }
      registered.add(body.schema)
    }
    assert.deepEqual([...registered].sort(), [...schemas].sort())
  }
})
