import assert from 'node:assert/strict'
import { after, before } from 'node:test'
import { type SchemaRegistry, startSchemaRegistry } from '#libs/schema-registry'
import { testBrokers, testKafka, uniqueName } from './kafka.ts'
import { call } from './registry.ts'

/**
 * One registry for a whole test file, on its own random storage topic: tests in the file use
 * distinct subjects. Returns a getter because the registry starts in `before`.
 */
export function registryForFile(): () => SchemaRegistry {
  const topic = uniqueName('_schemas')
  let registry: SchemaRegistry | undefined
  before(async () => {
    registry = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  })
  after(async () => {
    await registry?.close()
    const admin = testKafka().admin()
    await admin.connect()
    await admin.deleteTopics({ topics: [topic] }).catch(() => {})
    await admin.disconnect()
  })
  return () => {
    if (!registry) throw new Error('the registry has not started')
    return registry
  }
}

/** A fresh Avro namespace and a record schema builder in it, so tests never share named types. */
export function avroNamespace(): string {
  return `t${uniqueName('ns').replace(/-/g, '')}`
}

export function recordSchema(name: string, fields: unknown[], namespace?: string): string {
  return JSON.stringify({ type: 'record', name, ...(namespace ? { namespace } : {}), fields })
}

/** A subject name no other test uses. */
export function subjectName(): string {
  return uniqueName('subject')
}

/** The API tests' baseline schema: a `User` record with one string field, in its own namespace. */
export function userSchemaV1(namespace = avroNamespace()): string {
  return recordSchema('User', [{ name: 'name', type: 'string' }], namespace)
}

/** `register(subject, schema, extra?)` against a file's registry: asserts 200 and returns the id. */
export function registerIn(registry: () => SchemaRegistry) {
  return async (subject: string, schema: string, extra: Record<string, unknown> = {}): Promise<number> => {
    const response = await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema, ...extra })
    assert.equal(response.status, 200, JSON.stringify(response.body))
    return (response.body as { id: number }).id
  }
}

/** Asserts a Confluent error answer: the HTTP status, the error_code and a non-empty message. */
export function assertRegistryError(
  response: { status: number; body: unknown },
  status: number,
  errorCode: number,
): void {
  assert.equal(response.status, status, JSON.stringify(response.body))
  const body = response.body as { error_code: number; message: string }
  assert.equal(body.error_code, errorCode)
  assert.equal(typeof body.message, 'string')
  assert.ok(body.message.length > 0)
}

/** A read answer without its `guid` (derived from the content, asserted where GUIDs are the subject). */
export function withoutGuid(body: unknown): unknown {
  const { guid, ...rest } = body as { guid?: unknown }
  assert.equal(typeof guid, 'string', `no guid in ${JSON.stringify(body)}`)
  return rest
}
