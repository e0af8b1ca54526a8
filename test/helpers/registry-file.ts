import { after, before } from 'node:test'
import { type SchemaRegistry, startSchemaRegistry } from '#libs/schema-registry'
import { testBrokers, testKafka, uniqueName } from './kafka.ts'

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
