import type { TestContext } from 'node:test'
import { type SchemaRegistry, type SchemaRegistryOptions, startSchemaRegistry } from '#libs/schema-registry'
import { testAdmin, testBrokers, uniqueName } from './kafka.ts'

/** A registry on its own random storage topic (or the one given), closed and its topic deleted after the test. */
export async function testRegistry(
  t: TestContext,
  options: Partial<SchemaRegistryOptions> & { keepTopic?: boolean } = {},
): Promise<SchemaRegistry> {
  const topic = options.topic ?? uniqueName('_schemas')
  const registry = await startSchemaRegistry({ brokers: testBrokers(), port: 0, ...options, topic })
  t.after(() => registry.close())
  if (!options.topic && !options.keepTopic) {
    const admin = await testAdmin(t)
    t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  }
  return registry
}

export interface JsonResponse {
  readonly status: number
  readonly type: string | null
  readonly body: unknown
}

/** Plain HTTP against the registry, for what the clients do not expose (content types, raw errors). */
export async function call(
  registry: { url: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(`${registry.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: response.status, type: response.headers.get('content-type'), body: parsed }
}

/** The suite's shared registry (started by test/run.ts), for tests that use the catalog's subjects. */
export function sharedRegistryUrl(): string {
  const url = process.env['SCHEMA_REGISTRY_URL']
  if (!url) throw new Error('SCHEMA_REGISTRY_URL is not set: run tests through `npm test`')
  return url
}
